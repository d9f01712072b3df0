// SPDX-License-Identifier: MIT
#include "peer/driver.hpp"

#include "handshake/handshake.hpp"
#include "transport/io.hpp"

#include <charconv>

namespace wsh::peer {
namespace {

using namespace transport;

struct connection_result {
    bool ok = false;
    std::string error;
    endpoint_result endpoint;
};

std::string percent_encode(std::string_view s)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// One WebSocket connection to `target` on the server (RFC 6455 §4.1), then the endpoint.
awaitable<connection_result> visit(const drive_options& options, std::string target, endpoint_mode mode)
{
    connection_result r;
    tcp::socket socket(co_await asio::this_coro::executor);
    if (auto ec = co_await transport::connect(socket, options.url, options.connect_timeout)) {
        r.error = "cannot connect to " + options.url.to_string() + ": " + ec.message();
        co_return r;
    }
    handshake::client_request req;
    req.host = options.url.host_header();
    req.target = std::move(target);
    req.key = random_client_key();
    // RFC 7692 §7.1: the offer browsers make.
    codec::deflate_params offer{.client_max_window_bits = true};
    if (options.config.deflate) req.extensions.push_back(codec::format_deflate(offer));
    if (co_await write_text(socket, handshake::build_request(req))) {
        r.error = "connection lost during the opening handshake";
        co_return r;
    }
    auto head = co_await read_head(socket, handshake::head_kind::response, millis(5000));
    if (!head.ok) {
        r.error = head.error;
        co_return r;
    }
    auto check = handshake::check_response(head.head, req.key, {}, req.extensions);
    if (!check.ok && options.config.injected != fault::skip_accept_check) {
        r.error = "handshake rejected: " + check.reason;
        co_return r;
    }
    std::optional<codec::deflate_agreement> agreed;
    for (const auto& e : check.extensions) {
        if (e.name != codec::permessage_deflate) continue;
        // RFC 7692 §7.1: an invalid response (or a second one) fails the connection.
        auto params = codec::parse_deflate_params(e.params, true);
        if (agreed || !params || !codec::is_valid_deflate_response(*params, std::span(&offer, 1))) {
            r.error = "invalid permessage-deflate response: " + e.name;
            co_return r;
        }
        agreed = codec::deflate_agreement{*params};
    }
    r.endpoint = co_await run_endpoint(std::move(socket), codec::role::client, options.config, mode,
                                       std::move(head.leftover), agreed);
    r.ok = true;
    co_return r;
}

awaitable<int> drive_loop(const drive_options& options, const std::function<void(const std::string&)>& log)
{
    auto count = co_await visit(options, "/getCaseCount", endpoint_mode::collect);
    int n = -1;
    if (count.ok && !count.endpoint.texts.empty()) {
        const auto& t = count.endpoint.texts.front();
        std::from_chars(t.data(), t.data() + t.size(), n);
    }
    if (n < 0) {
        log("cannot get the case count: " + (count.ok ? "no number received" : count.error));
        co_return 2;
    }
    log("case count: " + std::to_string(n));
    auto agent = percent_encode(options.agent);
    for (int i = 1; i <= n; ++i) {
        auto r = co_await visit(options, "/runCase?case=" + std::to_string(i) + "&agent=" + agent,
                                endpoint_mode::echo);
        log("case " + std::to_string(i) + "/" + std::to_string(n) + (r.ok ? " done" : ": " + r.error));
    }
    auto update = co_await visit(options, "/updateReports?agent=" + agent, endpoint_mode::echo);
    log(update.ok ? "reports updated" : "cannot update reports: " + update.error);
    co_return 0;
}

}  // namespace

int drive(const drive_options& options, const std::function<void(const std::string&)>& log)
{
    asio::io_context io;
    int status = 2;
    asio::co_spawn(io, drive_loop(options, log), [&](std::exception_ptr e, int s) {
        if (!e) status = s;
    });
    io.run();
    return status;
}

}  // namespace wsh::peer
