// SPDX-License-Identifier: MIT
#include "fuzz/network_fuzzer.hpp"

#include "fuzz/connection.hpp"
#include "fuzz/mutation.hpp"
#include "fuzz/process.hpp"

#include <algorithm>
#include <deque>
#include <fstream>
#include <set>
#include <stdexcept>

namespace wsh::fuzz {
namespace {

using namespace transport;
using verdict = probe_result::verdict;

awaitable<void> sleep_for(millis d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::use_awaitable);
}

// Waits up to `total` for the target to accept connections.
awaitable<bool> wait_accepting(const ws_url& url, millis total)
{
    auto until = steady_clock::now() + total;
    while (steady_clock::now() < until) {
        bool up = co_await is_accepting(url, millis(200));
        if (up) co_return true;
        co_await sleep_for(millis(50));
    }
    co_return false;
}

double median(std::vector<long> v)
{
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return double(v[v.size() / 2]);
}

class fuzz_run {
public:
    fuzz_run(const fuzz_options& o, const std::function<void(const finding&)>& report)
        : options_(o), report_(report), seeds_(catalogue_seeds())
    {
        if (!o.exec.empty()) process_.emplace(o.exec);
    }

    fuzz_summary run();

private:
    awaitable<void> start_target();
    awaitable<void> worker();
    awaitable<void> on_result(std::uint64_t iteration, const bytes& input, const probe_result& r);
    awaitable<void> on_crash(std::uint64_t iteration);
    awaitable<std::optional<std::uint64_t>> replay_since_restart(std::uint64_t end);
    awaitable<bool> killed_by(std::uint64_t iteration, const bytes& input);
    void on_latency(std::uint64_t iteration, const bytes& input, millis latency);
    void add(finding f, const std::vector<std::pair<std::uint64_t, bytes>>& inputs);
    bool is_done() const;
    double elapsed() const;

