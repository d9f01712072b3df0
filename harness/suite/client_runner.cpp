// SPDX-License-Identifier: MIT
#include "suite/client_runner.hpp"

#include "codec/close.hpp"
#include "codec/frame_encoder.hpp"
#include "codec/message_decoder.hpp"
#include "handshake/handshake.hpp"
#include "suite/negotiate.hpp"
#include "transport/io.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <deque>
#include <memory>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace wsh::suite {
namespace {

using namespace transport;

constexpr millis control_close_wait{1000};
constexpr millis status_poll{50};
// Category 21: how long a client has to react to an answer it must refuse.
constexpr millis handshake_case_wait{2000};
constexpr std::string_view handshake_probe = "Hello from wsharness: echo this only if the handshake succeeded";

int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 §2.1 percent-decoding of a query component ('+' is a space, as in forms).
std::optional<std::string> percent_decode(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] != '%') {
            out += s[i];
        } else {
            if (i + 2 >= s.size()) return std::nullopt;
            int hi = hex_value(s[i + 1]);
            int lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
    }
    return out;
}

std::string json_string(std::string_view s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            static const char* hex = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

// What a request asks for, or the HTTP error that refuses it.
struct route {
    std::string path;
    std::string agent;
    std::size_t number = 0;  // 1-based case number
    bool shutdown = false;   // /updateReports?...&shutdownOnComplete=true
    int status = 0;          // non-zero: refuse with this HTTP status
    std::string error;
};

route refuse(int status, std::string error)
{
    route r;
    r.status = status;
    r.error = std::move(error);
    return r;
}

// case=N (1..count) or casetuple=X.Y.Z (an id among the selected cases).
std::optional<std::size_t> case_number(const protocol_request& req,
                                       const std::vector<const test_case*>& cases, std::string& error)
{
    if (auto it = req.params.find("case"); it != req.params.end()) {
        std::size_t n = 0;
        const auto& v = it->second;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc{} || end != v.data() + v.size() || n < 1 || n > cases.size()) {
            error = "case '" + v + "' is not a case number in 1.." + std::to_string(cases.size());
            return std::nullopt;
        }
        return n;
    }
    if (auto it = req.params.find("casetuple"); it != req.params.end()) {
        for (std::size_t i = 0; i < cases.size(); ++i)
            if (cases[i]->id == it->second) return i + 1;
        error = "casetuple '" + it->second + "' is not one of the selected cases";
        return std::nullopt;
    }
    error = "missing parameter: case=N or casetuple=X.Y.Z";
    return std::nullopt;
}

bool needs_case(std::string_view path)
{
    return path == "/runCase" || path == "/getCaseInfo" || path == "/getCaseStatus";
}

bool needs_agent(std::string_view path)
{
    return path == "/runCase" || path == "/getCaseStatus" || path == "/updateReports";
}

bool is_known_path(std::string_view path)
{
    return path == "/getCaseCount" || needs_case(path) || needs_agent(path) || path == "/stopServer";
}

// Autobahn's validation of the URL protocol (autobahn.md §3.3), as HTTP errors.
route resolve(const protocol_request& req, const std::vector<const test_case*>& cases)
{
    if (!req.error.empty()) return refuse(400, req.error);
    if (!is_known_path(req.path))
        return refuse(404, "unknown path '" + req.path +
                               "' (known: /getCaseCount, /runCase, /getCaseInfo, /getCaseStatus, "
                               "/updateReports, /stopServer)");
    route r;
    r.path = req.path;
    if (needs_agent(req.path)) {
        auto it = req.params.find("agent");
        if (it == req.params.end() || it->second.empty())
            return refuse(400, "missing parameter: agent=NAME");
        r.agent = it->second;
    }
    if (needs_case(req.path)) {
        std::string error;
        auto n = case_number(req, cases, error);
        if (!n) return refuse(404, error);
        r.number = *n;
    }
    if (auto it = req.params.find("shutdownOnComplete"); it != req.params.end())
        r.shutdown = it->second == "true" || it->second == "yes";
    return r;
}

