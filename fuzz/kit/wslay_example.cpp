// SPDX-License-Identifier: MIT
// The kit on a real third-party parser: wslay's event layer (libwslay-dev) as a server, fed
// the fuzz input as the client's byte stream in reads chosen by wsh_kit::for_each_chunk, and
// echoing every message so the send path runs too. Built twice: fuzz_wslay_kit with the kit's
// frame-level mutator, fuzz_wslay_plain (WSH_KIT_NO_MUTATOR) with libFuzzer's byte mutation;
// fuzz/README.md gives the commands that compare their coverage.
// Property: wslay does not crash, leak or read past its input, for any bytes and any reads.
#include "wsh_frame_mutator.hpp"

#include <wslay/wslay.h>

#include <cstring>
#include <memory>

namespace {

// The read being delivered: wslay pulls from it through recv_callback.
struct connection {
    const std::uint8_t* data = nullptr;
    std::size_t left = 0;
};

ssize_t on_recv(wslay_event_context_ptr ctx, std::uint8_t* buf, std::size_t len, int, void* user)
{
    auto* c = static_cast<connection*>(user);
    if (c->left == 0) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    std::size_t n = std::min(len, c->left);
    std::memcpy(buf, c->data, n);
    c->data += n;
    c->left -= n;
    return static_cast<ssize_t>(n);
}

ssize_t on_send(wslay_event_context_ptr, const std::uint8_t*, std::size_t len, int, void*)
{
    return static_cast<ssize_t>(len);
}

int on_genmask(wslay_event_context_ptr, std::uint8_t* buf, std::size_t len, void*)
{
    std::memset(buf, 0x5a, len);
    return 0;
}

void on_message(wslay_event_context_ptr ctx, const wslay_event_on_msg_recv_arg* arg, void*)
{
    if (wslay_is_ctrl_frame(arg->opcode)) return;
    wslay_event_msg echo{arg->opcode, arg->msg, arg->msg_length};
    wslay_event_queue_msg(ctx, &echo);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    wslay_event_callbacks callbacks{on_recv, on_send, on_genmask, nullptr, nullptr, nullptr,
                                    on_message};
    connection conn;
    wslay_event_context_ptr ctx = nullptr;
    if (wslay_event_context_server_init(&ctx, &callbacks, &conn) != 0) return 0;
    wslay_event_config_set_max_recv_msg_length(ctx, 1u << 16);
    bool failed = false;
    wsh_kit::for_each_chunk(data, size, [&](std::size_t at, std::size_t n) {
        if (failed) return;
        auto read = std::make_unique<std::uint8_t[]>(n);
        std::copy_n(data + at, n, read.get());
        conn = {read.get(), n};
        failed = wslay_event_recv(ctx) != 0 || wslay_event_send(ctx) != 0;
    });
    wslay_event_context_free(ctx);
    return 0;
}
