// SPDX-License-Identifier: MIT
// `wsharness serve`: the reference echo server.
#pragma once

#include "peer/endpoint.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace wsh::peer {

struct serve_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 9001;  // 0: any free port
    peer_config config{};
    unsigned threads = 2;
};

// Binds, calls `on_listening(port)` once the socket listens, then serves until SIGINT/SIGTERM.
// Returns the process exit status. Throws std::runtime_error when it cannot bind.
int serve(const serve_options& options, const std::function<void(std::uint16_t)>& on_listening);

}  // namespace wsh::peer
