// SPDX-License-Identifier: MIT
// ws:// URLs (RFC 6455 §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wsh::transport {

struct ws_url {
    bool secure = false;     // wss://
    std::string host;        // without brackets for IPv6 literals
    std::uint16_t port = 0;  // explicit or the scheme's default
    std::string target = "/";  // path and query, never empty
    // Where TCP connects instead of host:port when set: the loopback end of the TLS relay that
    // carries a wss:// URL (transport/tls_relay.hpp). Host header and reports keep host:port.
    std::string relay_host;
    std::uint16_t relay_port = 0;

    // Host header value: host, plus ":port" unless the port is the scheme's default.
    [[nodiscard]] std::string host_header() const;
    [[nodiscard]] std::string to_string() const;
};

// Parses "ws://host[:port][/path][?query]" (and wss://). Returns nullopt and sets `error` to a
// one-line reason on anything else (no scheme, unknown scheme, bad port, fragment).
[[nodiscard]] std::optional<ws_url> parse_ws_url(std::string_view text, std::string& error);

// Parses "HOST:PORT" (IPv6 as "[::1]:PORT").
[[nodiscard]] std::optional<std::pair<std::string, std::uint16_t>>
parse_host_port(std::string_view text, std::string& error);

}  // namespace wsh::transport
