// SPDX-License-Identifier: MIT
#include "transport/io.hpp"

#include <array>
#include <random>

namespace wsh::transport {

socket_deadline::socket_deadline(tcp::socket& socket, millis timeout) : timer_(socket.get_executor())
{
    timer_.expires_after(timeout);
    timer_.async_wait([&socket, alive = alive_, expired = expired_](error_code ec) {
        if (ec || !*alive) return;
        *expired = true;
        error_code ignored;
        socket.close(ignored);
    });
}

socket_deadline::~socket_deadline()
{
    *alive_ = false;
    timer_.cancel();
}

awaitable<error_code> connect(tcp::socket& socket, const std::string& host, std::uint16_t port,
                              millis timeout)
{
    tcp::resolver resolver(socket.get_executor());
    error_code rec;
    auto endpoints = co_await resolver.async_resolve(host, std::to_string(port), nothrow(rec));
    if (rec) co_return rec;
    socket_deadline guard(socket, timeout);
    error_code ec;
    co_await asio::async_connect(socket, endpoints, nothrow(ec));
    if (guard.expired()) co_return make_error_code(asio::error::timed_out);
    if (!ec) {
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
    }
    co_return ec;
}

awaitable<error_code> connect(tcp::socket& socket, const ws_url& url, millis timeout)
{
    if (url.relay_port != 0) co_return co_await connect(socket, url.relay_host, url.relay_port, timeout);
    co_return co_await connect(socket, url.host, url.port, timeout);
}

awaitable<head_result> read_head(tcp::socket& socket, handshake::head_kind kind, millis timeout,
                                 std::size_t max_size)
{
    head_result result;
    handshake::head_parser parser(kind, max_size);
    socket_deadline guard(socket, timeout);
    std::array<std::uint8_t, 4096> buffer{};
    for (;;) {
        error_code ec;
        auto n = co_await socket.async_read_some(asio::buffer(buffer), nothrow(ec));
        if (ec || n == 0) {
            result.timed_out = guard.expired();
            result.error = result.timed_out ? "no complete HTTP head within the handshake timeout"
                                            : "connection closed during the opening handshake";
            result.raw = parser.raw();
            co_return result;
        }
        auto step = parser.feed(std::span<const std::uint8_t>(buffer.data(), n));
        if (step.status == handshake::parse_status::error) {
            result.error = "malformed HTTP head: " + parser.error();
            result.raw = parser.raw();
            co_return result;
        }
        if (step.status == handshake::parse_status::complete) {
            result.ok = true;
            result.head = parser.head();
            result.raw = parser.raw();
            result.leftover.assign(buffer.begin() + static_cast<std::ptrdiff_t>(step.consumed),
                                   buffer.begin() + static_cast<std::ptrdiff_t>(n));
            co_return result;
        }
    }
}

awaitable<error_code> write_text(tcp::socket& socket, const std::string& text)
{
    error_code ec;
    auto n = co_await asio::async_write(socket, asio::buffer(text), nothrow(ec));
    (void)n;
    co_return ec;
}

std::string random_client_key()
{
    std::random_device rd;
    std::array<std::uint8_t, 16> nonce{};
    for (auto& b : nonce) b = static_cast<std::uint8_t>(rd());
    return handshake::make_client_key(nonce);
}

}  // namespace wsh::transport
