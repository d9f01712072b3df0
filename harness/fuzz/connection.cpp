// SPDX-License-Identifier: MIT
#include "fuzz/connection.hpp"

#include "codec/message_decoder.hpp"
#include "fuzz/mutation.hpp"
#include "handshake/handshake.hpp"
#include "transport/io.hpp"

#include <algorithm>

namespace wsh::fuzz {
namespace {

using namespace transport;
using verdict = probe_result::verdict;

// The handshake; empty string when the server accepted it.
awaitable<std::string> open(tcp::socket& socket, const ws_url& url, millis timeout)
{
    auto ec = co_await connect(socket, url, timeout);
    if (ec) co_return "connect: " + ec.message();
    std::array<std::uint8_t, 16> nonce{};
    handshake::client_request req{.host = url.host_header(), .target = url.target,
                                  .key = handshake::make_client_key(nonce)};
    auto werr = co_await write_text(socket, handshake::build_request(req));
    if (werr) co_return "write: " + werr.message();
    auto head = co_await read_head(socket, handshake::head_kind::response, timeout);
    if (!head.ok) co_return "handshake: " + head.error;
    auto check = handshake::check_response(head.head, req.key, {}, {});
    if (!check.ok) co_return "handshake: " + check.reason;
    co_return std::string{};
}

// Reads and judges what the server sends until the probe's pong, a Close, EOF or the deadline.
class reply_judge {
public:
    reply_judge(std::uint64_t iteration, bool probed) : expected_(probe_payload(iteration)), probed_(probed) {}

    // Feeds bytes; returns a verdict once one is decided.
    std::optional<probe_result> feed(std::span<std::uint8_t> data)
    {
        while (!data.empty() || pending_) {
            auto step = decoder_.feed(data);
            data = data.subspan(step.consumed);
            pending_ = step.event.kind != codec::message_event_kind::need_more;
            if (auto r = judge(step.event)) return r;
        }
        return std::nullopt;
    }

private:
    std::optional<probe_result> judge(const codec::message_event& e)
    {
        using kind = codec::message_event_kind;
        if (e.kind == kind::violation_found)
            return probe_result{verdict::violation, "server sent: " + std::string(codec::describe(e.error))};
        if (e.kind != kind::control_received) return std::nullopt;
        if (e.opcode == 0x8) return probe_result{verdict::closed, "closed", {}};
        bool is_probe = e.opcode == 0xA && std::ranges::equal(e.payload, expected_);
        if (probed_ && is_probe) return probe_result{verdict::ok, "pong", {}};
        return std::nullopt;
    }

    codec::message_decoder decoder_{codec::message_options{.frame = {.local_role = codec::role::client}}};
    std::string expected_;
    bool probed_;
    bool pending_ = false;
};

}  // namespace

awaitable<bool> is_accepting(const ws_url& url, millis timeout)
{
    tcp::socket socket(co_await asio::this_coro::executor);
    auto ec = co_await connect(socket, url.host, url.port, timeout);
    error_code ignored;
    socket.close(ignored);
    co_return !ec;
}

awaitable<probe_result> execute(const ws_url& url, bytes input, std::uint64_t iteration, millis deadline)
{
    tcp::socket socket(co_await asio::this_coro::executor);
    auto error = co_await open(socket, url, deadline);
    if (!error.empty())
        co_return probe_result{verdict::refused, error, {}};
    bool probed = ends_at_frame_boundary(input);
    if (probed) {
        auto ping = probe_ping(iteration);
        input.insert(input.end(), ping.begin(), ping.end());
    }
    auto start = steady_clock::now();
    socket_deadline guard(socket, deadline);
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(input), nothrow(ec));
    reply_judge judge(iteration, probed);
    bytes buffer(64 * 1024);
    for (;;) {
        auto n = co_await socket.async_read_some(asio::buffer(buffer), nothrow(ec));
        if (guard.expired())
            co_return probed ? probe_result{verdict::hang, "no pong and no close within the deadline", {}}
                             : probe_result{verdict::ok, "input ends inside a frame", {}};
        if (ec || n == 0) co_return probe_result{verdict::closed, "connection ended", {}};
        if (auto r = judge.feed(std::span(buffer.data(), n))) {
            r->pong_latency = std::chrono::duration_cast<millis>(steady_clock::now() - start);
            co_return *r;
        }
    }
}

probe_result replay_input(const ws_url& url, std::span<const std::uint8_t> input, millis deadline)
{
    asio::io_context io;
    probe_result result;
    asio::co_spawn(io, [&]() -> awaitable<void> {
        result = co_await execute(url, bytes(input.begin(), input.end()), 0, deadline);
        if (result.outcome == verdict::refused) co_return;
        co_await asio::steady_timer(io, millis(200)).async_wait(asio::use_awaitable);
        bool up = co_await is_accepting(url, deadline);
        if (!up)
            result = {verdict::refused, "the target stopped accepting connections after the input", {}};
    }, asio::detached);
    io.run();
    return result;
}

}  // namespace wsh::fuzz
