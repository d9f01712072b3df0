// SPDX-License-Identifier: MIT
// wss:// without touching the case engine: TLS runs in a loopback relay beside it. The engine
// keeps talking plain TCP to 127.0.0.1; the relay carries the bytes to and from the TLS peer.
//
// The relay is meant to be invisible to verdicts, which depend on who closes TCP first and when:
// - bytes are written on as soon as they are read (one bounded buffer per direction, so a slow
//   reader slows the writer down: backpressure, never unbounded memory);
// - the TLS peer's close_notify or EOF becomes a TCP half-close (FIN) towards the engine at once;
// - the engine's FIN becomes a TLS close_notify towards the peer at once (the TCP FIN follows
//   once the peer answers with its own close_notify or EOF, or after a bound). Data the peer
//   sends after that close_notify may be swallowed by asio's TLS shutdown: wsharness's engines
//   close both ways and the reference server only drains after its FIN, so no verdict sees it;
// - a reset, a TLS alert or any other abrupt end becomes an abortive close (RST, SO_LINGER 0) on
//   the other side, once what the reset side sent before it has been delivered.
#pragma once

#include "transport/asio.hpp"
#include "transport/url.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wsh::transport {

struct tls_client_options {
    std::string cacert;     // PEM file of trusted certificates; empty: the system's store
    bool insecure = false;  // no certificate and host name verification (SNI is still sent)
};

// Relays each TCP connection accepted on 127.0.0.1:port() to a new TLS connection to the
// target of a wss:// URL: SNI with the URL's host name (not for IP literals, RFC 6066 §3),
// certificate and host name verification unless `insecure`. Runs on its own threads.
class tls_client_relay {
public:
    // Throws std::runtime_error with a one-line reason (unreadable --cacert, no free port).
    tls_client_relay(const ws_url& target, const tls_client_options& options);
    ~tls_client_relay();
    tls_client_relay(const tls_client_relay&) = delete;
    tls_client_relay& operator=(const tls_client_relay&) = delete;

    [[nodiscard]] std::uint16_t port() const;

    // One TLS handshake with the target within `timeout`, then a clean close. False with a
    // one-line reason (refused, certificate not trusted, host name mismatch, ...).
    [[nodiscard]] bool probe(std::chrono::milliseconds timeout, std::string& error);

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

// For a wss:// URL: starts a relay and points the URL's TCP endpoint (relay_host/relay_port) at
// it; nullptr for ws://. The URL's host and port stay what the user wrote (Host header, reports).
[[nodiscard]] std::unique_ptr<tls_client_relay> route_through_tls(ws_url& url, const tls_client_options& options);

struct tls_server_options {
    std::string cert;  // PEM certificate chain
    std::string key;   // PEM private key
};

// A TLS listener in front of a plain one: accepts TLS on host:port and relays each connection,
// after its TLS handshake, to 127.0.0.1:backend. Records the server names (SNI) clients send.
class tls_server_relay {
public:
    // Loads the certificate and key and binds; throws std::runtime_error with a one-line reason.
    tls_server_relay(const std::string& host, std::uint16_t port, const tls_server_options& options);
    ~tls_server_relay();
    tls_server_relay(const tls_server_relay&) = delete;
    tls_server_relay& operator=(const tls_server_relay&) = delete;

    [[nodiscard]] std::uint16_t port() const;  // the bound port (useful with port 0)

    // Starts accepting; each connection is relayed to 127.0.0.1:backend_port. `new_server_name`
    // is called (on a relay thread) the first time each distinct SNI name is seen.
    void start(std::uint16_t backend_port, std::function<void(const std::string&)> new_server_name = {});

    [[nodiscard]] std::vector<std::string> server_names() const;  // distinct, in order seen

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace wsh::transport
