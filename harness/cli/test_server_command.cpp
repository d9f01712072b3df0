// SPDX-License-Identifier: MIT
// `wsharness test-server URL`: the catalogue against a WebSocket server (we are the client).
#include "command.hpp"

#include "agent_run.hpp"
#include "report/autobahn_json.hpp"
#include "suite/filter.hpp"
#include "target_process.hpp"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>

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
    std::string junit;
    std::string resume;
    std::string baseline;
    bool update_baseline = false;
    bool no_probe = false;
    std::string profile;
    std::string target_profile = "echo";
    std::string exec;
    double exec_wait = 30;
    transport::tls_client_options tls;
    std::uint64_t max_buffer = suite::default_max_buffer;
    std::uint64_t max_run_buffer = suite::default_max_run_buffer;
};

run_settings settings_from(const test_server_args& a)
{
    run_settings s;
    s.out = !a.resume.empty() ? std::filesystem::path(a.resume)
            : a.out.empty()   ? std::filesystem::path("reports") / report::agent_slug(a.agent)
                              : std::filesystem::path(a.out);
    s.resume = !a.resume.empty();
    s.probe = !a.no_probe;
    s.strict = a.strict;
    s.jobs = a.jobs;
    s.timeout = a.timeout;
    s.capabilities = parse_profile(a.profile);
    s.target = parse_target_profile_option(a.target_profile);
    s.junit = a.junit;
    s.baseline = a.baseline;
    s.update_baseline = a.update_baseline;
    s.tls = a.tls;
    s.max_buffer = a.max_buffer;
    s.max_run_buffer = a.max_run_buffer;
    if (a.update_baseline && a.baseline.empty()) throw usage_error("--update-baseline needs --baseline FILE");
    return s;
}

// --exec: a target that died mid-run is started again and the run goes on (issue 10). Called by
// every lane that finds the target gone; the first restarts it, the others find it back.
std::optional<std::string> restart_dead_target(std::optional<target_process>& process, std::mutex& lock,
                                               const test_server_args& a, const run_settings& settings,
                                               const transport::ws_url& url, const std::string& after,
                                               const std::string& next)
{
    std::lock_guard guard(lock);
    std::string error;
    // A target that refuses connections may still be dying (an abort writing its core): give it
    // up to 2 s to exit before deciding it is alive but not answering.
    for (int i = 0; i < 20 && !process->has_exited(); ++i) {
        if (suite::probe_target(url, std::chrono::milliseconds(100), error))
            return std::optional<std::string>("retried: the target accepts connections again");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!process->has_exited()) return std::nullopt;
    auto how = process->exit_description();
    process.emplace(a.exec, settings.out / "target-stderr.txt", true);
    auto wait = std::chrono::milliseconds(static_cast<long>(a.exec_wait * 1000));
    if (!process->wait_until_listening(url, wait, error)) {
        fmt::print(stderr, "wsharness: the target died after case {} ({}) and did not come back: {}\n",
                   after.empty() ? "(none)" : after, how, error);
        return std::nullopt;
    }
    auto note = fmt::format("the target died after case {} ({}); wsharness restarted it (--exec) before case {}",
                            after.empty() ? "(none)" : after, how, next);
    fmt::print(stderr, "wsharness: {}\n", note);
    return note;
}

int run_test_server(const test_server_args& a)
{
    auto settings = settings_from(a);
    agent_target target{.agent = a.agent, .url = a.url, .include = suite::split_patterns(a.cases),
                        .exclude = suite::split_patterns(a.exclude)};
    auto url = require_url(a.url);
    std::optional<target_process> process;
    if (!a.exec.empty()) {
        process.emplace(a.exec, settings.out / "target-stderr.txt");
        std::string error;
        auto wait = std::chrono::milliseconds(static_cast<long>(a.exec_wait * 1000));
        if (!process->wait_until_listening(url, wait, error)) {
            process->stop();
            fmt::print(stderr, "wsharness: --exec '{}': {}\n{}", a.exec, error, process->stderr_text());
            return exit_usage;
        }
    }
    std::mutex revive_lock;
    if (process) settings.revive = [&](const std::string& after, const std::string& next) {
        return restart_dead_target(process, revive_lock, a, settings, url, after, next);
    };
    install_stop_handlers();
    auto start = std::chrono::steady_clock::now();
    std::vector<agent_outcome> outcomes{run_agent(target, settings)};
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string target_stderr;
    if (process) {
        process->stop();
        target_stderr = process->stderr_text();
    }
    return finish_run(settings, outcomes, wall, target_stderr);
}

void add_report_options(CLI::App* cmd, test_server_args& a)
{
    cmd->add_flag("--strict", a.strict, "Count NON-STRICT verdicts as failures");
    cmd->add_option("--out", a.out, "Report directory (default: reports/<agent>)");
    cmd->add_option("--junit", a.junit, "JUnit XML file (default: <out>/junit.xml)");
    cmd->add_option("--resume", a.resume, "Report directory of an interrupted run: run only its missing cases");
    cmd->add_option("--baseline", a.baseline, "Expected verdicts (an Autobahn index.json): report only differences");
    cmd->add_flag("--update-baseline", a.update_baseline, "Write this run's verdicts to the --baseline file");
    cmd->add_option("--profile", a.profile,
                    "What the target deliberately does not do: no-utf8-validation, no-compression, "
                    "max-message=N, max-frame=N (those cases are skipped)");
    cmd->add_option("--target-profile", a.target_profile,
                    "What kind of application the target is: echo, sink (never answers), push "
                    "(sends messages of its own), broadcast (relays each text as {\"message\": ...} "
                    "to every client; runs one case at a time)")
        ->capture_default_str();
    cmd->add_flag("--no-probe", a.no_probe,
                  "Skip the quick probe before the run (one connection, one text and a Ping: a target "
                  "that does not echo stops an echo-profile run at once)");
    cmd->add_option("--exec", a.exec, "Start the target with this shell command, wait for its port, stop it after");
    cmd->add_option("--exec-wait", a.exec_wait, "Seconds to wait for the --exec target's port")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
}

}  // namespace

void add_test_server(CLI::App& app, command_list& commands)
{
    auto a = std::make_shared<test_server_args>();
    auto* cmd = app.add_subcommand("test-server", "Run the catalogue against a WebSocket echo server");
    cmd->add_option("url", a->url, "ws://HOST:PORT/PATH or wss://... of the target")->required();
    cmd->add_option("--cases", a->cases, "Comma-separated id patterns to run (Autobahn style: 1.*, 6.4.?)");
    cmd->add_option("--exclude", a->exclude, "Comma-separated id patterns to skip");
    cmd->add_option("--agent", a->agent, "Name of the target in reports")->capture_default_str();
    cmd->add_option("--jobs", a->jobs, "Cases run in parallel (default: 4 per core)");
    cmd->add_option("--timeout", a->timeout, "Hard cap per case in seconds (default: from the case's timers)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--max-buffer", a->max_buffer,
                    "Bytes kept from the target per connection (messages, wire log); over it the case "
                    "fails with 1008 (default 64 MiB; suffixes KiB, MiB)")
        ->transform(CLI::AsSizeValue(false));
    cmd->add_option("--max-run-buffer", a->max_run_buffer,
                    "Bytes kept from the target over all connections in flight (default 256 MiB)")
        ->transform(CLI::AsSizeValue(false));
    add_report_options(cmd, *a);
    add_tls_client_options(cmd, a->tls);
    commands.push_back({cmd, [a] { return run_test_server(*a); }});
}

}  // namespace wsh::cli
