// SPDX-License-Identifier: MIT
// `wsharness test-client`: Autobahn's fuzzingserver. A client's own test driver connects and
// runs the catalogue with wsharness as the server (shared/spec/autobahn.md §3.3).
#include "command.hpp"

#include "agent_run.hpp"
#include "profile.hpp"

#include "cases/catalogue.hpp"
#include "report/autobahn_json.hpp"
#include "report/console.hpp"
#include "report/html.hpp"
#include "report/junit.hpp"
#include "report/records.hpp"
#include "suite/client_runner.hpp"
#include "suite/filter.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <deque>
#include <memory>

namespace wsh::cli {
namespace {

struct test_client_args {
    std::string listen = "127.0.0.1:9001";
    std::string cases;
    std::string exclude;
    std::string out = "reports/clients";
    std::string once;
    double timeout = 0;
    double close_timeout = 1;
    bool strict = false;
    bool quiet = false;
    transport::tls_server_options tls;
    std::string target_profile = "echo";
    std::uint64_t max_buffer = suite::default_max_buffer;
    std::uint64_t max_run_buffer = suite::default_max_run_buffer;
    std::size_t max_connections = 256;
};

// "HOST:PORT" or "[V6]:PORT"; port 0 picks a free port.
void parse_listen(const std::string& text, suite::client_run_options& o)
{
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) throw usage_error("--listen wants HOST:PORT, got '" + text + "'");
    std::string host = text.substr(0, colon);
    if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned long port = 0;
    try {
        std::size_t used = 0;
        port = std::stoul(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1 || port > 65535) throw std::out_of_range("port");
    } catch (const std::exception&) {
        throw usage_error("bad port in --listen '" + text + "'");
    }
    o.host = host;
    o.port = static_cast<std::uint16_t>(port);
}

// Did this agent fail? A case it never ran counts as a failure: a driver that stops early
// must not pass a CI gate.
bool has_failures(const suite::agent_results& results, std::size_t selected, bool strict)
{
    if (results.size() < selected) return true;
    for (const auto& [number, r] : results)
        if (report::is_failure(r, strict)) return true;
    return false;
}

// The agent's results so far plus the cases its profile cannot judge (not served, so numbered
// after the served ones): case files, index.json, junit.xml and index.html, as test-server writes.
void write_reports(const std::filesystem::path& dir, const std::string& agent,
                   const std::vector<suite::case_result>& results, const std::vector<suite::case_result>& unserved,
                   const suite::client_run_options& o, bool strict)
{
    report::record_list records;
    for (const auto& r : results) {
        auto it = std::find(o.cases.begin(), o.cases.end(), r.test);
        auto number = static_cast<std::size_t>(it - o.cases.begin()) + 1;
        report::write_case_json(dir, agent, r, number, false);
        records.push_back(report::case_record(agent, r, number, false));
    }
    for (std::size_t i = 0; i < unserved.size(); ++i) {
        report::write_case_json(dir, agent, unserved[i], o.cases.size() + i + 1, false);
        records.push_back(report::case_record(agent, unserved[i], o.cases.size() + i + 1, false));
    }
    auto all = results;
    all.insert(all.end(), unserved.begin(), unserved.end());
    report::write_index_json(dir, agent, all);
    report::sort_records(records);
    report::write_junit(dir / "junit.xml", records, {.strict = strict});
    report::write_html(dir / "index.html", records, {.strict = strict, .title = "wsharness client report"});
}

// `tls`: the TLS listener clients connect to (wss://); the case engine listens behind it on a
// loopback port, and `shown_host` is the address the user asked for.
suite::client_run_hooks make_hooks(const test_client_args& a, const suite::client_run_options& o,
                                   const std::vector<suite::case_result>& unserved,
                                   std::chrono::steady_clock::time_point start,
                                   transport::tls_server_relay* tls, const std::string& shown_host)
{
    suite::client_run_hooks h;
    h.listening = [&o, tls, shown_host](std::uint16_t port) {
        if (tls) {
            tls->start(port);
            port = tls->port();
        }
        fmt::print("wsharness test-client: {} cases, listening on {}://{}:{}/\n", o.cases.size(),
                   tls ? "wss" : "ws", shown_host.find(':') == std::string::npos ? shown_host : "[" + shown_host + "]",
                   port);
        std::fflush(stdout);
    };
    h.case_done = [&a, &o](const std::string& agent, const suite::case_result& r, std::size_t number) {
        if (a.quiet) return;
        fmt::print("{}: ", agent);
        report::print_progress(stdout, r, number, o.cases.size());
    };
    h.update_reports = [&a, &o, &unserved, start](const std::string& agent,
                                                  const std::vector<suite::case_result>& results) {
        auto dir = std::filesystem::path(a.out) / report::agent_slug(agent);
        write_reports(dir, agent, results, unserved, o, a.strict);
        double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        fmt::print("agent {}: {} of {} cases run{}\n", agent, results.size(), o.cases.size(),
                   unserved.empty() ? "" : fmt::format(", {} UNIMPLEMENTED under the profile (not served)", unserved.size()));
        auto all = results;
        all.insert(all.end(), unserved.begin(), unserved.end());
        report::print_summary(stdout, all, a.strict, wall);
        fmt::print("reports: {}\n", (dir / "index.json").string());
        std::fflush(stdout);
    };
    h.log = [](const std::string& line) { fmt::print(stderr, "wsharness test-client: {}\n", line); };
    return h;
}

int run_test_client(const test_client_args& a)
{
    suite::client_run_options o;
    parse_listen(a.listen, o);
    o.cases = suite::in_autobahn_order(suite::select_cases(cases::catalogue(), suite::split_patterns(a.cases),
                                                           suite::split_patterns(a.exclude),
                                                           suite::roles::client));
    if (o.cases.empty()) {
        fmt::print(stderr, "wsharness: the filters selected no case\n");
        return exit_no_cases;
    }
    // The cases as the target profile judges them; those it cannot judge are not served (the
    // client's driver numbers the cases it is given), and are listed here instead.
    // They are in every agent's reports as UNIMPLEMENTED with the reason.
    std::deque<suite::test_case> profiled;
    std::vector<suite::case_result> unserved;
    if (auto profile = parse_target_profile_option(a.target_profile); profile != suite::target_profile::echo) {
        std::vector<const suite::test_case*> served;
        for (const auto* c : o.cases) {
            auto p = suite::adapt_case(*c, profile);
            if (p.adapted) {
                served.push_back(&profiled.emplace_back(std::move(*p.adapted)));
                continue;
            }
            fmt::print(stderr, "wsharness test-client: UNIMPLEMENTED {}: {} (not served)\n", c->id, p.unimplemented);
            unserved.push_back(skipped_result(*c, p.unimplemented));
        }
        o.cases = std::move(served);
    }
    if (!a.once.empty()) o.once_agent = a.once;
    o.session.case_cap = std::chrono::milliseconds(static_cast<long>(a.timeout * 1000));
    o.session.close_handshake_timeout = std::chrono::milliseconds(static_cast<long>(a.close_timeout * 1000));
    o.session.max_buffer = a.max_buffer;
    o.session.run_budget = std::make_shared<suite::buffer_budget>(a.max_run_buffer);
    o.max_connections = a.max_connections;
    o.browser_page = std::string(suite::browser_driver_page());
    auto shown_host = o.host;
    auto tls = make_tls_listener(a.tls, o.host, o.port);
    if (tls) {
        o.host = "127.0.0.1";
        o.port = 0;
    }
    auto start = std::chrono::steady_clock::now();
    auto results = suite::serve_clients(o, make_hooks(a, o, unserved, start, tls.get(), shown_host));
    if (o.once_agent) return has_failures(results[*o.once_agent], o.cases.size(), a.strict) ? exit_failed : exit_ok;
    for (const auto& [agent, r] : results)
        if (has_failures(r, o.cases.size(), a.strict)) return exit_failed;
    return exit_ok;
}

}  // namespace

