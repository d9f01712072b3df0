// SPDX-License-Identifier: MIT
// `wsharness observe URL --for 30s`: hold one connection open, validate everything the target
// sends, answer its Pings, optionally send messages from a file at a rate, report what arrived.
// Exit status: 0 no violation, 1 the target broke a rule (or failed the connection), 2 misuse or
// the target could not be reached.
#include "command.hpp"

#include "report/records.hpp"
#include "suite/observer.hpp"

#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

namespace wsh::cli {
namespace {

struct observe_args {
    std::string url;
    std::string duration = "30s";
    std::string send_file;
    double rate = 1.0;
    bool binary = false;
    bool stop_at_violation = false;
    std::size_t kept_violations = 100;
    std::string json;
};

// "30s", "500ms", "2m", or plain seconds ("3", "0.5").
suite::millis parse_duration(const std::string& text)
{
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    auto unit = text.substr(used);
    double factor = unit == "ms" ? 1 : unit == "s" || unit.empty() ? 1000 : unit == "m" ? 60000 : -1;
    if (used == 0 || factor < 0 || !(value > 0))
        throw usage_error("--for: '" + text + "' is not a duration (30s, 500ms, 2m)");
    return suite::millis(static_cast<long>(value * factor));
}

// One message per line; empty lines are skipped.
std::vector<std::string> read_messages(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw usage_error("--send: cannot read " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    if (lines.empty()) throw usage_error("--send: " + path + " holds no message (one per line)");
    return lines;
}

void print_report(const suite::observe_options& o, const suite::observe_report& r)
{
    fmt::print("observed {} for {:.1f} s: {}\n", o.url.to_string(), r.open_seconds, r.end);
    double span = r.messages() > 1 ? (r.last_ms - r.first_ms) / 1000.0 : 0;
    fmt::print("received: {} messages ({} text, {} binary) in {} frames, {} bytes", r.messages(), r.text_messages,
               r.binary_messages, r.frames, r.bytes);
    if (r.messages() > 0)
        fmt::print("; sizes {} / {:.0f} / {} bytes (min / mean / max)", r.smallest,
                   static_cast<double>(r.bytes) / static_cast<double>(r.messages()), r.largest);
    if (span > 0) fmt::print("; {:.2f} messages/s between the first and the last", static_cast<double>(r.messages() - 1) / span);
    fmt::print("\ncontrol: {} pings answered, {} pongs; sent {} messages, {} bytes\n", r.pings, r.pongs,
               r.sent_messages, r.sent_bytes);
    if (r.target_close_code)
        fmt::print("close: the target sent {}{}{}\n", *r.target_close_code, r.target_close_reason.empty() ? "" : " ",
                   r.target_close_reason);
    fmt::print("violations: {}", r.violation_count);
    if (r.violation_count > r.violations.size()) fmt::print(" (the first {} kept)", r.violations.size());
    if (!r.failed_by.empty()) fmt::print("; wsharness failed the connection: {}", r.failed_by);
    fmt::print("\n");
    for (const auto& v : r.violations)
        fmt::print("FINDING: the target broke {} ({} §{}) at {:.0f} ms\n", codec::name(v.rule),
                   codec::rfc(v.rule), codec::section(v.rule), v.at_ms);
}

// --json FILE: the same figures as the console, for CI (null where there is nothing to say).
nlohmann::json report_json(const suite::observe_options& o, const suite::observe_report& r)
{
    using nlohmann::json;
    json j{{"url", o.url.to_string()}, {"for_seconds", static_cast<double>(o.duration.count()) / 1000.0}};
    if (!r.error.empty()) {
        j["error"] = r.error;
        return j;
    }
    const double span = r.messages() > 1 ? (r.last_ms - r.first_ms) / 1000.0 : 0;
    auto or_null = [](bool known, auto value) { return known ? json(value) : json(nullptr); };
    j["open_seconds"] = r.open_seconds;
    j["end"] = r.end;
    j["received"] = {
        {"messages", r.messages()}, {"text", r.text_messages}, {"binary", r.binary_messages},
        {"frames", r.frames}, {"bytes", r.bytes},
        {"size_min", or_null(r.messages() > 0, r.smallest)},
        {"size_mean", or_null(r.messages() > 0, static_cast<double>(r.bytes) / static_cast<double>(std::max<std::uint64_t>(r.messages(), 1)))},
        {"size_max", or_null(r.messages() > 0, r.largest)},
        {"first_ms", or_null(r.first_ms >= 0, r.first_ms)}, {"last_ms", or_null(r.last_ms >= 0, r.last_ms)},
        {"messages_per_second", or_null(span > 0, span > 0 ? static_cast<double>(r.messages() - 1) / span : 0.0)}};
    j["control"] = {{"pings_answered", r.pings}, {"pongs", r.pongs}};
    j["sent"] = {{"messages", r.sent_messages}, {"bytes", r.sent_bytes}};
    j["close"] = {{"target_code", or_null(r.target_close_code.has_value(), r.target_close_code.value_or(0))},
                  {"target_reason", r.target_close_reason},
                  {"target_closed_first", r.target_closed_first},
                  {"clean", r.clean}};
    json kept = json::array();
    for (const auto& v : r.violations)
        kept.push_back({{"violation", codec::name(v.rule)},
                        {"rfc", codec::rfc(v.rule)},
                        {"section", codec::section(v.rule)},
                        {"close_code", codec::close_code_for(v.rule)},
                        {"at_ms", v.at_ms}});
    j["violations"] = {{"count", r.violation_count},
                       {"kept", std::move(kept)},
                       {"not_kept", r.violation_count - r.violations.size()},
                       {"connection_failed_by", or_null(!r.failed_by.empty(), r.failed_by)}};
    return j;
}

int run_observe(const observe_args& a)
{
    suite::observe_options o;
    o.url = require_url(a.url);
    o.duration = parse_duration(a.duration);
    if (!a.send_file.empty()) o.messages = read_messages(a.send_file);
    o.rate = a.rate;
    o.binary = a.binary;
    o.stop_at_violation = a.stop_at_violation;
    o.kept_violations = a.kept_violations;
    auto r = suite::observe(o);
    if (!a.json.empty()) report::write_json_atomically(a.json, report_json(o, r));
    if (!r.error.empty()) {
        fmt::print(stderr, "wsharness: {}\n", r.error);
        return exit_usage;
    }
    print_report(o, r);
    return r.violation_count == 0 ? exit_ok : exit_failed;
}

}  // namespace

void add_observe(CLI::App& app, command_list& commands)
{
    auto a = std::make_shared<observe_args>();
    auto* cmd = app.add_subcommand("observe", "Hold one connection to a server open and report what it sends");
    cmd->add_option("url", a->url, "ws://HOST:PORT/PATH of the target")->required();
    cmd->add_option("--for", a->duration, "How long to observe (30s, 500ms, 2m)")->capture_default_str();
    cmd->add_option("--send", a->send_file, "Send each line of this file as a message, in order");
    cmd->add_option("--rate", a->rate, "Messages per second for --send")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_flag("--binary", a->binary, "Send the --send lines as binary messages");
    cmd->add_flag("--stop-at-violation", a->stop_at_violation,
                  "Fail the connection at the first violation (by default it is recorded and the "
                  "observation goes on)");
    cmd->add_option("--keep-violations", a->kept_violations,
                    "Violations kept with their time; the rest are only counted")
        ->capture_default_str();
    cmd->add_option("--json", a->json, "Also write the report as JSON to this file");
    commands.push_back({cmd, [a] { return run_observe(*a); }});
}

}  // namespace wsh::cli
