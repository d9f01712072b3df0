// SPDX-License-Identifier: MIT
// `wsharness observe URL --for 30s`: hold one connection open, validate everything the target
// sends, answer its Pings, optionally send messages from a file at a rate, report what arrived.
// Exit status: 0 no violation, 1 the target broke a rule (or failed the connection), 2 misuse or
// the target could not be reached.
#include "command.hpp"

#include "suite/observer.hpp"

#include <fmt/format.h>
#include <fstream>
#include <memory>

namespace wsh::cli {
namespace {

struct observe_args {
    std::string url;
    std::string duration = "30s";
    std::string send_file;
    double rate = 1.0;
    bool binary = false;
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
    fmt::print("violations: {}\n", r.violations.size());
    for (const auto& [rule, at] : r.violations)
        fmt::print("FINDING: the target broke {} (RFC 6455 §{}) at {:.0f} ms\n", codec::name(rule), codec::section(rule), at);
}

int run_observe(const observe_args& a)
{
    suite::observe_options o;
    o.url = require_url(a.url);
    o.duration = parse_duration(a.duration);
    if (!a.send_file.empty()) o.messages = read_messages(a.send_file);
    o.rate = a.rate;
    o.binary = a.binary;
    auto r = suite::observe(o);
    if (!r.error.empty()) {
        fmt::print(stderr, "wsharness: {}\n", r.error);
        return exit_usage;
    }
    print_report(o, r);
    return r.violations.empty() ? exit_ok : exit_failed;
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
    commands.push_back({cmd, [a] { return run_observe(*a); }});
}

}  // namespace wsh::cli
