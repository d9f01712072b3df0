// SPDX-License-Identifier: MIT
#include "report/autobahn_json.hpp"

#include "codec/violation.hpp"
#include "report/records.hpp"

#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

namespace wsh::report {
namespace {

using json = nlohmann::json;
using suite::bytes;

std::string iso_time(double unix_ms)
{
    auto ms = static_cast<long long>(unix_ms);
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

json event_json(const suite::event& e)
{
    static const bytes empty;
    const bytes& d = e.data ? *e.data : empty;
    switch (e.what) {
    case suite::event::kind::message: return json::array({"message", suite::display_payload(d), e.binary});
    case suite::event::kind::pong: return json::array({"pong", suite::display_payload(d)});
    case suite::event::kind::timeout: return json::array({"timeout", std::string(d.begin(), d.end())});
    }
    return json::array();
}

json events_json(const std::vector<suite::event>& events)
{
    json out = json::array();
    for (const auto& e : events) out.push_back(event_json(e));
    return out;
}

std::string hex(const bytes& b)
{
    std::string s;
    for (auto c : b) s += fmt::format("{:02x}", c);
    return s;
}

json wirelog_json(const std::vector<suite::wire_record>& log)
{
    json out = json::array();
    for (const auto& r : log) {
        using k = suite::wire_record::kind;
        switch (r.what) {
        case k::tx_bytes: out.push_back(json::array({"TO", json::array({r.length, hex(r.head)}), false})); break;
        case k::rx_bytes: out.push_back(json::array({"RO", json::array({r.length, hex(r.head)})})); break;
        case k::tx_frame:
            out.push_back(json::array({"TF", json::array({r.length, suite::display_payload(r.head)}), r.frame.opcode,
                                       r.frame.fin, r.frame.rsv, r.frame.masked ? json(hex(bytes(r.frame.mask.begin(), r.frame.mask.end()))) : json(nullptr)}));
            break;
        case k::rx_frame:
            out.push_back(json::array({"RF", json::array({r.length, ""}), r.frame.opcode, r.frame.fin,
                                       r.frame.rsv, r.frame.masked}));
            break;
        case k::timer: out.push_back(json::array({r.text, r.length / 1000.0})); break;
        case k::note: out.push_back(json::array({"NOTE", r.text})); break;
        }
    }
    return out;
}

json optional_code(const std::optional<std::uint16_t>& code)
{
    return code ? json(*code) : json(nullptr);
}

long long duration_of(const suite::case_result& r) { return std::llround(r.obs.duration_ms); }

}  // namespace

std::string agent_slug(const std::string& agent)
{
    std::string s;
    for (char c : agent) {
        unsigned char u = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c)));
        s += (std::isalnum(u) && u < 0x80) ? static_cast<char>(u) : ' ';
    }
    auto first = s.find_first_not_of(' ');
    auto last = s.find_last_not_of(' ');
    s = first == std::string::npos ? "" : s.substr(first, last - first + 1);
    for (auto& c : s)
        if (c == ' ') c = '_';
    return s;
}

std::string case_file_name(const std::string& agent, const std::string& id)
{
    std::string under = id;
    for (auto& c : under)
        if (c == '.') c = '_';
    return agent_slug(agent) + "_case_" + under + ".json";
}

json case_record(const std::string& agent, const suite::case_result& r, std::size_t index,
                 bool tester_is_client)
{
    const auto& c = *r.test;
    const auto& o = r.obs;
    json expected = json::object();
    for (const auto& out : c.outcomes) expected[std::string(suite::to_string(out.verdict))] = events_json(out.events);
    json findings = json::array();
    for (const auto& f : o.findings)
        findings.push_back({{"violation", std::string(codec::name(f.rule))}, {"rfc", std::string(codec::rfc(f.rule))},
                            {"section", std::string(codec::section(f.rule))}, {"at_ms", f.at_ms}});
    json j = {
        {"agent", agent}, {"id", c.id}, {"case", index},
        {"description", c.summary}, {"expectation", c.requirement},
        {"section", c.section}, {"requirement", c.requirement},
        {"started", iso_time(o.started_unix_ms)}, {"duration", duration_of(r)},
        {"reportTime", suite::category_of(c.id) == 9}, {"reportCompressionRatio", false},
        {"behavior", std::string(suite::to_string(r.v.behavior))},
        {"behaviorClose", std::string(suite::to_string(r.v.close))},
        {"result", r.v.result}, {"resultClose", r.v.result_close},
        {"expected", expected},
        {"expectedClose", {{"closedByMe", c.close.closed_by_me}, {"closeCode", c.close.codes},
                           {"requireClean", c.close.require_clean}}},
        {"received", events_json(o.received)},
        {"closedByMe", o.closed_by_me}, {"failedByMe", o.failed_by_me}, {"droppedByMe", o.dropped_by_me},
        {"wasClean", o.was_clean}, {"wasNotCleanReason", o.was_clean ? json(nullptr) : json(o.was_not_clean_reason)},
        {"wasServerConnectionDropTimeout", o.was_server_connection_drop_timeout},
        {"wasOpenHandshakeTimeout", o.was_open_handshake_timeout},
        {"wasCloseHandshakeTimeout", o.was_close_handshake_timeout},
        {"localCloseCode", optional_code(o.local_close_code)}, {"localCloseReason", o.local_close_reason},
        {"remoteCloseCode", optional_code(o.remote_close_code)}, {"remoteCloseReason", o.remote_close_reason},
        {"isServer", !tester_is_client},
        {"httpRequest", o.http_request.empty() ? "?" : o.http_request},
        {"httpResponse", o.http_response.empty() ? "?" : o.http_response},
        {"createWirelog", c.wirelog}, {"wirelog", wirelog_json(o.wirelog)},
        {"findings", findings}, {"trafficStats", nullptr},
    };
    if (c.close.wrong_endpoint_is_fatal) j["expectedClose"]["closedByWrongEndpointIsFatal"] = true;
    return j;
}

void write_case_json(const std::filesystem::path& dir, const std::string& agent,
                     const suite::case_result& r, std::size_t index, bool tester_is_client)
{
    write_json_atomically(dir / case_file_name(agent, r.test->id),
                          case_record(agent, r, index, tester_is_client));
}

void write_index_json(const std::filesystem::path& dir, const std::string& agent,
                      const std::vector<suite::case_result>& results)
{
    json cases = json::object();
    for (const auto& r : results) {
        if (!r.test) continue;
        cases[r.test->id] = {{"behavior", std::string(suite::to_string(r.v.behavior))},
                             {"behaviorClose", std::string(suite::to_string(r.v.close))},
                             {"duration", duration_of(r)},
                             {"remoteCloseCode", optional_code(r.obs.remote_close_code)},
                             {"reportfile", case_file_name(agent, r.test->id)}};
    }
    write_json_atomically(dir / "index.json", json{{agent, cases}});
}

}  // namespace wsh::report
