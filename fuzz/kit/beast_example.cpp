// SPDX-License-Identifier: MIT
// The kit on a real third-party parser with nothing to download: Boost.Beast's websocket
// stream (header-only, Debian's libboost-dev), so compiling this file with the fuzzing flags
// instruments Beast itself. Beast is the server: its accept reads a fixed upgrade request that
// offers permessage-deflate (so RSV1 frames reach Beast's inflater), then the fuzz input
// arrives as the client's byte stream, in reads chosen by wsh_kit::for_each_chunk, over
// Beast's in-memory test stream; every message is echoed so the write path runs too. It has
// the template target's shape: all of Beast is behind one call, feed_your_parser.
// Built twice: fuzz_beast_kit with the kit's frame-level mutator and fuzz_beast_plain
// (WSH_KIT_NO_MUTATOR) with libFuzzer's byte mutation; fuzz/kit/compare-beast.sh compares them.
// Property: Beast does not crash, leak, overflow or loop forever, for any bytes and any reads.
#include "wsh_frame_mutator.hpp"

#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <string_view>

namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;

constexpr std::string_view upgrade_request =
    "GET / HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
    "\r\n";

// One connection to a Beast server: `client` is our end of the in-memory pipe, `ws` Beast's.
struct beast_server {
    net::io_context ioc;
    beast::test::stream client{ioc};
    websocket::stream<beast::test::stream> ws{ioc};
    // Bounded like read_message_max. Boost 1.74 with an unbounded flat_buffer: a compressed
    // frame declaring a huge 64-bit length (even with the top bit set, which RFC 6455 forbids)
    // makes async_read ask the buffer for that many bytes and std::bad_alloc escapes from
    // io_context::poll (found by this example; input in fuzz/kit/beast-findings/). Build with
    // -DWSH_BEAST_UNBOUNDED_BUFFER to see it.
#ifdef WSH_BEAST_UNBOUNDED_BUFFER
    beast::flat_buffer message;
#else
    beast::flat_buffer message{1u << 16};
#endif
    bool closed = false;

    beast_server()
    {
        client.connect(ws.next_layer());
        websocket::permessage_deflate deflate;
        deflate.server_enable = true;
        ws.set_option(deflate);
        ws.read_message_max(1u << 16);
        client.write_some(net::buffer(upgrade_request.data(), upgrade_request.size()));
        ws.async_accept([this](beast::error_code ec) {
            if (ec) closed = true;
            else read();
        });
        run();
    }

    void read()
    {
        ws.async_read(message, [this](beast::error_code ec, std::size_t) {
            if (ec) {
                closed = true;
                return;
            }
            ws.text(ws.got_text());
            ws.async_write(message.data(), [this](beast::error_code ec, std::size_t) {
                message.clear();
                if (ec) closed = true;
                else read();
            });
        });
    }

    // Runs Beast until it waits for more input; drops what it wrote to us.
    void run()
    {
        ioc.restart();
        ioc.poll();
        client.clear();
    }
};

// The one call into the parser under test: deliver one read of the client's byte stream.
void feed_your_parser(beast_server& server, const std::uint8_t* data, std::size_t size)
{
    if (server.closed) return;
    server.client.write_some(net::buffer(data, size));
    server.run();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    beast_server server;
    wsh_kit::for_each_chunk(data, size, [&](std::size_t at, std::size_t n) {
        feed_your_parser(server, data + at, n);
    });
    server.client.close();  // Beast's pending read ends with end-of-stream
    server.run();
    return 0;
}
