// SPDX-License-Identifier: MIT
#include "suite/runner.hpp"

#include "handshake/handshake.hpp"
#include "suite/negotiate.hpp"
#include "suite/waits.hpp"
#include "transport/io.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace wsh::suite {
namespace {

using namespace transport;

double unix_ms()
{
    return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The request of a case: its own (category 20) or the ordinary one (RFC 6455 §4.1).
std::string request_for(const test_case& c, const server_run_options& options, const std::string& key)
{
    if (c.handshake && c.handshake->request)
        return c.handshake->request(request_parts{options.url.host_header(), options.url.target, key});
    handshake::client_request req;
    req.host = options.url.host_header();
    req.target = options.url.target;
    req.key = key;
    req.extra.push_back({"User-Agent", "wsharness/" WSH_VERSION});
    if (c.deflate) req.extensions.push_back(deflate_offer_header(*c.deflate));
    return handshake::build_request(req);
}

awaitable<error_code> send_request(tcp::socket& socket, const std::string& text, std::size_t chop)
{
    if (chop == 0) co_return co_await write_text(socket, text);
    for (std::size_t at = 0; at < text.size(); at += chop) {
        if (auto ec = co_await write_text(socket, text.substr(at, chop))) co_return ec;
        co_await asio::post(socket.get_executor(), asio::use_awaitable);
    }
    co_return error_code{};
}

// A refusal the case expects (RFC 6455 §4.2.1, §4.4): which answers are acceptable.
std::string check_refusal(const opening_handshake& h, const head_result& head)
{
    if (!head.ok) return h.drop_is_ok ? "" : "no HTTP answer to an invalid handshake: " + head.error;
    int status = head.head.status;
    bool listed = h.refusal_statuses.empty()
                      ? status >= 400 && status < 500
                      : std::find(h.refusal_statuses.begin(), h.refusal_statuses.end(), status) !=
                            h.refusal_statuses.end();
    if (!listed) return fmt::format("refused with status {}, expected {}", status,
                                    h.refusal_statuses.empty() ? std::string("a 4xx status")
                                                               : fmt::format("{}", fmt::join(h.refusal_statuses, " or ")));
    if (h.refusal_needs_version_header && !head.head.find("Sec-WebSocket-Version"))
        return fmt::format("refused with {} but without Sec-WebSocket-Version naming the supported versions", status);
    return "";
}

// Opening handshake of a case (RFC 6455 §4.1): a precondition, or for category 20 the subject.
// Fills `o` and returns the bytes that followed the response head when the script is to run.
awaitable<std::optional<bytes>> open(tcp::socket& socket, const test_case& c,
                                     const server_run_options& options, observation& o,
                                     std::optional<codec::deflate_agreement>& deflate)
{
    auto ec = co_await transport::connect(socket, options.url, options.connect_timeout);
    if (ec) {
        o.error = "cannot connect to " + options.url.to_string() + ": " + ec.message();
        co_return std::nullopt;
    }
    o.connected = true;
    auto key = random_client_key();
    o.http_request = request_for(c, options, key);
    if (co_await send_request(socket, o.http_request, c.handshake ? c.handshake->chop : 0)) {
        o.was_not_clean_reason = "connection lost while sending the opening handshake";
        co_return std::nullopt;
    }
    auto head = co_await read_head(socket, handshake::head_kind::response, options.open_handshake_timeout);
    o.http_response = head.raw;
    if (head.ok) o.http_status = head.head.status;
    bool refusal_expected = c.handshake && !c.handshake->expect_upgrade;
    if (refusal_expected) {
        // A 101 to an invalid request is an acceptance, whatever else it says.
        if (head.ok && head.head.status == 101) o.opened = true;
        else o.handshake_problem = check_refusal(*c.handshake, head);
        co_return std::nullopt;
    }
    if (!head.ok) {
        o.was_open_handshake_timeout = head.timed_out;
        o.was_not_clean_reason = head.error;
        co_return std::nullopt;
    }
    std::vector<std::string> offered = c.handshake ? c.handshake->offered_protocols : std::vector<std::string>{};
    std::vector<std::string> extensions;
    if (c.deflate) extensions.push_back(deflate_offer_header(*c.deflate));
    auto check = handshake::check_response(head.head, key, offered, extensions);
    if (check.ok && c.deflate) {
        // RFC 7692 §7.1: an invalid permessage-deflate response fails the connection.
        auto agreed = read_deflate_response(*c.deflate, check.extensions);
        if (!agreed.error.empty()) {
            check.ok = false;
            check.reason = agreed.error;
        }
        deflate = agreed.agreement;
    }
    if (!check.ok) {
        o.was_not_clean_reason = "handshake rejected: " + check.reason;
        co_return std::nullopt;
    }
    o.opened = true;
    co_return std::move(head.leftover);
}

awaitable<case_result> run_one(const test_case& c, const server_run_options& options)
{
    case_result r{.test = &c};
    r.obs.started_unix_ms = unix_ms();
    tcp::socket socket(co_await asio::this_coro::executor);
    std::optional<codec::deflate_agreement> deflate;
    auto leftover = co_await open(socket, c, options, r.obs, deflate);
    // A target that is dying (an abort writing its core) may still have its listening socket:
    // the connection is taken into its backlog, then reset with no answer at all. Under --exec
    // that is asked about too (revive sees whether the process exited), else the case after a
    // crash would get a verdict from the dead process.
    const bool refusal_expected = c.handshake && !c.handshake->expect_upgrade;
    const bool lost_unanswered = r.obs.connected && !leftover && !refusal_expected && r.obs.http_response.empty() &&
                                 !r.obs.was_open_handshake_timeout;
    if (!r.obs.connected || (options.revive && lost_unanswered)) {
        // The run started only once the target accepted a connection (probe_target): now it
        // does not, so it crashed or exited. With --exec it is restarted and the case retried.
        auto note = options.revive ? options.revive(c.id) : std::nullopt;
        if (note) {
            r.obs = observation{.started_unix_ms = unix_ms()};
            socket = tcp::socket(co_await asio::this_coro::executor);
            deflate.reset();
            leftover = co_await open(socket, c, options, r.obs, deflate);
            r.obs.wirelog.insert(r.obs.wirelog.begin(), wire_record{.what = wire_record::kind::note, .text = *note});
        } else if (!r.obs.connected) {
            r.obs.error = "the target no longer accepts connections (it did when the run started; did it "
                          "crash?): " + r.obs.error;
        }
    }
    if (leftover) {
        session_options so = options.session;
        so.tester_is_client = true;
        so.deflate = deflate;
        co_await run_session(std::move(socket), c, so, r.obs, std::move(*leftover));
    }
    r.v = judge_case(c, r.obs, true);
    co_return r;
}

// What a case costs beside its waits, in microseconds: its hint, or 65 us per message it
// expects (a round trip) where that is 64 messages or more; else 0 (a small case).
std::int64_t expected_work(const test_case& c)
{
    if (c.work_hint.count() > 0) return c.work_hint.count();
    if (c.outcomes.empty() || c.outcomes.front().events.size() < 64) return 0;
    return static_cast<std::int64_t>(c.outcomes.front().events.size()) * 65;
}

// The order cases are started in on several connections: those that wait on purpose first,
// longest first (they hold a lane, not the CPU, so the rest runs beside them), then the heavy
// ones, most work first (a long case started last leaves the other lanes idle at the end), then
// the catalogue's order. With one connection the catalogue's order. Results keep their places:
// only the start order changes.
std::vector<std::size_t> start_order(const std::vector<const test_case*>& cases, unsigned jobs)
{
    std::vector<std::size_t> order(cases.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (jobs <= 1) return order;
    struct key {
        millis wait;
        std::int64_t work;
    };
    std::vector<key> keys;
    keys.reserve(cases.size());
    for (const auto* c : cases) keys.push_back({scripted_wait(*c), expected_work(*c)});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (keys[a].wait != keys[b].wait) return keys[a].wait > keys[b].wait;
        return keys[a].work > keys[b].work;
    });
    return order;
}

// Where a finished case goes: its index in `cases` and the result.
using indexed_sink = std::function<void(std::size_t, case_result&&)>;

// Hands finished cases to the sink. With several connections on a thread of its own: writing a
// case's report (JSON, a file created and renamed) must not stall the other connections of the
// io thread that ran the case. With one connection at once, in the lane (the sink then sees each
// case before the next one starts: --exec names the case a target died after).
class delivery {
public:
    delivery(const indexed_sink& sink, bool threaded) : sink_(sink)
    {
        if (threaded) writer_ = std::thread([this] { drain(); });
    }
    delivery(const delivery&) = delete;
    delivery& operator=(const delivery&) = delete;
    ~delivery() { finish(); }

