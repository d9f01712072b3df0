// SPDX-License-Identifier: MIT
#include "report/junit.hpp"

#include "report/autobahn_json.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <map>
#include <pugixml.hpp>

namespace wsh::report {
namespace {

using json = nlohmann::json;

struct counts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    double time = 0;
};

// XML 1.0 allows only #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF, in
// UTF-8 here. Anything else becomes '?': control characters, the non-characters U+FFFE and
// U+FFFF (valid UTF-8 that cases of category 6 send and echo), and bytes that are not UTF-8
// (a target's stderr), so junit.xml stays well-formed whatever the target sent.
std::string xml_safe(const std::string& s)
{
    static constexpr std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};  // by sequence length
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const std::size_t n = lead < 0x80           ? 1
                              : (lead >> 5) == 0x6  ? 2
                              : (lead >> 4) == 0xE  ? 3
                              : (lead >> 3) == 0x1E ? 4
                                                    : 0;
        std::uint32_t cp = n == 1 ? lead : n == 2 ? (lead & 0x1Fu) : n == 3 ? (lead & 0x0Fu) : (lead & 0x07u);
        bool ok = n != 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            ok = (c & 0xC0) == 0x80;
            cp = (cp << 6) | (c & 0x3Fu);
        }
        ok = ok && cp >= smallest[n] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
        if (!ok) {  // not UTF-8: each byte on its own
            out += '?';
            ++i;
            continue;
        }
        const bool allowed = (cp >= 0x20 || cp == 0x9 || cp == 0xA || cp == 0xD) && cp != 0xFFFE && cp != 0xFFFF;
        if (allowed) out.append(s, i, n);
        else out += '?';
        i += n;
    }
    return out;
}

std::string text_of(const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

// The wire log's byte rows (hex of the first 64 bytes) and frame rows, one line each.
std::string wire_bytes(const json& wirelog)
{
    std::string out;
    for (const auto& row : wirelog) {
        if (!row.is_array() || row.empty() || !row[0].is_string()) continue;
        auto tag = row[0].get<std::string>();
        if ((tag == "TO" || tag == "RO") && row.size() > 1 && row[1].is_array() && row[1].size() == 2)
            out += fmt::format("{} {} bytes: {}\n", tag == "TO" ? "sent" : "received", text_of(row[1][0]),
                               text_of(row[1][1]));
        else if ((tag == "TF" || tag == "RF") && row.size() > 4)
            out += fmt::format("{} frame opcode={} fin={} rsv={} length={}\n", tag == "TF" ? "sent" : "received",
                               text_of(row[2]), text_of(row[3]), text_of(row[4]), text_of(row[1][0]));
    }
    return out.empty() ? "(wire log off for this case)\n" : out;
}

// A case's section as a reference: RFC 6455's are stored bare ("5.6"), others carry their RFC
// ("RFC 7692 §7.2").
std::string section_reference(const std::string& section)
{
    return !section.empty() && section.front() >= '0' && section.front() <= '9' ? "RFC 6455 §" + section : section;
}

std::string failure_text(const json& r)
{
    return fmt::format("requirement ({}): {}\nexpected: {}\nexpected close: {}\nreceived: {}\n"
                       "result: {}\nclose: {}\nremote close code: {}\nwire:\n{}",
                       section_reference(r.value("section", "")), r.value("requirement", ""), r.value("expected", json()).dump(),
                       r.value("expectedClose", json()).dump(), r.value("received", json()).dump(),
                       r.value("result", ""), r.value("resultClose", ""),
                       text_of(r.value("remoteCloseCode", json())), wire_bytes(r.value("wirelog", json::array())));
}

std::string short_reason(const json& r)
{
    auto b = r.value("behavior", ""), c = r.value("behaviorClose", "");
    bool data_ok = b == "OK" || b == "NON-STRICT" || b == "INFORMATIONAL";
    return fmt::format("{} / {}: {}", b, c, data_ok ? r.value("resultClose", "") : r.value("result", ""));
}

void add_outcome(pugi::xml_node tc, const json& r, const junit_options& o, counts& n)
{
    auto b = r.value("behavior", ""), c = r.value("behaviorClose", "");
    if (b == "ERROR") {
        ++n.errors;
        auto e = tc.append_child("error");
        e.append_attribute("message") = xml_safe(short_reason(r)).c_str();
        e.append_attribute("type") = "ERROR";
        e.text() = xml_safe(failure_text(r)).c_str();
    } else if (b == "UNIMPLEMENTED") {
        ++n.skipped;
        tc.append_child("skipped").append_attribute("message") = xml_safe(r.value("result", "")).c_str();
    } else if (is_failure(b, c, o.strict)) {
        ++n.failures;
        auto f = tc.append_child("failure");
        f.append_attribute("message") = xml_safe(short_reason(r)).c_str();
        f.append_attribute("type") = fmt::format("{} / {}", b, c).c_str();
        f.text() = xml_safe(failure_text(r)).c_str();
    } else if (b != "OK" || c != "OK") {
        tc.append_child("system-out").text() = xml_safe("passed as " + short_reason(r) + "\n").c_str();
    }
    // Rules the target broke in what it sent, each its own finding (whatever the verdict).
    std::string findings;
    for (const auto& f : r.value("findings", json::array()))
        findings += fmt::format("finding: the target broke {} ({} §{}) at {:.0f} ms\n", f.value("violation", ""),
                                f.value("rfc", "RFC 6455"), f.value("section", ""), f.value("at_ms", 0.0));
    if (!findings.empty()) tc.append_child("system-err").text() = xml_safe(findings).c_str();
}

std::string suite_key(const json& r, bool several_agents)
{
    auto name = suite::category_name(suite::category_of(r["id"].get<std::string>()));
    return several_agents ? name + " (" + r["agent"].get<std::string>() + ")" : name;
}

void set_counts(pugi::xml_node node, const counts& n)
{
    node.append_attribute("tests") = n.tests;
    node.append_attribute("failures") = n.failures;
    node.append_attribute("errors") = n.errors;
    node.append_attribute("skipped") = n.skipped;
    node.append_attribute("time") = fmt::format("{:.3f}", n.time).c_str();
}

void add_testcase(pugi::xml_node suite, const json& r, const junit_options& options, counts& n)
{
    auto tc = suite.append_child("testcase");
    auto id = r["id"].get<std::string>();
    tc.append_attribute("name") = xml_safe(id + " " + r.value("description", "")).c_str();
    tc.append_attribute("classname") = ("wsharness." + agent_slug(r["agent"].get<std::string>()) +
                                        ".category_" + std::to_string(suite::category_of(id))).c_str();
    double seconds = r.value("duration", 0.0) / 1000.0;
    tc.append_attribute("time") = fmt::format("{:.3f}", seconds).c_str();
    ++n.tests;
    n.time += seconds;
    add_outcome(tc, r, options, n);
}

}  // namespace

