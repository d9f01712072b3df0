// SPDX-License-Identifier: MIT
// Runs one case over an open WebSocket connection and records what happens, with the
// semantics of Autobahn's engine (shared/spec/autobahn.md §1.1, §2.4, §2.5, §5).
#pragma once

#include "codec/deflate.hpp"
#include "suite/case.hpp"
#include "suite/observation.hpp"
#include "transport/asio.hpp"

#include <cstdint>
#include <memory>
#include <optional>

namespace wsh::suite {

struct session_options {
    bool tester_is_client = true;               // wsharness is the client (testing a server)
    millis close_handshake_timeout{1000};       // wait for the Close reply (closeHandshakeTimeout)
    millis server_drop_timeout{1000};           // as client: wait for the server to drop TCP
    millis case_cap{0};                         // hard cap per case; 0: derived from the script
    std::uint64_t max_message = 64u << 20;      // largest message buffered from the target
    // permessage-deflate as agreed in the opening handshake (RFC 7692); unset: not in use.
    std::optional<codec::deflate_agreement> deflate;
    int deflate_level = 1;                      // zlib level of what the tester compresses
};

// Hard deadline of a case: its pauses and timers plus the engine's close waits and a margin.
[[nodiscard]] millis derive_deadline(const test_case& c, const session_options& options);

// Runs `c` on `socket`, whose opening handshake is complete; `leftover` holds bytes read after
// the handshake head. Returns when the TCP connection has ended (by either side or by the
// deadline); `o` is filled in. Never throws for anything the peer does.
transport::awaitable<void> run_session(transport::tcp::socket socket, const test_case& c,
                                       const session_options& options, observation& o,
                                       bytes leftover);

}  // namespace wsh::suite