    void deliver(std::size_t i, case_result r)
    {
        std::unique_lock guard(lock_);
        if (!writer_.joinable()) {
            store(i, std::move(r));
            return;
        }
        queue_.emplace_back(i, std::move(r));
        ready_.notify_one();
    }

    // Every case delivered has reached the sink once this returns.
    void finish()
    {
        {
            std::lock_guard guard(lock_);
            closed_ = true;
            ready_.notify_one();
        }
        if (writer_.joinable()) writer_.join();
    }

private:
    void drain()
    {
        std::unique_lock guard(lock_);
        for (;;) {
            ready_.wait(guard, [&] { return closed_ || !queue_.empty(); });
            if (queue_.empty()) return;
            auto [i, r] = std::move(queue_.front());
            queue_.pop_front();
            guard.unlock();
            store(i, std::move(r));
            guard.lock();
        }
    }

    void store(std::size_t i, case_result r)
    {
        try {
            sink_(i, std::move(r));
        } catch (const std::exception&) {
            // A report that cannot be written must not stop the run.
        }
    }

    const indexed_sink& sink_;
    std::mutex lock_;
    std::condition_variable ready_;
    std::deque<std::pair<std::size_t, case_result>> queue_;
    bool closed_ = false;
    std::thread writer_;
};

// The largest message a case expects back from a correct peer (its first outcome), when it is a
// megabyte or more: the size of what it sends, and what it holds while it runs (category 9
// builds its payload when it starts and keeps it until written). Later outcomes are other
// acceptable answers: 24.1.3 accepts the echo of a 72 MiB message it sends in slices of one
// shared 4 MiB piece; counting that would make the budget 72 MiB.
std::uint64_t megabytes_held(const test_case& c)
{
    std::uint64_t largest = 0;
    if (!c.outcomes.empty())
        for (const auto& e : c.outcomes.front().events) largest = std::max(largest, e.size());
    return largest >= (1u << 20) ? largest : 0;
}

// Hands out the cases in their start order, keeping the megabytes of the cases in flight at
// once within the largest case's (memory of a run, issue 11: peak RSS within 64 MiB plus the
// largest message in flight): a megabyte case that does not fit waits while the lanes take the
// cases after it; one that is larger than the budget runs alone among them.
class scheduler {
public:
    scheduler(const std::vector<const test_case*>& cases, std::vector<std::size_t> order)
        : order_(std::move(order)), started_(cases.size(), false)
    {
        held_.reserve(cases.size());
        for (const auto* c : cases) {
            held_.push_back(megabytes_held(*c));
            budget_ = std::max(budget_, held_.back());
        }
    }