double unix_ms()
{
    return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

awaitable<void> write_frame(tcp::socket& socket, codec::opcode op, const bytes& payload)
{
    codec::frame_spec spec;
    spec.opcode = to_nibble(op);
    auto frame = codec::encode_frame(spec, payload);
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(frame), nothrow(ec));
}

// Waits (bounded) for the client's Close reply, then closes TCP: the server closes first
// (RFC 6455 §7.1.1).
awaitable<void> await_close_reply(tcp::socket& socket, bytes leftover)
{
    codec::message_options mo;
    mo.frame.local_role = codec::role::server;
    codec::message_decoder decoder(mo);
    socket_deadline guard(socket, control_close_wait);
    bytes buffer = std::move(leftover);
    for (;;) {
        std::span<std::uint8_t> input(buffer);
        while (!input.empty()) {
            auto step = decoder.feed(input);
            input = input.subspan(step.consumed);
            auto kind = step.event.kind;
            if (kind == codec::message_event_kind::violation_found ||
                (kind == codec::message_event_kind::control_received &&
                 step.event.opcode == to_nibble(codec::opcode::close)))
                co_return;
            if (kind == codec::message_event_kind::need_more) break;
        }
        buffer.resize(4096);
        error_code ec;
        auto n = co_await socket.async_read_some(asio::buffer(buffer), nothrow(ec));
        if (ec || n == 0) co_return;
        buffer.resize(n);
    }
}

// A control connection of the URL protocol: an optional text message, then Close 1000.
awaitable<void> answer_and_close(tcp::socket& socket, std::optional<std::string> text, bytes leftover)
{
    if (text) co_await write_frame(socket, codec::opcode::text, bytes(text->begin(), text->end()));
    co_await write_frame(socket, codec::opcode::close,
                         codec::make_close_payload(codec::close_code::normal_closure));
    co_await await_close_reply(socket, std::move(leftover));
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
}

// What a client sent after an answer it had to refuse: a frame header if it looks like one.
std::string describe_client_bytes(const bytes& got)
{
    std::string hex;
    static const char* digits = "0123456789abcdef";
    for (std::size_t i = 0; i < std::min<std::size_t>(got.size(), 16); ++i) {
        hex += digits[got[i] >> 4];
        hex += digits[got[i] & 15];
    }
    std::string what = "the client sent " + std::to_string(got.size()) + " bytes (0x" + hex +
                       (got.size() > 16 ? "..." : "") + ") after an opening handshake answer it must refuse";
    if (got.size() >= 2 && (got[0] & 0x70) == 0) {
        auto op = got[0] & 0x0f;
        static const char* names[16] = {"continuation", "text", "binary", "opcode 3", "opcode 4", "opcode 5",
                                        "opcode 6", "opcode 7", "close", "ping", "pong", "opcode 11",
                                        "opcode 12", "opcode 13", "opcode 14", "opcode 15"};
        what += std::string(": a ") + ((got[1] & 0x80) ? "masked " : "unmasked ") + names[op] + " frame";
    }
    return what;
}

}  // namespace

protocol_request parse_target(std::string_view target)
{
    protocol_request req;
    auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q == std::string_view::npos) return req;
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        auto item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (item.empty()) continue;
        auto eq = item.find('=');
        auto key = percent_decode(item.substr(0, eq));
        auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
        if (!key || !value) {
            req.error = "broken percent-escape in '" + std::string(item) + "'";
        } else if (!req.params.emplace(*key, *value).second) {
            req.error = "parameter '" + *key + "' given twice";
        }
    }
    return req;
}

std::vector<const test_case*> in_autobahn_order(std::vector<const test_case*> cases)
{
    std::stable_sort(cases.begin(), cases.end(),
                     [](const test_case* a, const test_case* b) { return id_less(a->id, b->id); });
    cases.erase(std::unique(cases.begin(), cases.end(),
                            [](const test_case* a, const test_case* b) { return a->id == b->id; }),
                cases.end());
    return cases;
}

