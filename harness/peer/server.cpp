// SPDX-License-Identifier: MIT
#include "peer/server.hpp"

#include "handshake/handshake.hpp"
#include "transport/io.hpp"

#include <stdexcept>
#include <thread>

namespace wsh::peer {
namespace {

using namespace transport;

// The refusal of a bad request (§4.2.2); the no-version-header fault drops the header that
// names the versions the server speaks.
std::string refusal(const handshake::request_check& check, const peer_config& config)
{
    auto text = handshake::build_error_response(check.status, check.reason);
    if (config.injected != fault::no_version_header) return text;
    auto at = text.find("Sec-WebSocket-Version: 13\r\n");
    if (at != std::string::npos) text.erase(at, std::string_view("Sec-WebSocket-Version: 13\r\n").size());
    return text;
}

// Does the accept-any-key fault let this failed check through (a key problem only)?
bool is_forgiven(const handshake::request_check& check, const peer_config& config)
{
    return config.injected == fault::accept_any_key &&
           check.reason.find("Sec-WebSocket-Key") != std::string::npos;
}

// RFC 7692 §7.1: the first valid permessage-deflate offer, accepted as asked (context takeover
// kept unless the client asks otherwise); offers with unknown, repeated or invalid parameters
// are declined. What the client asks of the server it is asked in return, where its offer
// allows that (client_no_context_takeover, client_max_window_bits: §7.1.1.2, §7.1.2.2): both
// directions then follow the same rules, and the echo can reuse the client's compressed bytes.
// The deflate-echo-as-received bug asks nothing in return and still echoes the client's bytes.
std::optional<codec::deflate_params> answer_deflate(const handshake::request_check& check, const peer_config& config)
{
    for (const auto& e : check.extensions) {
        if (e.name != codec::permessage_deflate) continue;
        auto offer = codec::parse_deflate_params(e.params, false);
        if (!offer) continue;
        codec::deflate_server_policy mirror;
        if (config.injected == fault::deflate_echo_as_received) return codec::accept_deflate_offer(*offer, mirror);
        mirror.request_client_no_context_takeover = offer->server_no_context_takeover && offer->client_no_context_takeover;
        if (offer->client_max_window_bits && offer->server_max_window_bits)
            mirror.request_client_max_window_bits = *offer->server_max_window_bits;
        return codec::accept_deflate_offer(*offer, mirror);
    }
    return std::nullopt;
}

handshake::server_response answer(const handshake::request_check& check, const handshake::http_head& req,
                                  const peer_config& config, std::optional<codec::deflate_params>& deflate)
{
    handshake::server_response resp;
    std::string key = check.ok ? check.key : std::string(req.find("Sec-WebSocket-Key").value_or(""));
    resp.accept = handshake::compute_accept(config.injected == fault::wrong_accept_key ? key + "x" : key);
    // The reference server speaks no subprotocol: it selects none (§4.2.2 allows that).
    if (config.injected == fault::select_unoffered_protocol && req.find("Sec-WebSocket-Protocol"))
        resp.protocol = "x-wsharness-unoffered";
    resp.extra.push_back({"Server", "wsharness-reference"});
    if (config.deflate) deflate = answer_deflate(check, config);
    if (deflate) resp.extensions = codec::format_deflate(*deflate);
    return resp;
}

// RFC 6455 §4.2: read and check the upgrade request, answer 101 or an error.
awaitable<void> handle(tcp::socket socket, peer_config config)
{
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto head = co_await read_head(socket, handshake::head_kind::request, millis(5000));
    if (!head.ok) co_return;
    auto check = handshake::check_request(head.head);
    if (!check.ok && !is_forgiven(check, config)) {
        co_await write_text(socket, refusal(check, config));
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        co_return;
    }
    std::optional<codec::deflate_params> deflate;
    if (co_await write_text(socket, handshake::build_response(answer(check, head.head, config, deflate)))) co_return;
    std::optional<codec::deflate_agreement> agreed;
    if (deflate) agreed = codec::deflate_agreement{*deflate};
    co_await run_endpoint(std::move(socket), codec::role::server, config, endpoint_mode::echo,
                          std::move(head.leftover), agreed);
}

awaitable<void> accept_loop(tcp::acceptor& acceptor, peer_config config)
{
    for (;;) {
        // One strand per connection: its coroutine and its deadline timer never run at once.
        auto strand = asio::make_strand(acceptor.get_executor());
        error_code ec;
        auto socket = co_await acceptor.async_accept(strand, nothrow(ec));
        if (ec == asio::error::operation_aborted) co_return;
        if (ec) continue;
        asio::co_spawn(strand, handle(std::move(socket), config), asio::detached);
    }
}

}  // namespace

int serve(const serve_options& options, const std::function<void(std::uint16_t)>& on_listening)
{
    asio::io_context io;
    tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
    tcp::acceptor acceptor(io);
    error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + options.host + ":" +
                                 std::to_string(options.port) + ": " + ec.message());
    on_listening(acceptor.local_endpoint().port());
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](error_code, int) { io.stop(); });
    asio::co_spawn(io, accept_loop(acceptor, options.config), asio::detached);
    std::vector<std::thread> extra;
    for (unsigned i = 1; i < options.threads; ++i) extra.emplace_back([&] { io.run(); });
    io.run();
    for (auto& t : extra) t.join();
    return 0;
}

}  // namespace wsh::peer