    fuzz_options options_;
    std::function<void(const finding&)> report_;
    std::vector<bytes> seeds_;
    std::optional<target_process> process_;
    fuzz_summary summary_;
    steady_clock::time_point start_ = steady_clock::now();
    std::uint64_t next_ = 0;
    std::uint64_t restarted_at_ = 0;  // the first input sent to the target since it (re)started
    std::uint64_t epoch_ = 0;         // counts restarts; results from an earlier epoch are dropped
    std::deque<std::pair<std::uint64_t, bytes>> recent_;  // inputs in flight or just sent
    std::set<std::pair<finding_kind, std::string>> seen_;
    std::vector<long> latencies_;
    unsigned in_flight_ = 0;
    bool handling_crash_ = false;
    bool target_down_ = false;
};

double fuzz_run::elapsed() const
{
    return std::chrono::duration<double>(steady_clock::now() - start_).count();
}

bool fuzz_run::is_done() const
{
    return target_down_ || elapsed() >= double(options_.duration.count()) ||
           summary_.findings.size() >= options_.max_findings ||
           (options_.stop_at_first && !summary_.findings.empty());
}

awaitable<void> fuzz_run::start_target()
{
    if (process_) process_->start();
    bool up = co_await wait_accepting(options_.url, millis(10000));
    if (!up)
        throw std::runtime_error("the target at " + options_.url.to_string() + " does not accept connections");
}

awaitable<void> fuzz_run::worker()
{
    while (!is_done()) {
        if (handling_crash_) {
            co_await sleep_for(millis(20));
            continue;
        }
        std::uint64_t iteration = next_++;
        std::uint64_t epoch = epoch_;
        bytes input = make_input(seeds_, options_.seed, iteration);
        recent_.emplace_back(iteration, input);
        if (recent_.size() > 4 * options_.concurrency + 4) recent_.pop_front();
        ++in_flight_;
        auto result = co_await execute(options_.url, input, iteration, options_.deadline);
        --in_flight_;
        ++summary_.executions;
        // A result from before a restart belongs to a target that was dying or dead; with
        // --exec its input is sent again after the finding (see on_crash).
        if (epoch == epoch_) co_await on_result(iteration, input, result);
    }
}

awaitable<void> fuzz_run::on_result(std::uint64_t iteration, const bytes& input, const probe_result& r)
{
    if (r.outcome == verdict::refused && !handling_crash_ && !is_done()) {
        bool up = co_await wait_accepting(options_.url, millis(300));
        if (!up && !handling_crash_ && !is_done()) co_await on_crash(iteration);
        co_return;
    }
    if (r.outcome == verdict::hang || r.outcome == verdict::violation) {
        auto kind = r.outcome == verdict::hang ? finding_kind::hang : finding_kind::violation;
        add({.kind = kind, .detail = r.detail, .iteration = iteration, .reproduced = true}, {{iteration, input}});
    }
    if (r.outcome == verdict::ok && r.pong_latency) on_latency(iteration, input, *r.pong_latency);
}

// Response time growth: the median pong latency of the last 50 probes against the first 50.
void fuzz_run::on_latency(std::uint64_t iteration, const bytes& input, millis latency)
{
    latencies_.push_back(latency.count());
    constexpr std::size_t window = 50;
    if (latencies_.size() < 2 * window) return;
    double base = median({latencies_.begin(), latencies_.begin() + window});
    double now = median({latencies_.end() - window, latencies_.end()});
    if (now > std::max(10 * base, base + 200))
        add({.kind = finding_kind::slowdown,
             .detail = "median pong latency grew from " + std::to_string(long(base)) + " ms to " +
                       std::to_string(long(now)) + " ms",
             .iteration = iteration},
            {{iteration, input}});
}

// The target stopped accepting connections: one of the inputs sent since it (re)started killed
// it. Without --exec, save the recent inputs and stop. With --exec, restart it and send those
// inputs again one at a time, in input order, until it stops accepting: the finding is the
// first input after which it is down. That is a function of the seed alone, also when the
// fault builds up over many connections (which input crossed the line when several were in
// flight depends on timing; in input order it does not). Fuzzing then goes on from the next
// input on the restarted target, so later findings do not depend on timing either.
awaitable<void> fuzz_run::on_crash(std::uint64_t iteration)
{
    handling_crash_ = true;
    while (in_flight_ > 0) co_await sleep_for(millis(10));  // the other inputs sent meanwhile
    ++epoch_;
    std::vector<std::pair<std::uint64_t, bytes>> inputs(recent_.begin(), recent_.end());
    recent_.clear();
    finding f{.kind = finding_kind::crash, .detail = "the target stopped accepting connections",
              .iteration = iteration};
    if (!process_) {
        target_down_ = true;
        add(f, inputs);
        handling_crash_ = false;
        co_return;
    }
    co_await start_target();
    std::uint64_t sent = next_;
    auto killer = co_await replay_since_restart(sent);
    if (!killer) {
        // Not reproduced in input order (a race between connections?): report the recent
        // inputs as before and go on where fuzzing was.
        f.detail += " (not reproduced by sending inputs " + std::to_string(restarted_at_) + ".." +
                    std::to_string(sent - 1) + " again one at a time)";
        add(f, inputs);
        restarted_at_ = sent;
        handling_crash_ = false;
        co_return;
    }
    f.iteration = *killer;
    f.reproduced = true;
    bytes culprit = make_input(seeds_, options_.seed, *killer);
    std::vector<std::pair<std::uint64_t, bytes>> saved{{*killer, culprit}};
    if (*killer > restarted_at_) {
        // Does it need the inputs before it? Try it alone on a fresh target.
        bool alone = co_await killed_by(*killer, culprit);
        co_await start_target();
        if (alone) {
            f.detail += " (reproduced by this input alone)";
        } else {
            f.detail += " after inputs " + std::to_string(restarted_at_) + ".." + std::to_string(*killer - 1) +
                        " (state built up over connections; reproduced by replaying them in order)";
            saved.clear();
            for (auto i = restarted_at_; i <= *killer; ++i) saved.emplace_back(i, make_input(seeds_, options_.seed, i));
        }
    } else {
        f.detail += " (reproduced by this input alone)";
    }
    add(f, saved);
    next_ = restarted_at_ = *killer + 1;
    handling_crash_ = false;
}

// Sends input `iteration` on the target and says whether it is down afterwards (then restarts it).
awaitable<bool> fuzz_run::killed_by(std::uint64_t iteration, const bytes& input)
{
    auto r = co_await execute(options_.url, input, iteration, options_.deadline);
    if (r.outcome != verdict::ok) co_await sleep_for(millis(100));  // a dying target: let it go
    co_return !co_await is_accepting(options_.url, millis(300));
}

// Inputs restarted_at_ .. end-1, one at a time in input order on the restarted target: the first
// after which it no longer accepts connections (the target is restarted again), if any.
awaitable<std::optional<std::uint64_t>> fuzz_run::replay_since_restart(std::uint64_t end)
{
    for (auto i = restarted_at_; i < end; ++i) {
        if (!co_await killed_by(i, make_input(seeds_, options_.seed, i))) continue;
        co_await start_target();
        co_return i;
    }
    co_return std::nullopt;
}

void fuzz_run::add(finding f, const std::vector<std::pair<std::uint64_t, bytes>>& inputs)
{
    if (f.kind != finding_kind::crash && !seen_.insert({f.kind, f.detail}).second) return;
    f.seconds = elapsed();
    std::filesystem::create_directories(options_.out_dir);
    auto stem = [&](std::uint64_t iteration) {
        return options_.out_dir / (std::string(to_string(f.kind)) + "-seed" + std::to_string(options_.seed) + "-" +
                                   std::to_string(iteration));
    };
    std::string command = "wsharness replay";
    for (const auto& [iteration, input] : inputs) {
        auto path = stem(iteration).string() + ".ws";
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(input.data()), std::streamsize(input.size()));
        f.files.emplace_back(path);
        command += " " + path;
    }
    command += " " + options_.url.to_string();
    // One note per finding; a replay of several files sends them in order, one per connection.
    std::ofstream(stem(f.iteration).string() + ".txt")
        << to_string(f.kind) << ": " << f.detail << "\nseed " << options_.seed << ", input " << f.iteration
        << ", after " << f.seconds << " s\nreplay: " << command << "\n";
    summary_.findings.push_back(f);
    report_(f);
}

fuzz_summary fuzz_run::run()
{
    asio::io_context io;
    std::exception_ptr failure;
    asio::co_spawn(io, [&]() -> awaitable<void> {
        co_await start_target();
        start_ = steady_clock::now();
        for (unsigned i = 0; i < std::max(1u, options_.concurrency); ++i)
            asio::co_spawn(io, worker(), asio::detached);
    }, [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (process_) process_->stop();
    if (failure) std::rethrow_exception(failure);
    summary_.seconds = elapsed();
    return summary_;
}

}  // namespace

std::string_view to_string(finding_kind k) noexcept
{
    switch (k) {
    case finding_kind::crash: return "crash";
    case finding_kind::hang: return "hang";
    case finding_kind::violation: return "violation";
    case finding_kind::slowdown: return "slowdown";
    }
    return "finding";
}

fuzz_summary run_fuzzer(const fuzz_options& options, const std::function<void(const finding&)>& report)
{
    return fuzz_run(options, report).run();
}

}  // namespace wsh::fuzz