std::string case_info_json(const test_case& c)
{
    return "{\"id\": " + json_string(c.id) + ", \"description\": " + json_string(c.summary) + "}";
}

namespace {

std::string page_response(const std::string& page)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
           "Connection: close\r\nContent-Length: " +
           std::to_string(page.size()) + "\r\n\r\n" + page;
}

// The fuzzing server: one coroutine per connection (each on its own strand), results shared.
class fuzzing_server {
public:
    fuzzing_server(asio::io_context& io, const client_run_options& options, const client_run_hooks& hooks)
        : io_(io), options_(options), hooks_(hooks)
    {
    }

    awaitable<void> accept_loop(tcp::acceptor& acceptor)
    {
        for (;;) {
            auto strand = asio::make_strand(acceptor.get_executor());
            error_code ec;
            auto socket = co_await acceptor.async_accept(strand, nothrow(ec));
            if (ec == asio::error::operation_aborted) co_return;
            if (ec) {
                // Out of file descriptors (EMFILE) and the like: wait instead of spinning.
                asio::steady_timer pause(acceptor.get_executor(), millis(50));
                co_await pause.async_wait(nothrow(ec));
                continue;
            }
            // At the cap a new connection takes the place of the oldest one that has not sent
            // its request yet (a flood of idle connections cannot lock a driver out); when every
            // connection is past its request, the new one is closed.
            if (open_connections_.load() >= options_.max_connections && !evict_oldest_waiting()) {
                if (!flood_logged_.exchange(true))
                    log("more than " + std::to_string(options_.max_connections) +
                        " connections at once, all past their request: the extra ones are closed");
                continue;  // the socket closes here
            }
            ++open_connections_;
            asio::co_spawn(strand, handle(std::move(socket)), [this](std::exception_ptr) { --open_connections_; });
        }
    }

    std::map<std::string, agent_results> take_results()
    {
        std::lock_guard guard(lock_);
        return std::move(results_);
    }

private:
    void log(const std::string& line)
    {
        std::lock_guard guard(lock_);
        if (hooks_.log) hooks_.log(line);
    }

    awaitable<void> refuse_request(tcp::socket& socket, const std::string& target, int status,
                                   const std::string& error)
    {
        log("refused " + target + ": HTTP " + std::to_string(status) + ": " + error);
        co_await write_text(socket, handshake::build_error_response(status, error));
        error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
    }

    // A connection still waiting for its request: the oldest is closed to make room at the cap.
    // `waiting` and the socket are touched only on the connection's strand.
    struct connection {
        tcp::socket socket;
        bool waiting = true;
    };

    bool evict_oldest_waiting()
    {
        std::weak_ptr<connection> victim;
        {
            std::lock_guard guard(waiting_lock_);
            if (waiting_.empty()) return false;
            victim = waiting_.front().second;
            waiting_.pop_front();
        }
        if (!evict_logged_.exchange(true))
            log("more than " + std::to_string(options_.max_connections) +
                " connections at once: each new one closes the oldest that has sent no request yet");
        if (auto c = victim.lock()) {
            asio::post(c->socket.get_executor(), [victim] {
                if (auto c = victim.lock(); c && c->waiting) {
                    error_code ignored;
                    c->socket.close(ignored);
                }
            });
        }
        return true;
    }

    void stop_waiting(std::uint64_t id, connection& c)
    {
        c.waiting = false;
        std::lock_guard guard(waiting_lock_);
        auto it = std::find_if(waiting_.begin(), waiting_.end(), [id](const auto& w) { return w.first == id; });
        if (it != waiting_.end()) waiting_.erase(it);
    }

    awaitable<void> handle(tcp::socket socket)
    {
        auto c = std::make_shared<connection>(connection{std::move(socket)});
        std::uint64_t id = 0;
        {
            std::lock_guard guard(waiting_lock_);
            id = ++last_connection_id_;
            waiting_.emplace_back(id, c);
        }
        try {
            co_await serve_connection(*c, id);
        } catch (const std::exception& e) {
            log(std::string("internal error on a connection: ") + e.what());
        }
        stop_waiting(id, *c);
    }

