// SPDX-License-Identifier: MIT
// The reference peer's WebSocket endpoint: strict, correct echo behaviour over an open
// connection, with at most one injected fault.
#pragma once

#include "codec/deflate.hpp"
#include "codec/frame.hpp"
#include "peer/faults.hpp"
#include "transport/asio.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace wsh::peer {

struct peer_config {
    fault injected = fault::none;
    std::uint64_t max_message = 64u << 20;  // larger messages: fail with 1009
    std::chrono::milliseconds close_timeout{1000};
    bool deflate = false;   // negotiate permessage-deflate (RFC 7692): --deflate
    int deflate_level = 1;  // zlib level of the echoes
    // Echo a compressed message with the bytes it arrived in when that is valid deflate data in
    // our direction too (see endpoint.cpp); false: compress every echo anew (--deflate-recompress).
    bool deflate_passthrough = true;
    // A connection open this long is closed whatever state it is in (0: no limit). The driver
    // sets it so that a fuzzing server that never ends a case cannot stop its loop.
    std::chrono::milliseconds connection_limit{0};
};

enum class endpoint_mode : std::uint8_t {
    echo,     // echo every text and binary message
    collect,  // keep text messages (the driver's /getCaseCount) instead of echoing
};

struct endpoint_result {
    std::vector<std::string> texts;          // collect mode
    std::uint16_t remote_close_code = 0;     // 0: none
};

// Runs the connection until it is closed; the opening handshake is done and `leftover` holds
// the bytes read after it. `local_role` server: frames must arrive masked, ours go unmasked.
// `deflate`: permessage-deflate as agreed; compressed messages are inflated (up to
// max_message) and every echo is compressed.
transport::awaitable<endpoint_result> run_endpoint(transport::tcp::socket socket, codec::role local_role,
                                                   const peer_config& config, endpoint_mode mode,
                                                   std::vector<std::uint8_t> leftover,
                                                   std::optional<codec::deflate_agreement> deflate = {});


}  // namespace wsh::peer
