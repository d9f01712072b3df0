// SPDX-License-Identifier: MIT
#include "report/html.hpp"

#include <chrono>
#include <fmt/chrono.h>
#include <fstream>
#include <set>

namespace wsh::report {
namespace {

using json = nlohmann::json;

constexpr std::string_view page_template =
#include "report/html_page.inc"
    ;

// The fields the page shows, so the embedded data stays small.
json page_case(const json& r, bool strict)
{
    json c = json::object();
    for (const char* key : {"agent", "id", "description", "expectation", "requirement", "section", "behavior",
                            "behaviorClose", "result", "resultClose", "duration", "started", "remoteCloseCode",
                            "expected", "received", "findings"})
        c[key] = r.value(key, json());
    c["wirelog"] = r.value("wirelog", json::array());
    c["verdict"] = verdict_class(r, strict);
    return c;
}

// JSON inside <script> must not contain "</" (it could end the element).
std::string script_safe(std::string s)
{
    for (std::size_t at = s.find("</"); at != std::string::npos; at = s.find("</", at + 3)) s.replace(at, 2, "<\\/");
    return s;
}

std::string html_escape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else out += c;
    }
    return out;
}

void replace_all(std::string& s, std::string_view from, const std::string& to)
{
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

}  // namespace

std::string verdict_class(const json& r, bool strict)
{
    auto b = r.value("behavior", ""), c = r.value("behaviorClose", "");
    if (b == "ERROR") return "ERROR";
    if (is_failure(b, c, strict)) return "FAILED";
    if (b == "NON-STRICT" || c == "FAILED BY CLIENT") return "NON-STRICT";
    if (b == "INFORMATIONAL") return "INFORMATIONAL";
    if (b == "UNIMPLEMENTED") return "UNIMPLEMENTED";
    return "OK";
}

// The page is written piece by piece: the data object (keys in nlohmann's sorted order, the
// same bytes as dumping it whole) one case at a time as the records pass, so a run's wire logs
// are never held together, neither as records nor as one JSON value and its text (memory of a
// run, issue 11).
void write_html(const std::filesystem::path& file, const record_stream& records, const html_options& options)
{
    auto text = [](const json& j) { return script_safe(j.dump(-1, ' ', true, json::error_handler_t::replace)); };
    std::set<std::string> agents;
    json category_names = json::object();
    for (const auto& r : records.index()) {
        agents.insert(r["agent"].get<std::string>());
        int category = suite::category_of(r["id"].get<std::string>());
        category_names[std::to_string(category)] = suite::category_name(category);
    }
    std::string page(page_template);
    replace_all(page, "@TITLE@", html_escape(options.title));
    const auto at = page.find("@DATA@");
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file);
    out << std::string_view(page).substr(0, at);
    if (at == std::string::npos) return;
    out << "{\"agents\":" << text(agents) << ",\"cases\":[";
    bool first = true;
    records.visit([&](const json& r) {
        if (!first) out << ',';
        first = false;
        out << text(page_case(r, options.strict));
    });
    out << "],\"categoryNames\":" << text(category_names)
        << ",\"generated\":" << text(fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))))
        << ",\"stderr\":" << text(options.target_stderr) << ",\"strict\":" << text(options.strict) << "}";
    out << std::string_view(page).substr(at + std::string_view("@DATA@").size());
}

void write_html(const std::filesystem::path& file, const record_list& records, const html_options& options)
{
    write_html(file, record_stream::in_memory(records), options);
}

}  // namespace wsh::report