    // RFC 6455 §4.2: read the upgrade request, route it (autobahn.md §3.3), answer 101 or refuse.
    awaitable<void> serve_connection(connection& conn, std::uint64_t id)
    {
        auto& socket = conn.socket;
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto head = co_await read_head(socket, handshake::head_kind::request, options_.open_handshake_timeout);
        const bool evicted = !socket.is_open();
        stop_waiting(id, conn);
        if (evicted && !head.ok) co_return;  // closed at the cap (logged once)
        if (!head.ok) {
            if (!head.timed_out && !head.raw.empty())
                co_await refuse_request(socket, "(unparsable request)", 400, head.error);
            else
                log("no request: " + head.error);
            co_return;
        }
        const auto& target = head.head.target;
        auto req = parse_target(target);
        if (!head.head.has_token("Upgrade", "websocket")) {
            if (req.path == "/driver" && head.head.method == "GET" && !options_.browser_page.empty()) {
                co_await write_text(socket, page_response(options_.browser_page));
                socket.shutdown(tcp::socket::shutdown_both, ignored);
                co_return;
            }
            co_await refuse_request(socket, target, 426,
                                    "this is wsharness test-client: WebSocket only (Autobahn's URL "
                                    "protocol, /getCaseCount, /runCase?case=N&agent=A, ...); the "
                                    "browser driver page is GET /driver");
            co_return;
        }
        // The Host header is not checked: any host and port are accepted (Autobahn insists on
        // its own port, which breaks behind port mappings, autobahn.md §3.3).
        auto check = handshake::check_request(head.head);
        if (!check.ok) {
            co_await refuse_request(socket, target, check.status, check.reason);
            co_return;
        }
        auto r = resolve(req, options_.cases);
        if (r.status) {
            co_await refuse_request(socket, target, r.status, r.error);
            co_return;
        }
        if (r.path == "/runCase") {
            const test_case& c = *options_.cases[r.number - 1];
            if (c.handshake && c.handshake->response) {
                co_await run_handshake_case(socket, r, c, head, check);
                co_return;
            }
        }
        handshake::server_response resp;
        resp.accept = handshake::compute_accept(check.key);
        resp.extra.push_back({"Server", "wsharness/" WSH_VERSION});
        std::optional<codec::deflate_agreement> deflate;
        if (r.path == "/runCase") {
            const test_case& c = *options_.cases[r.number - 1];
            if (c.deflate) {
                if (auto answer = answer_deflate_offers(*c.deflate, check.extensions)) {
                    deflate = codec::deflate_agreement{*answer};
                    resp.extensions = codec::format_deflate(*answer);
                }
            }
        }
        auto response = handshake::build_response(resp);
        if (co_await write_text(socket, response)) co_return;
        co_await dispatch(socket, r, head, response, deflate);
    }

    awaitable<void> dispatch(tcp::socket& socket, const route& r, head_result& head,
                             const std::string& response, std::optional<codec::deflate_agreement> deflate)
    {
        auto leftover = std::move(head.leftover);
        if (r.path == "/runCase") {
            co_await run_case(std::move(socket), r, head.raw, response, std::move(leftover), deflate);
        } else if (r.path == "/getCaseCount") {
            co_await answer_and_close(socket, std::to_string(options_.cases.size()), std::move(leftover));
        } else if (r.path == "/getCaseInfo") {
            co_await answer_and_close(socket, case_info_json(*options_.cases[r.number - 1]),
                                      std::move(leftover));
        } else if (r.path == "/getCaseStatus") {
            auto status = co_await wait_for_status(socket, r);
            co_await answer_and_close(socket, "{\"behavior\": " + json_string(status) + "}",
                                      std::move(leftover));
        } else if (r.path == "/updateReports") {
            co_await settle(socket, r.agent);
            update_reports(r.agent);
            co_await answer_and_close(socket, std::nullopt, std::move(leftover));
            if (r.shutdown || options_.once_agent == r.agent) stop("reports of " + r.agent + " written");
        } else if (r.path == "/stopServer") {
            co_await answer_and_close(socket, std::nullopt, std::move(leftover));
            stop("/stopServer");
        }
    }

