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
    std::vector<std::pair<codec::violation, double>> violations;  // rule, ms since open
    std::optional<std::uint16_t> target_close_code;
    std::string target_close_reason;
    bool target_closed_first = false;
    bool clean = false;           // the closing handshake completed
    std::string end;              // how the connection ended, in words

    [[nodiscard]] std::uint64_t messages() const noexcept { return text_messages + binary_messages; }
};

// Connects, holds the connection for `duration` (or until the target ends it), closes with
// 1000. Never throws for anything the target does.
[[nodiscard]] observe_report observe(const observe_options& options);

}  // namespace wsh::suite
