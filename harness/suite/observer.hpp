// SPDX-License-Identifier: MIT
// `wsharness observe`: one connection to a server held open for a while. Every frame the target
// sends goes through the strict codec; Pings are answered; optional messages of ours go out at
// a steady rate. What arrived is counted: the way to check a push server.
#pragma once

#include "codec/violation.hpp"
#include "suite/case.hpp"
#include "transport/url.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wsh::suite {

struct observe_options {
    transport::ws_url url;
    millis duration{30000};
    millis connect_timeout{5000};
    millis close_timeout{2000};            // wait for the target's Close reply and TCP end
    std::vector<std::string> messages;     // sent in order, one every 1/rate seconds
    double rate = 1.0;                     // messages per second
    bool binary = false;                   // send them as binary messages
    std::uint64_t max_message = 64u << 20;
    // A violation is recorded and the observation goes on (see observe()); with this set the
    // connection is failed at the first one instead, as RFC 6455 §7.1.7 asks of an endpoint.
    bool stop_at_violation = false;
    std::size_t kept_violations = 100;     // violations kept with their time; the rest are counted
};

struct observed_violation {
    codec::violation rule{};
    double at_ms = 0;             // since the connection opened
};

struct observe_report {
    std::string error;            // could not connect or the handshake failed: nothing observed
    double open_seconds = 0;      // from the 101 to the end of TCP
    std::uint64_t text_messages = 0, binary_messages = 0, frames = 0;
    std::uint64_t bytes = 0;      // payload bytes of data messages
    std::uint64_t smallest = 0, largest = 0;
    double first_ms = -1, last_ms = -1;  // arrival of the first and last data message
    std::uint64_t pings = 0, pongs = 0;
    std::uint64_t sent_messages = 0, sent_bytes = 0;
    std::vector<observed_violation> violations;  // the first options.kept_violations
    std::uint64_t violation_count = 0;            // all of them, kept or not
    std::string failed_by;        // set when a violation made wsharness fail the connection: why
    std::optional<std::uint16_t> target_close_code;
    std::string target_close_reason;
    bool target_closed_first = false;
    bool clean = false;           // the closing handshake completed
    std::string end;              // how the connection ended, in words

    [[nodiscard]] std::uint64_t messages() const noexcept { return text_messages + binary_messages; }
};

// Connects, holds the connection for `duration` (or until the target ends it), closes with
// 1000 (or, after a violation, with the first violation's close code). Never throws for anything
// the target does.
// A violation does not end the observation: the message it is in is decoded again from its
// first frame with that rule switched off (the frame layout stays known), counted, and the
// strict codec takes over at the next message. A rule broken twice in one message counts once.
// The connection is failed (Close with the rule's code) only where going on is impossible or
// pointless: a frame or message over max_message or a 64-bit length with its top bit set (no
// way to find the next frame), a broken Close frame (the connection is closing anyway), a
// violation inside a message of more than 1 MiB (not kept for decoding again), or
// stop_at_violation.
[[nodiscard]] observe_report observe(const observe_options& options);

}  // namespace wsh::suite