// One document built as the records pass, one record at a time: a suite's element is added when
// its first record comes (first-seen order) and its testcases go straight into it; its counts
// are set once every record has passed (attributes, so they still follow the name).
void write_junit(const std::filesystem::path& file, const record_stream& records, const junit_options& options)
{
    const auto& index = records.index();
    bool several = false;
    for (const auto& r : index) several = several || r["agent"] != index.front()["agent"];
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto root = doc.append_child("testsuites");
    root.append_attribute("name") = "wsharness";
    std::map<std::string, std::pair<pugi::xml_node, counts>> suites;
    std::vector<std::string> order;
    records.visit([&](const json& r) {
        auto key = suite_key(r, several);
        auto it = suites.find(key);
        if (it == suites.end()) {
            order.push_back(key);
            auto s = root.append_child("testsuite");
            s.append_attribute("name") = key.c_str();
            it = suites.emplace(key, std::pair{s, counts{}}).first;
        }
        add_testcase(it->second.first, r, options, it->second.second);
    });
    counts all;
    for (const auto& key : order) {
        auto& [s, n] = suites[key];
        set_counts(s, n);  // attributes: after the name whatever children the element has
        if (!options.target_stderr.empty() && key == order.front())
            s.append_child("system-err").text() = xml_safe(options.target_stderr).c_str();
        all.tests += n.tests, all.failures += n.failures, all.errors += n.errors;
        all.skipped += n.skipped, all.time += n.time;
    }
    set_counts(root, all);
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    doc.save_file(file.c_str(), "  ", pugi::format_default, pugi::encoding_utf8);
}

void write_junit(const std::filesystem::path& file, const record_list& records, const junit_options& options)
{
    write_junit(file, record_stream::in_memory(records), options);
}

}  // namespace wsh::report