    struct pick {
        std::optional<std::size_t> index;  // the case to run
        bool done = false;                 // every case has started
    };

    pick take()
    {
        std::lock_guard guard(lock_);
        while (first_ < order_.size() && started_[order_[first_]]) ++first_;
        if (first_ == order_.size()) return {.done = true};
        for (auto at = first_; at < order_.size(); ++at) {
            const auto i = order_[at];
            if (started_[i]) continue;
            if (held_[i] && in_flight_ && in_flight_ + held_[i] > budget_) continue;
            started_[i] = true;
            in_flight_ += held_[i];
            return {.index = i};
        }
        return {};  // only megabyte cases are left and they do not fit yet
    }

    void finished(std::size_t i)
    {
        std::lock_guard guard(lock_);
        in_flight_ -= held_[i];
    }

private:
    std::mutex lock_;
    const std::vector<std::size_t> order_;
    std::vector<bool> started_;
    std::vector<std::uint64_t> held_;
    std::uint64_t budget_ = 0;
    std::uint64_t in_flight_ = 0;
    std::size_t first_ = 0;  // positions before it have all started
};

// Takes cases from the scheduler until none is left.
awaitable<void> lane(const std::vector<const test_case*>& cases, scheduler& work, const server_run_options& options,
                     delivery& out)
{
    for (;;) {
        if (options.stop && options.stop->load()) co_return;
        auto next = work.take();
        if (next.done) co_return;
        if (!next.index) {
            // Megabyte cases in flight hold the budget: look again shortly.
            asio::steady_timer wait(co_await asio::this_coro::executor, std::chrono::milliseconds(2));
            co_await wait.async_wait(asio::use_awaitable);
            continue;
        }
        const auto i = *next.index;
        case_result r;
        try {
            r = co_await run_one(*cases[i], options);
        } catch (const std::exception& e) {
            // A harness fault is an ERROR verdict for this case; the run goes on.
            r = case_result{.test = cases[i]};
            r.obs.error = std::string("internal error: ") + e.what();
            r.v = judge_case(*cases[i], r.obs, true);
        }
        work.finished(i);
        out.deliver(i, std::move(r));
    }
}

}  // namespace

