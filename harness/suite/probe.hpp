// SPDX-License-Identifier: MIT
// The quick probe before a server run: one connection, one short text message and a Ping, a few
// seconds at most. It tells an echo server from an app that never echoes (a sink), sends
// messages of its own (push) or relays ours inside a JSON envelope (broadcast), so that a run
// under the wrong --target-profile stops at once instead of waiting out every case's timers.
#pragma once

#include "suite/case.hpp"
#include "transport/url.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace wsh::suite {

enum class probe_finding : std::uint8_t {
    echoes,        // our text came back unchanged
    relays,        // our text came back as the "message" member of a JSON object
    own_messages,  // no echo, but data messages of the target's own
    silent,        // no data message at all
    inconclusive,  // the target closed or broke the connection during the probe
};

[[nodiscard]] std::string_view to_string(probe_finding f) noexcept;

struct probe_options {
    transport::ws_url url;
    millis wait{3000};             // at most this long for the echo
    millis after_pong{1000};       // once the Pong is back, the echo has this long to follow
    millis connect_timeout{3000};  // TCP connect, then the opening handshake
};

struct probe_report {
    std::string error;             // no connection or no opening handshake: nothing probed
    probe_finding finding = probe_finding::inconclusive;
    bool pong = false;             // the Ping sent behind the text got its Pong
    std::uint64_t own_messages = 0;  // data messages that were neither echo nor relay
    double seconds = 0;            // from the 101 to the finding
    std::string detail;            // for inconclusive: what happened
};

// Never throws for anything the target does.
[[nodiscard]] probe_report probe_echo(const probe_options& options);

}  // namespace wsh::suite
