// SPDX-License-Identifier: MIT
// One execution of the network fuzzer: a fresh connection, the input, the probe, the verdict.
#pragma once

#include "fuzz/network_fuzzer.hpp"
#include "transport/asio.hpp"

namespace wsh::fuzz {

// Connects, does the opening handshake, writes `input` and (if it ends at a frame boundary)
// the probe ping, then reads with the strict client-role decoder until the pong, a Close, the
// end of the connection, or `deadline`. Verdicts: refused (no connection or no handshake
// answer), violation (what came back breaks RFC 6455), hang (neither pong nor close in time),
// closed or ok.
transport::awaitable<probe_result> execute(const transport::ws_url& url, bytes input,
                                           std::uint64_t iteration, millis deadline);

// True if a new TCP connection is accepted within `timeout`.
transport::awaitable<bool> is_accepting(const transport::ws_url& url, millis timeout);

}  // namespace wsh::fuzz
