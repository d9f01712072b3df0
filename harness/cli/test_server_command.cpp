// SPDX-License-Identifier: MIT
// `wsharness test-server URL`: the catalogue against a WebSocket server (we are the client).
#include "command.hpp"

#include "cases/catalogue.hpp"
#include "report/autobahn_json.hpp"
#include "report/console.hpp"
#include "suite/filter.hpp"
#include "suite/runner.hpp"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <memory>

namespace wsh::cli {
namespace {

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

}  // namespace

void add_test_server(CLI::App& app, command_list& commands)
{
    auto a = std::make_shared<test_server_args>();
    auto* cmd = app.add_subcommand("test-server", "Run the catalogue against a WebSocket echo server");
    cmd->add_option("url", a->url, "ws://HOST:PORT/PATH of the target")->required();
    cmd->add_option("--cases", a->cases, "Comma-separated id patterns to run (Autobahn style: 1.*, 6.4.?)");
    cmd->add_option("--exclude", a->exclude, "Comma-separated id patterns to skip");
    cmd->add_option("--agent", a->agent, "Name of the target in reports")->capture_default_str();
    cmd->add_option("--jobs", a->jobs, "Cases run in parallel (default: 4 per core)");
    cmd->add_option("--timeout", a->timeout, "Hard cap per case in seconds (default: from the case's timers)")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--strict", a->strict, "Count NON-STRICT verdicts as failures");
    cmd->add_option("--out", a->out, "Report directory (default: reports/<agent>)");
    commands.push_back({cmd, [a] { return run_test_server(*a); }});
}

}  // namespace wsh::cli
