// SPDX-License-Identifier: MIT
#include "peer/driver.hpp"

#include "handshake/handshake.hpp"
#include "transport/io.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

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

bool same_name(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// The server's answer as a client with a handshake fault sees it: each fault switches off one
// check of RFC 6455 §4.1 by pretending the answer passed it.
handshake::http_head as_seen(handshake::http_head head, const std::string& key, fault f)
{
    auto set = [&](std::string_view name, std::optional<std::string> value) {
        std::erase_if(head.fields, [&](const handshake::header_field& h) { return same_name(h.name, name); });
        if (value) head.fields.push_back({std::string(name), *value});
    };
    switch (f) {
    case fault::accept_non_101: head.status = 101; break;
    case fault::accept_http10_upgrade: head.version = "HTTP/1.1"; break;
    case fault::ignore_upgrade_header: set("Upgrade", "websocket"); break;
    case fault::ignore_connection_header: set("Connection", "Upgrade"); break;
    case fault::skip_accept_check: set("Sec-WebSocket-Accept", handshake::compute_accept(key)); break;
    case fault::accept_unoffered_subprotocol: set("Sec-WebSocket-Protocol", std::nullopt); break;
    case fault::accept_unoffered_extension: set("Sec-WebSocket-Extensions", std::nullopt); break;
    default: break;
    }
    return head;
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
    auto seen = as_seen(head.head, req.key, options.config.injected);
    // RFC 9110 §7.8: Upgrade (and so 101) belongs to HTTP/1.1; an HTTP/1.0 answer switches nothing.
    if (seen.version != "HTTP/1.1") {
        r.error = "handshake rejected: the answer is " + seen.version + ", not HTTP/1.1";
        co_return r;
    }
    auto check = handshake::check_response(seen, req.key, {}, req.extensions);
    if (!check.ok) {
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