unsigned default_jobs()
{
    return std::max(1u, std::thread::hardware_concurrency()) * 4;
}

bool probe_target(const ws_url& url, millis timeout, std::string& error)
{
    asio::io_context io;
    tcp::socket socket(io);
    error_code result;
    asio::co_spawn(io, transport::connect(socket, url.host, url.port, timeout),
                   [&](std::exception_ptr, error_code ec) { result = ec; });
    io.run();
    if (result) error = "cannot connect to " + url.to_string() + ": " + result.message();
    return !result;
}

namespace {

void run_all(const std::vector<const test_case*>& cases, const server_run_options& options, const indexed_sink& sink)
{
    unsigned jobs = options.jobs ? options.jobs : default_jobs();
    jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(1, cases.size()))));
    unsigned threads = std::min(jobs, std::max(1u, std::thread::hardware_concurrency()));
    scheduler work(cases, start_order(cases, jobs));
    delivery out(sink, jobs > 1);
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        unsigned lanes = jobs / threads + (t < jobs % threads ? 1 : 0);
        workers.emplace_back([&, lanes] {
            asio::io_context io;
            for (unsigned l = 0; l < lanes; ++l)
                asio::co_spawn(io, lane(cases, work, options, out), asio::detached);
            io.run();
        });
    }
    for (auto& w : workers) w.join();
    out.finish();
}

}  // namespace

void run_against_server(const std::vector<const test_case*>& cases, const server_run_options& options,
                        const result_sink& sink)
{
    run_all(cases, options, [&](std::size_t, case_result&& r) {
        if (sink) sink(std::move(r));
    });
}

std::vector<case_result> run_against_server(const std::vector<const test_case*>& cases,
                                            const server_run_options& options)
{
    std::vector<case_result> results(cases.size());
    run_all(cases, options, [&](std::size_t i, case_result&& r) { results[i] = std::move(r); });
    return results;
}

}  // namespace wsh::suite