    awaitable<void> run_case(tcp::socket socket, const route& r, const std::string& request,
                             const std::string& response, bytes leftover,
                             std::optional<codec::deflate_agreement> deflate)
    {
        const test_case& c = *options_.cases[r.number - 1];
        {
            std::lock_guard guard(lock_);
            ++running_[r.agent];
        }
        case_result result{.test = &c};
        result.obs.started_unix_ms = unix_ms();
        result.obs.connected = true;
        result.obs.opened = true;
        result.obs.http_request = request;
        result.obs.http_response = response;
        session_options so = options_.session;
        so.deflate = deflate;
        try {
            co_await run_session(std::move(socket), c, so, result.obs, std::move(leftover));
        } catch (const std::exception& e) {
            // A harness fault is an ERROR verdict for this case; the session goes on.
            result.obs.error = std::string("internal error: ") + e.what();
        }
        result.v = judge_case(c, result.obs, false);
        std::lock_guard guard(lock_);
        --running_[r.agent];
        auto& slot = results_[r.agent][r.number];
        slot = std::move(result);
        if (hooks_.case_done) hooks_.case_done(r.agent, slot, r.number);
    }

    // Category 21: the case's own answer to the upgrade request, and behind it a text frame the
    // client echoes only if it took the answer for an upgrade. The case ends when the client
    // sends anything, closes the connection, or has been silent for handshake_case_wait.
    awaitable<void> run_handshake_case(tcp::socket& socket, const route& r, const test_case& c,
                                       const head_result& head, const handshake::request_check& check)
    {
        {
            std::lock_guard guard(lock_);
            ++running_[r.agent];
        }
        case_result result{.test = &c};
        auto& o = result.obs;
        o.started_unix_ms = unix_ms();
        o.connected = true;
        o.http_request = head.raw;
        response_parts parts{.key = check.key, .accept = handshake::compute_accept(check.key),
                             .offered_protocols = check.protocols};
        for (const auto& e : check.extensions) parts.offered_extensions.push_back(e.name);
        const auto start = steady_clock::now();
        try {
            o.http_response = c.handshake->response(parts);
            bytes probe(handshake_probe.begin(), handshake_probe.end());
            auto frame = codec::encode_frame(codec::frame_spec{.opcode = to_nibble(codec::opcode::text)}, probe);
            std::string out = o.http_response;
            out.append(frame.begin(), frame.end());
            // A write error means the client is gone already: judged as a close below.
            (void)co_await write_text(socket, out);
            bytes got = head.leftover;  // sent right behind its request, before any answer
            bool silent = false;
            if (got.empty()) {
                socket_deadline guard(socket, handshake_case_wait);
                got.resize(4096);
                error_code ec;
                auto n = co_await socket.async_read_some(asio::buffer(got), nothrow(ec));
                got.resize(ec ? 0 : n);
                silent = got.empty() && guard.expired();
            }
            if (!got.empty()) {
                o.opened = true;  // it went on as if the connection were open
                o.handshake_problem = describe_client_bytes(got);
            } else if (silent) {
                o.hit_deadline = true;
            } else {
                o.was_not_clean_reason = "the client closed the connection";
            }
        } catch (const std::exception& e) {
            o.error = std::string("internal error: ") + e.what();
        }
        error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
        o.duration_ms = std::chrono::duration<double, std::milli>(steady_clock::now() - start).count();
        result.v = judge_case(c, o, false);
        std::lock_guard guard(lock_);
        --running_[r.agent];
        auto& slot = results_[r.agent][r.number];
        slot = std::move(result);
        if (hooks_.case_done) hooks_.case_done(r.agent, slot, r.number);
    }

