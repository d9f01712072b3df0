// SPDX-License-Identifier: MIT
#include "suite/probe.hpp"

#include "codec/close.hpp"
#include "codec/frame_encoder.hpp"
#include "codec/mask.hpp"
#include "codec/message_decoder.hpp"
#include "handshake/handshake.hpp"
#include "transport/io.hpp"

#include <nlohmann/json.hpp>

#include <random>

namespace wsh::suite {
namespace {

using namespace transport;
using codec::message_event_kind;

constexpr std::size_t kept_message = 64 * 1024;  // longer messages are not compared

bool is_relay_of(const bytes& message, const std::string& token)
{
    auto doc = nlohmann::json::parse(message.begin(), message.end(), nullptr, false);
    if (!doc.is_object()) return false;
    auto it = doc.find("message");
    return it != doc.end() && it->is_string() && it->get_ref<const std::string&>() == token;
}

// TCP connect and the opening handshake (RFC 6455 §4.1); false with report.error set if either fails.
awaitable<bool> open_connection(tcp::socket& socket, const probe_options& options, probe_report& report)
{
    if (auto ec = co_await connect(socket, options.url, options.connect_timeout)) {
        report.error = "cannot connect to " + options.url.to_string() + ": " + ec.message();
        co_return false;
    }
    handshake::client_request req{.host = options.url.host_header(), .target = options.url.target,
                                  .key = random_client_key()};
    req.extra.push_back({"User-Agent", "wsharness/" WSH_VERSION});
    if (auto ec = co_await write_text(socket, handshake::build_request(req))) {
        report.error = "connection lost while sending the opening handshake: " + ec.message();
        co_return false;
    }
    auto head = co_await read_head(socket, handshake::head_kind::response, options.connect_timeout);
    if (!head.ok) {
        report.error = "no opening handshake answer: " + head.error;
        co_return false;
    }
    auto check = handshake::check_response(head.head, req.key, {}, {});
    if (!check.ok) {
        report.error = "opening handshake refused: " + check.reason;
        co_return false;
    }
    co_return true;
}

// Our Close (1000), then at most half a second for the target's reply and the end of TCP.
awaitable<void> close_politely(tcp::socket& socket, std::mt19937& rng)
{
    auto close = codec::encode_frame(codec::data_frame(codec::opcode::close, true, codec::mask_key_from(rng())),
                                     codec::make_close_payload(codec::close_code::normal_closure));
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(close), nothrow(ec));
    if (!ec) {
        socket_deadline limit(socket, millis(500));
        bytes buffer(4096);
        while (true) {
            auto n = co_await socket.async_read_some(asio::buffer(buffer), nothrow(ec));
            if (ec || n == 0) break;
        }
    }
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
}

awaitable<void> run_probe(const probe_options& options, probe_report& report)
{
    auto executor = co_await asio::this_coro::executor;
    tcp::socket socket(executor);
    if (!co_await open_connection(socket, options, report)) co_return;
    const auto start = steady_clock::now();
    std::mt19937 rng(std::random_device{}());
    const std::string token = "wsharness probe " + std::to_string(rng() % 1000000);
    bytes out = codec::encode_frame(codec::data_frame(codec::opcode::text, true, codec::mask_key_from(rng())),
                                    bytes(token.begin(), token.end()));
    const std::string ping_text = "wsharness probe ping";
    auto ping = codec::encode_frame(codec::data_frame(codec::opcode::ping, true, codec::mask_key_from(rng())),
                                    bytes(ping_text.begin(), ping_text.end()));
    out.insert(out.end(), ping.begin(), ping.end());
    error_code write_error;
    co_await asio::async_write(socket, asio::buffer(out), nothrow(write_error));
    if (write_error) {
        report.detail = "the connection was lost while sending the probe message: " + write_error.message();
        co_return;
    }

    // The deadline closes the socket's reads; a Pong brings it forward.
    asio::steady_timer deadline(executor);
    bool expired = false;
    auto arm = [&](steady_clock::time_point at) {
        deadline.expires_at(at);
        deadline.async_wait([&](error_code ec) {
            if (ec) return;
            expired = true;
            error_code ignored;
            socket.cancel(ignored);
        });
    };
    arm(start + options.wait);

    codec::message_options mo;
    mo.frame.local_role = codec::role::client;
    codec::message_decoder decoder(mo);
    bytes buffer(64 * 1024), message;
    bool done = false;
    while (!done) {
        error_code ec;
        auto n = co_await socket.async_read_some(asio::buffer(buffer), nothrow(ec));
        if (ec || n == 0) {
            if (!expired) {
                report.finding = probe_finding::inconclusive;
                report.detail = "the target ended the connection during the probe";
            }
            break;
        }
        std::span<std::uint8_t> input(buffer.data(), n);
        while (!done) {
            auto step = decoder.feed(input);
            input = input.subspan(step.consumed);
            const auto& e = step.event;
            if (e.kind == message_event_kind::need_more) break;
            if (e.kind == message_event_kind::data_chunk) {
                if (message.size() < kept_message) message.insert(message.end(), e.payload.begin(), e.payload.end());
            } else if (e.kind == message_event_kind::frame_finished && e.header.fin) {
                const bool text = e.opcode == to_nibble(codec::opcode::text);
                if (text && message == bytes(token.begin(), token.end())) {
                    report.finding = probe_finding::echoes;
                    done = true;
                } else if (text && is_relay_of(message, token)) {
                    report.finding = probe_finding::relays;
                    done = true;
                } else {
                    ++report.own_messages;
                }
                message.clear();
            } else if (e.kind == message_event_kind::control_received) {
                if (e.opcode == to_nibble(codec::opcode::pong) && !report.pong) {
                    report.pong = true;
                    auto soon = steady_clock::now() + options.after_pong;
                    if (soon < deadline.expiry()) arm(soon);
                } else if (e.opcode == to_nibble(codec::opcode::close)) {
                    report.finding = probe_finding::inconclusive;
                    report.detail = "the target closed the connection during the probe (code " +
                                    (e.close.code ? std::to_string(*e.close.code) : std::string("none")) + ")";
                    co_return;
                }
            } else if (e.kind == message_event_kind::violation_found) {
                report.finding = probe_finding::inconclusive;
                report.detail = "the target broke " + std::string(codec::name(e.error)) + " during the probe";
                co_return;
            }
        }
    }
    report.seconds = std::chrono::duration<double>(steady_clock::now() - start).count();
    if (!done && expired) report.finding = report.own_messages > 0 ? probe_finding::own_messages : probe_finding::silent;
    if (!done && !expired) co_return;  // the target ended the connection: inconclusive
    deadline.cancel();
    co_await close_politely(socket, rng);
}

}  // namespace

std::string_view to_string(probe_finding f) noexcept
{
    switch (f) {
    case probe_finding::echoes: return "echoes";
    case probe_finding::relays: return "relays";
    case probe_finding::own_messages: return "own-messages";
    case probe_finding::silent: return "silent";
    case probe_finding::inconclusive: return "inconclusive";
    }
    return "inconclusive";
}

probe_report probe_echo(const probe_options& options)
{
    probe_report report;
    asio::io_context io;
    asio::co_spawn(io, run_probe(options, report), asio::detached);
    io.run();
    return report;
}

}  // namespace wsh::suite
