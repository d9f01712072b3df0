// SPDX-License-Identifier: MIT
// `wsharness fuzz URL`: black-box fuzzing of a live server with mutated catalogue scripts;
// `wsharness replay FILE... URL`: sends a saved finding again and says what the target did.
#include "command.hpp"

#include "fuzz/network_fuzzer.hpp"

#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <memory>

namespace wsh::cli {
namespace {

struct fuzz_args {
    std::string url;
    unsigned seconds = 60;
    std::uint64_t seed = 1;
    std::string exec;
    unsigned concurrency = 4;
    unsigned deadline_ms = 1000;
    std::string out = "reports/fuzz-findings";
    bool stop_at_first = false;
    transport::tls_client_options tls;
};

int run_fuzz(const fuzz_args& a)
{
    auto url = require_url(a.url);
    auto relay = transport::route_through_tls(url, a.tls);
    if (std::string error; relay && a.exec.empty() && !relay->probe(std::chrono::seconds(5), error)) {
        fmt::print(stderr, "wsharness fuzz: {}\n", error);
        return exit_usage;
    }
    fuzz::fuzz_options o{.url = url, .duration = std::chrono::seconds(a.seconds),
                         .seed = a.seed, .exec = a.exec, .concurrency = a.concurrency,
                         .deadline = std::chrono::milliseconds(a.deadline_ms), .out_dir = a.out,
                         .stop_at_first = a.stop_at_first};
    auto summary = fuzz::run_fuzzer(o, [&](const fuzz::finding& f) {
        fmt::print("{:>7.1f}s  {:<9} input {} (seed {}): {}\n", f.seconds, to_string(f.kind),
                   f.iteration, a.seed, f.detail);
        for (const auto& file : f.files) fmt::print("          saved {}\n", file.string());
        std::fflush(stdout);
    });
    fmt::print("wsharness fuzz: {} inputs in {:.1f} s ({:.0f}/s), {} findings\n", summary.executions,
               summary.seconds, double(summary.executions) / std::max(summary.seconds, 0.001),
               summary.findings.size());
    return summary.findings.empty() ? exit_ok : exit_failed;
}

// Replays the files in order, each on its own connection (a finding built up over several
// inputs is saved as all of them); stops at the first that gives a finding.
int run_replay(const std::vector<std::string>& files, const std::string& url_text, unsigned deadline_ms,
               const transport::tls_client_options& tls)
{
    std::vector<std::vector<std::uint8_t>> inputs;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) throw usage_error("cannot read " + file);
        inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    auto url = require_url(url_text);
    auto relay = transport::route_through_tls(url, tls);
    using v = fuzz::probe_result::verdict;
    fuzz::probe_result r;
    std::size_t i = 0;
    for (; i < inputs.size(); ++i) {
        r = fuzz::replay_input(url, inputs[i], std::chrono::milliseconds(deadline_ms));
        if (r.outcome == v::refused || r.outcome == v::hang || r.outcome == v::violation) break;
    }
    bool found = i < inputs.size();
    const char* name = r.outcome == v::refused ? "crash"
                     : r.outcome == v::hang    ? "hang"
                     : r.outcome == v::violation ? "violation"
                                                 : "no finding";
    std::size_t last = std::min(i, inputs.size() - 1);
    std::string which = inputs.size() == 1 ? "" : fmt::format(" at file {} of {}", last + 1, inputs.size());
    fmt::print("wsharness replay: {}{}: {} ({} bytes sent)\n", name, which, r.detail, inputs[last].size());
    return found ? exit_failed : exit_ok;
}

}  // namespace

void add_fuzz(CLI::App& app, command_list& commands)
{
    auto a = std::make_shared<fuzz_args>();
    auto* cmd = app.add_subcommand("fuzz", "Fuzz a live server with mutated catalogue frame scripts");
    cmd->add_option("url", a->url, "ws://host:port/path (or wss://) of the target")->required();
    cmd->add_option("--time", a->seconds, "Seconds to fuzz")->capture_default_str();
    cmd->add_option("--seed", a->seed, "Seed: the same seed sends the same inputs")->capture_default_str();
    cmd->add_option("--exec", a->exec, "Shell command that starts the target (restarted after a crash)");
    cmd->add_option("--concurrency", a->concurrency, "Connections in flight")->capture_default_str();
    cmd->add_option("--deadline-ms", a->deadline_ms, "Time for the pong or close after an input")
        ->capture_default_str();
    cmd->add_option("--out", a->out, "Folder for the saved findings")->capture_default_str();
    cmd->add_flag("--stop-at-first", a->stop_at_first, "Stop after the first finding");
    add_tls_client_options(cmd, a->tls);
    commands.push_back({cmd, [a] { return run_fuzz(*a); }});

    auto files = std::make_shared<std::vector<std::string>>();
    auto url = std::make_shared<std::string>();
    auto deadline = std::make_shared<unsigned>(1000);
    auto* replay = app.add_subcommand("replay", "Send a saved fuzz finding again and judge the target");
    replay->add_option("file", *files, ".ws files saved by wsharness fuzz, sent in order, one per connection")
        ->required();
    replay->add_option("url", *url, "ws://host:port/path (or wss://) of the target")->required();
    replay->positionals_at_end();  // the last positional is the URL, the ones before it files
    replay->add_option("--deadline-ms", *deadline, "Time for the pong or close")->capture_default_str();
    auto tls = std::make_shared<transport::tls_client_options>();
    add_tls_client_options(replay, *tls);
    commands.push_back({replay, [files, url, deadline, tls] { return run_replay(*files, *url, *deadline, *tls); }});
}

}  // namespace wsh::cli
