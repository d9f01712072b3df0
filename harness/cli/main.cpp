// SPDX-License-Identifier: MIT
// The wsharness binary: argument parsing and wiring only.
#include "cases/catalogue.hpp"
#include "peer/driver.hpp"
#include "peer/server.hpp"
#include "report/autobahn_json.hpp"
#include "report/console.hpp"
#include "suite/filter.hpp"
#include "suite/runner.hpp"
#include "transport/url.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <cstdio>
#include <stdexcept>
#include <unistd.h>

namespace {

using namespace wsh;

// Exit statuses (DESIGN.md): 0 no case failed, 1 some case failed, 2 wsharness could not run,
// 3 the filters selected no case.
constexpr int exit_ok = 0;
constexpr int exit_failed = 1;
constexpr int exit_usage = 2;
constexpr int exit_no_cases = 3;

// Misuse of wsharness: a one-line message and exit status 2.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

transport::ws_url require_url(const std::string& text)
{
    std::string error;
    auto url = transport::parse_ws_url(text, error);
    if (!url) throw usage_error("bad URL '" + text + "': " + error);
    if (url->secure) throw usage_error("wss:// is not supported yet; use ws://");
    return *url;
}

peer::fault require_fault(const std::string& name, peer::fault_scope where)
{
    auto f = peer::find_fault(name);
    if (!f) throw usage_error("unknown fault '" + name + "' (see --list-faults)");
    auto scope = peer::info(*f).scope;
    if (scope != peer::fault_scope::both && scope != where)
        throw usage_error("fault '" + name + "' does not apply here");
    return *f;
}

void print_faults(peer::fault_scope where)
{
    for (const auto& f : peer::all_faults())
        if (f.scope == peer::fault_scope::both || f.scope == where)
            fmt::print("{:<30} {}\n", f.name, f.summary);
}

struct serve_args {
    std::string host = "127.0.0.1";
    int port = 9001;
    std::string fault = "none";
    bool list_faults = false;
};

int run_serve(const serve_args& a)
{
    if (a.list_faults) {
        print_faults(peer::fault_scope::serve);
        return exit_ok;
    }
    peer::serve_options o;
    o.host = a.host;
    o.port = static_cast<std::uint16_t>(a.port);
    o.config.injected = require_fault(a.fault, peer::fault_scope::serve);
    return peer::serve(o, [&](std::uint16_t port) {
        fmt::print("wsharness serve: listening on ws://{}:{}/ (fault: {})\n", a.host, port, a.fault);
        std::fflush(stdout);
    });
}

struct drive_args {
    std::string url;
    std::string agent = "wsharness-reference";
    std::string fault = "none";
    bool list_faults = false;
};

int run_drive(const drive_args& a)
{
    if (a.list_faults) {
        print_faults(peer::fault_scope::drive);
        return exit_ok;
    }
    peer::drive_options o;
    o.url = require_url(a.url);
    o.agent = a.agent;
    o.config.injected = require_fault(a.fault, peer::fault_scope::drive);
    int status = peer::drive(o, [](const std::string& line) { fmt::print("wsharness drive: {}\n", line); });
    if (status == exit_usage) fmt::print(stderr, "wsharness drive: cannot run against {}\n", a.url);
    return status;
}

struct test_server_args {
    std::string url;
    std::string cases;
    std::string exclude;
    std::string agent = "wsharness";
    unsigned jobs = 0;
    double timeout = 0;
    bool strict = false;
    std::string out;
};

int run_test_server(const test_server_args& a)
{
    suite::server_run_options o;
    o.url = require_url(a.url);
    o.agent = a.agent;
    o.jobs = a.jobs;
    o.session.case_cap = std::chrono::milliseconds(static_cast<long>(a.timeout * 1000));
    auto selected = suite::select_cases(cases::catalogue(), suite::split_patterns(a.cases),
                                        suite::split_patterns(a.exclude), suite::roles::server);
    if (selected.empty()) {
        fmt::print(stderr, "wsharness: the filters selected no case\n");
        return exit_no_cases;
    }
    std::string error;
    if (!suite::probe_target(o.url, o.connect_timeout, error)) {
        fmt::print(stderr, "wsharness: {}\n", error);
        return exit_usage;
    }
    std::filesystem::path out = a.out.empty() ? std::filesystem::path("reports") / report::agent_slug(a.agent)
                                              : std::filesystem::path(a.out);
    std::map<const suite::test_case*, std::size_t> position;
    for (std::size_t i = 0; i < selected.size(); ++i) position[selected[i]] = i + 1;
    std::size_t done = 0;
    auto start = std::chrono::steady_clock::now();
    // Each case's report is written as soon as it finishes, so an interrupted run keeps it.
    auto results = suite::run_against_server(selected, o, [&](const suite::case_result& r) {
        report::print_progress(stdout, r, ++done, selected.size());
        report::write_case_json(out, a.agent, r, position[r.test], true);
    });
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report::write_index_json(out, a.agent, results);
    report::print_summary(stdout, results, a.strict, wall);
    fmt::print("reports: {}\n", (out / "index.json").string());
    for (const auto& r : results)
        if (report::is_failure(r, a.strict)) return exit_failed;
    return exit_ok;
}

int run_list(const std::string& pattern)
{
    auto selected = suite::select_cases(cases::catalogue(), suite::split_patterns(pattern), {},
                                        suite::roles::both);
    for (const auto* c : selected) fmt::print("{:<10} §{:<7} {}\n", c->id, c->section, c->summary);
    return selected.empty() ? exit_no_cases : exit_ok;
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"wsharness: WebSocket (RFC 6455) conformance and fuzzing harness"};
    app.set_version_flag("--version", std::string(WSH_VERSION));
    app.require_subcommand(1);

