// SPDX-License-Identifier: MIT
// Runs one case over an open WebSocket connection and records what happens, with the
// semantics of Autobahn's engine (shared/spec/autobahn.md §1.1, §2.4, §2.5, §5).
#pragma once

#include "codec/deflate.hpp"
#include "suite/case.hpp"
#include "suite/observation.hpp"
#include "transport/asio.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

namespace wsh::suite {

// Memory bounds (DESIGN.md "Non-negotiables"): what the tester keeps from the target (received
// messages and pongs, the message being reassembled, the wire log) is counted per connection
// and, through a shared budget, over the connections of a run that are in flight at once.
// Going over either cap fails the connection with 1008 and the case is FAILED, saying why.
inline constexpr std::uint64_t default_max_buffer = 64u << 20;       // per connection
inline constexpr std::uint64_t default_max_run_buffer = 256u << 20;  // per run, in flight
inline constexpr std::size_t default_max_wirelog_records = 20000;    // then the log is cut

class buffer_budget {
public:
    explicit buffer_budget(std::uint64_t cap) noexcept : cap_(cap) {}
    // Takes `n` bytes from the budget; false (taking nothing) if that would go over the cap.
    [[nodiscard]] bool charge(std::uint64_t n) noexcept;
    void release(std::uint64_t n) noexcept;
    [[nodiscard]] std::uint64_t cap() const noexcept { return cap_; }

private:
    const std::uint64_t cap_;
    std::atomic<std::uint64_t> used_{0};
};

struct session_options {
    bool tester_is_client = true;               // wsharness is the client (testing a server)
    millis close_handshake_timeout{1000};       // wait for the Close reply (closeHandshakeTimeout)
    millis server_drop_timeout{1000};           // as client: wait for the server to drop TCP
    millis case_cap{0};                         // hard cap per case; 0: derived from the script
    std::uint64_t max_message = 64u << 20;      // largest message buffered from the target
    // permessage-deflate as agreed in the opening handshake (RFC 7692); unset: not in use.
    std::optional<codec::deflate_agreement> deflate;
    int deflate_level = 1;                      // zlib level of what the tester compresses
    std::uint64_t max_buffer = default_max_buffer;  // bytes kept per connection (see above)
    std::shared_ptr<buffer_budget> run_budget;      // shared by a run's connections; null: none
    std::size_t max_wirelog_records = default_max_wirelog_records;
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