    // Autobahn waits until the result exists (forever if the case never runs).
    awaitable<std::string> wait_for_status(tcp::socket& socket, const route& r)
    {
        asio::steady_timer timer(socket.get_executor());
        for (;;) {
            {
                std::lock_guard guard(lock_);
                auto agent = results_.find(r.agent);
                if (agent != results_.end()) {
                    auto it = agent->second.find(r.number);
                    if (it != agent->second.end()) co_return std::string(to_string(it->second.v.behavior));
                }
            }
            timer.expires_after(status_poll);
            error_code ec;
            co_await timer.async_wait(nothrow(ec));
        }
    }

    // A driver may ask for reports the moment its last case's TCP connection ends, before that
    // case's verdict is stored: wait for the agent's running cases first. Every case ends by its
    // own deadline, so the wait is bounded by the longest one; past it the reports are written
    // with what is there (a case still running then is a bug of ours, logged).
    awaitable<void> settle(tcp::socket& socket, const std::string& agent)
    {
        asio::steady_timer timer(socket.get_executor());
        const auto give_up = steady_clock::now() + settle_limit();
        for (;;) {
            {
                std::lock_guard guard(lock_);
                if (running_[agent] == 0) co_return;
                if (steady_clock::now() >= give_up) {
                    if (hooks_.log)
                        hooks_.log("reports of " + agent + " written while " + std::to_string(running_[agent]) +
                                   " of its cases still run past their deadline");
                    co_return;
                }
            }
            timer.expires_after(status_poll);
            error_code ec;
            co_await timer.async_wait(nothrow(ec));
        }
    }

    millis settle_limit() const
    {
        millis longest{0};
        for (const auto* c : options_.cases)
            longest = std::max(longest, options_.session.case_cap.count() > 0
                                            ? options_.session.case_cap
                                            : derive_deadline(*c, options_.session));
        return longest + handshake_case_wait + millis{2000};
    }

    void update_reports(const std::string& agent)
    {
        std::lock_guard guard(lock_);
        std::vector<case_result> ordered;
        for (const auto& [number, result] : results_[agent]) ordered.push_back(result);
        if (hooks_.update_reports) hooks_.update_reports(agent, ordered);
    }

    void stop(const std::string& why)
    {
        log("stopping: " + why);
        io_.stop();
    }

    asio::io_context& io_;
    const client_run_options& options_;
    const client_run_hooks& hooks_;
    std::mutex lock_;
    std::map<std::string, agent_results> results_;
    std::atomic<std::size_t> open_connections_{0};
    std::atomic<bool> flood_logged_{false};
    std::atomic<bool> evict_logged_{false};
    std::mutex waiting_lock_;
    std::deque<std::pair<std::uint64_t, std::weak_ptr<connection>>> waiting_;  // oldest first
    std::uint64_t last_connection_id_ = 0;
    std::map<std::string, int> running_;  // cases in progress, per agent
};

tcp::acceptor open_acceptor(asio::io_context& io, const client_run_options& options)
{
    error_code ec;
    auto address = asio::ip::make_address(options.host, ec);
    if (ec) throw std::runtime_error("bad listen address '" + options.host + "': " + ec.message());
    tcp::endpoint endpoint(address, options.port);
    tcp::acceptor acceptor(io);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                                 ": " + ec.message());
    return acceptor;
}

}  // namespace

std::map<std::string, agent_results> serve_clients(const client_run_options& options,
                                                   const client_run_hooks& hooks)
{
    asio::io_context io;
    auto acceptor = open_acceptor(io, options);
    fuzzing_server server(io, options, hooks);
    if (hooks.listening) hooks.listening(acceptor.local_endpoint().port());
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](error_code ec, int) {
        if (!ec) io.stop();
    });
    asio::co_spawn(io, server.accept_loop(acceptor), asio::detached);
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> extra;
    for (unsigned i = 1; i < threads; ++i) extra.emplace_back([&] { io.run(); });
    io.run();
    for (auto& t : extra) t.join();
    return server.take_results();
}

}  // namespace wsh::suite