    serve_args sa;
    auto* serve = app.add_subcommand("serve", "Run the reference echo server (optionally with one fault)");
    serve->add_option("--host", sa.host, "Address to listen on")->capture_default_str();
    serve->add_option("--port", sa.port, "Port (0: any free port)")->check(CLI::Range(0, 65535))->capture_default_str();
    serve->add_option("--fault", sa.fault, "Inject one known bug (see --list-faults)");
    serve->add_flag("--list-faults", sa.list_faults, "List the faults and exit");

    drive_args da;
    auto* drive = app.add_subcommand("drive", "Run the reference client driver against an Autobahn-style fuzzing server");
    drive->add_option("url", da.url, "ws://HOST:PORT of the fuzzing server");
    drive->add_option("--agent", da.agent, "Agent name reported to the server")->capture_default_str();
    drive->add_option("--fault", da.fault, "Inject one known bug (see --list-faults)");
    drive->add_flag("--list-faults", da.list_faults, "List the faults and exit");

    test_server_args ta;
    auto* test_server = app.add_subcommand("test-server", "Run the catalogue against a WebSocket echo server");
    test_server->add_option("url", ta.url, "ws://HOST:PORT/PATH of the target")->required();
    test_server->add_option("--cases", ta.cases, "Comma-separated id patterns to run (Autobahn style: 1.*, 6.4.?)");
    test_server->add_option("--exclude", ta.exclude, "Comma-separated id patterns to skip");
    test_server->add_option("--agent", ta.agent, "Name of the target in reports")->capture_default_str();
    test_server->add_option("--jobs", ta.jobs, "Cases run in parallel (default: 4 per core)");
    test_server->add_option("--timeout", ta.timeout, "Hard cap per case in seconds (default: from the case's timers)")
        ->check(CLI::PositiveNumber);
    test_server->add_flag("--strict", ta.strict, "Count NON-STRICT verdicts as failures");
    test_server->add_option("--out", ta.out, "Report directory (default: reports/<agent>)");

    std::string list_pattern;
    auto* list = app.add_subcommand("list", "List the catalogue (id, RFC section, summary)");
    list->add_option("pattern", list_pattern, "Comma-separated id patterns");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion&) {
        fmt::print("wsharness {}\n", WSH_VERSION);
        return exit_ok;
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "wsharness: {}\n", e.what());
        return exit_usage;
    }
    try {
        if (serve->parsed()) return run_serve(sa);
        if (drive->parsed()) {
            if (da.url.empty() && !da.list_faults) throw usage_error("drive needs the server URL");
            return run_drive(da);
        }
        if (test_server->parsed()) return run_test_server(ta);
        if (list->parsed()) return run_list(list_pattern);
    } catch (const std::exception& e) {
        fmt::print(stderr, "wsharness: {}\n", e.what());
        return exit_usage;
    }
    return exit_usage;
}
