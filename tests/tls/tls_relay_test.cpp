// SPDX-License-Identifier: MIT
// The loopback TLS relays in one process: a plain client -> client relay -> TLS -> server relay
// -> a plain backend whose every move the test scripts. What the relay must keep: the bytes,
// who half-closes and when, resets, SNI, and certificate verification.
#include "transport/tls_relay.hpp"

#include "../support/paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

namespace wsh {
namespace {

using namespace transport;
using namespace std::chrono_literals;

// A fresh self-signed certificate from scripts/make-test-cert in a temporary folder.
struct test_cert {
    std::filesystem::path dir;
    explicit test_cert(const std::string& name = "localhost")
    {
        static int counter = 0;
        dir = std::filesystem::temp_directory_path() /
              ("wsharness-tls-relay-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        auto command = test::source_dir() + "/scripts/make-test-cert " + dir.string() + " " + name + " >/dev/null";
        EXPECT_EQ(std::system(command.c_str()), 0) << command;
    }
    ~test_cert() { std::filesystem::remove_all(dir); }
    std::string cert() const { return (dir / "cert.pem").string(); }
    std::string key() const { return (dir / "key.pem").string(); }
};

// A plain TCP backend on 127.0.0.1 that accepts one connection and runs `script` on it.
struct backend {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::future<void> done;

    template <typename Script>
    void serve(Script script)
    {
        done = std::async(std::launch::async, [this, script] {
            tcp::socket socket(io);
            acceptor.accept(socket);
            script(socket);
        });
    }
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }
};

std::string read_exactly(tcp::socket& s, std::size_t n)
{
    std::string out(n, '\0');
    asio::read(s, asio::buffer(out));
    return out;
}

// Reads until the peer ends; returns what came and how it ended.
std::pair<std::string, error_code> read_to_end(tcp::socket& s)
{
    std::string out;
    char buffer[4096];
    for (;;) {
        error_code ec;
        auto n = s.read_some(asio::buffer(buffer), ec);
        out.append(buffer, n);
        if (ec) return {out, ec};
    }
}

struct relay_pair {
    test_cert cert;
    tls_server_relay server{"127.0.0.1", 0, {.cert = cert.cert(), .key = cert.key()}};
    std::unique_ptr<tls_client_relay> client;
    asio::io_context io;

    relay_pair(std::uint16_t backend_port, const std::string& host = "localhost")
    {
        server.start(backend_port);
        std::string error;
        auto url = parse_ws_url("wss://" + host + ":" + std::to_string(server.port()) + "/", error);
        client = std::make_unique<tls_client_relay>(*url, tls_client_options{.cacert = cert.cert()});
    }
    tcp::socket connect()
    {
        tcp::socket s(io);
        s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), client->port()));
        return s;
    }
};

TEST(TlsRelay, CarriesBytesBothWaysAndSendsTheHostNameAsSni)
{
    backend b;
    b.serve([](tcp::socket& s) {
        auto got = read_exactly(s, 5);
        asio::write(s, asio::buffer(got == "hello" ? std::string("world") : std::string("wrong")));
        (void)read_to_end(s);
    });
    relay_pair relays(b.port());
    auto s = relays.connect();
    asio::write(s, asio::buffer(std::string("hello")));
    EXPECT_EQ(read_exactly(s, 5), "world");
    s.shutdown(tcp::socket::shutdown_send);
    auto [rest, how] = read_to_end(s);
    EXPECT_EQ(rest, "");
    EXPECT_EQ(how, asio::error::eof);
    b.done.get();
    EXPECT_EQ(relays.server.server_names(), std::vector<std::string>{"localhost"});
}

// A half-close crosses the relay as a half-close: the other side reads the data, then EOF (not a
// reset), and its own FIN comes back as EOF. (Data sent after receiving the FIN is not promised:
// asio's TLS shutdown may swallow it; wsharness's peers close both ways or drain, see the header.)
TEST(TlsRelay, KeepsAHalfCloseOfTheServer)
{
    std::promise<error_code> end_seen;
    backend b;
    b.serve([&](tcp::socket& s) {
        asio::write(s, asio::buffer(std::string("bye")));
        s.shutdown(tcp::socket::shutdown_send);  // the server closes TCP first (RFC 6455 §7.1.1)
        end_seen.set_value(read_to_end(s).second);
    });
    relay_pair relays(b.port());
    auto s = relays.connect();
    auto [got, how] = read_to_end(s);
    EXPECT_EQ(got, "bye");
    EXPECT_EQ(how, asio::error::eof);  // a FIN reaches us, not a reset
    s.shutdown(tcp::socket::shutdown_send);
    auto future = end_seen.get_future();
    ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(future.get(), asio::error::eof);
    b.done.get();
}

