// SPDX-License-Identifier: MIT
// Small awaitable helpers over TCP sockets: connect, write, read an HTTP head, all bounded in time.
#pragma once

#include "handshake/handshake.hpp"
#include "transport/asio.hpp"
#include "transport/url.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace wsh::transport {

using error_code = boost::system::error_code;
using millis = std::chrono::milliseconds;

// Closes `socket` if the guard is still alive at `timeout` (cancelling its operations).
class socket_deadline {
public:
    socket_deadline(tcp::socket& socket, millis timeout);
    ~socket_deadline();
    socket_deadline(const socket_deadline&) = delete;
    socket_deadline& operator=(const socket_deadline&) = delete;
    [[nodiscard]] bool expired() const noexcept { return *expired_; }

private:
    asio::steady_timer timer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    std::shared_ptr<bool> expired_ = std::make_shared<bool>(false);
};

// Resolves and connects within `timeout`; TCP_NODELAY on. Error says why.
awaitable<error_code> connect(tcp::socket& socket, const std::string& host, std::uint16_t port,
                              millis timeout);

// Connects to the URL's TCP endpoint: its TLS relay for wss://, else host:port.
awaitable<error_code> connect(tcp::socket& socket, const ws_url& url, millis timeout);

struct head_result {
    bool ok = false;
    bool timed_out = false;
    std::string error;                 // one line when !ok
    handshake::http_head head;
    std::string raw;                   // the head as received
    std::vector<std::uint8_t> leftover;  // bytes after the head
};

// Reads one HTTP head (request or response) within `timeout`.
awaitable<head_result> read_head(tcp::socket& socket, handshake::head_kind kind, millis timeout,
                                 std::size_t max_size = 16384);

awaitable<error_code> write_text(tcp::socket& socket, const std::string& text);

// A fresh Sec-WebSocket-Key from 16 random bytes (RFC 6455 §4.1).
[[nodiscard]] std::string random_client_key();

}  // namespace wsh::transport