void add_test_client(CLI::App& app, command_list& commands)
{
    auto a = std::make_shared<test_client_args>();
    auto* cmd = app.add_subcommand("test-client",
                                   "Serve Autobahn's fuzzingserver URL protocol to test WebSocket clients");
    cmd->add_option("--listen", a->listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
    cmd->add_option("--cases", a->cases, "Comma-separated id patterns to run (Autobahn style: 1.*, 6.4.?)");
    cmd->add_option("--exclude", a->exclude, "Comma-separated id patterns to skip");
    cmd->add_option("--out", a->out, "Report directory; each agent's reports go to OUT/<agent>/")
        ->capture_default_str();
    cmd->add_option("--once", a->once,
                    "Exit after this agent's /updateReports: status 0 if all its cases passed, 1 if not");
    cmd->add_option("--timeout", a->timeout, "Hard cap per case in seconds (default: from the case's timers)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--close-timeout", a->close_timeout,
                    "Seconds to wait for the client's Close reply (Autobahn's closeHandshakeTimeout)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_flag("--strict", a->strict, "Count NON-STRICT verdicts as failures");
    cmd->add_option("--target-profile", a->target_profile,
                    "What kind of client the target is: echo (its driver echoes), sink (never "
                    "answers), push (sends messages of its own), broadcast (see test-server)")
        ->capture_default_str();
    cmd->add_flag("--quiet", a->quiet, "No line per finished case (summaries and errors only)");
    cmd->add_option("--max-buffer", a->max_buffer,
                    "Bytes kept from a client per connection (messages, wire log); over it the case "
                    "fails with 1008 (default 64 MiB; suffixes KiB, MiB)")
        ->transform(CLI::AsSizeValue(false));
    cmd->add_option("--max-run-buffer", a->max_run_buffer,
                    "Bytes kept from clients over all connections in flight (default 256 MiB)")
        ->transform(CLI::AsSizeValue(false));
    cmd->add_option("--max-connections", a->max_connections,
                    "Connections open at once; at the cap a new one closes the oldest that has sent "
                    "no request yet (default 256)")
        ->check(CLI::PositiveNumber);
    add_tls_server_options(cmd, a->tls);
    commands.push_back({cmd, [a] { return run_test_client(*a); }});
}

}  // namespace wsh::cli