TEST(TlsRelay, KeepsAHalfCloseOfTheClient)
{
    backend b;
    b.serve([](tcp::socket& s) {
        auto [got, how] = read_to_end(s);
        EXPECT_EQ(got, "request");
        EXPECT_EQ(how, asio::error::eof);
        s.shutdown(tcp::socket::shutdown_send);
    });
    relay_pair relays(b.port());
    auto s = relays.connect();
    asio::write(s, asio::buffer(std::string("request")));
    s.shutdown(tcp::socket::shutdown_send);
    auto [got, how] = read_to_end(s);
    EXPECT_EQ(got, "");
    EXPECT_EQ(how, asio::error::eof);
    b.done.get();
}

TEST(TlsRelay, TurnsAResetOfTheServerIntoAResetOfTheClient)
{
    backend b;
    b.serve([](tcp::socket& s) {
        (void)read_exactly(s, 1);
        s.set_option(asio::socket_base::linger(true, 0));
        s.close();
    });
    relay_pair relays(b.port());
    auto s = relays.connect();
    asio::write(s, asio::buffer(std::string("x")));
    auto [got, how] = read_to_end(s);
    EXPECT_EQ(how, asio::error::connection_reset) << how.message();
    b.done.get();
}

TEST(TlsRelay, TurnsAResetOfTheClientIntoAResetOfTheServer)
{
    std::promise<error_code> seen;
    backend b;
    b.serve([&](tcp::socket& s) {
        (void)read_exactly(s, 1);
        seen.set_value(read_to_end(s).second);
    });
    relay_pair relays(b.port());
    auto s = relays.connect();
    asio::write(s, asio::buffer(std::string("x")));
    std::this_thread::sleep_for(200ms);  // let "x" arrive before the reset
    s.set_option(asio::socket_base::linger(true, 0));
    s.close();
    auto future = seen.get_future();
    ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(future.get(), asio::error::connection_reset);
    b.done.get();
}

TEST(TlsRelay, CarriesAMessageLargerThanItsBuffersUnchanged)
{
    std::string big(3 * 1024 * 1024 + 17, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 + (i >> 9));
    backend b;
    b.serve([&](tcp::socket& s) {
        auto got = read_exactly(s, big.size());
        asio::write(s, asio::buffer(got));
        s.shutdown(tcp::socket::shutdown_send);
        (void)read_to_end(s);
    });
    relay_pair relays(b.port());
    auto s = relays.connect();
    auto writer = std::async(std::launch::async, [&] { asio::write(s, asio::buffer(big)); });
    auto [got, how] = read_to_end(s);
    writer.get();
    EXPECT_EQ(got.size(), big.size());
    EXPECT_TRUE(got == big);
    EXPECT_EQ(how, asio::error::eof);
    s.close();
    b.done.get();
}

// Verification: a probe is one TLS handshake with the target.
bool probe(const std::string& url_text, const tls_client_options& options, std::string& error)
{
    std::string parse_error;
    auto url = parse_ws_url(url_text, parse_error);
    tls_client_relay relay(*url, options);
    return relay.probe(5s, error);
}

TEST(TlsRelay, RefusesACertificateNobodyTrusts)
{
    test_cert cert;
    tls_server_relay server("127.0.0.1", 0, {.cert = cert.cert(), .key = cert.key()});
    server.start(1);
    std::string error;
    EXPECT_FALSE(probe("wss://localhost:" + std::to_string(server.port()), {}, error));
    EXPECT_NE(error.find("certificate not accepted: self-signed certificate"), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos);
    error.clear();
    EXPECT_TRUE(probe("wss://localhost:" + std::to_string(server.port()), {.insecure = true}, error)) << error;
}

TEST(TlsRelay, RefusesACertificateForAnotherName)
{
    test_cert cert("other.invalid");
    tls_server_relay server("127.0.0.1", 0, {.cert = cert.cert(), .key = cert.key()});
    server.start(1);
    std::string error;
    EXPECT_FALSE(probe("wss://localhost:" + std::to_string(server.port()), {.cacert = cert.cert()}, error));
    EXPECT_NE(error.find("hostname mismatch"), std::string::npos) << error;
    error.clear();
    // Its subjectAltName lists 127.0.0.1, so the IP literal verifies (and sends no SNI, RFC 6066 §3).
    EXPECT_TRUE(probe("wss://127.0.0.1:" + std::to_string(server.port()), {.cacert = cert.cert()}, error)) << error;
    EXPECT_TRUE(server.server_names().empty());
}

TEST(TlsRelay, RefusesABadCaFileWithAOneLineReason)
{
    std::string error;
    auto url = parse_ws_url("wss://localhost:1/", error);
    EXPECT_THROW(tls_client_relay(*url, {.cacert = "/nonexistent/ca.pem"}), std::runtime_error);
}

}  // namespace
}  // namespace wsh
