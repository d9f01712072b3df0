// SPDX-License-Identifier: MIT
// What happened on one case's connection: the timeline the verdicts are judged over.
#pragma once

#include "codec/violation.hpp"
#include "suite/case.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wsh::suite {

// One row of the wire log (autobahn.md §4.2): bytes written or read, frames sent or received,
// timers armed or fired. Times are milliseconds since the TCP connection was made.
struct wire_record {
    enum class kind : std::uint8_t { tx_bytes, rx_bytes, tx_frame, rx_frame, timer, note };
    kind what = kind::note;
    double at_ms = 0;
    std::uint64_t length = 0;
    bytes head;                 // first bytes (at most 64) of the data or payload
    codec::frame_header frame;  // for frames
    std::string text;           // for timers and notes
};

// A rule the target broke in what it sent, seen by our strict codec.
struct finding {
    codec::violation rule{};
    double at_ms = 0;
};

struct observation {
    bool connected = false;  // TCP connection made
    bool opened = false;     // opening handshake completed
    std::string http_request;
    std::string http_response;
    std::string error;  // set when wsharness could not run the case (ERROR)
    std::optional<int> http_status;   // status of the target's answer to the opening handshake
    std::string handshake_problem;    // how that answer broke the case's handshake expectation

    std::vector<event> received;
    // Data messages a target profile skipped as the target's own (push, broadcast, sink).
    std::uint64_t unsolicited_messages = 0;
    std::uint64_t unsolicited_bytes = 0;
    std::vector<finding> findings;
    std::vector<wire_record> wirelog;

    // Autobahn's connection-state flags (autobahn.md §2.4).
    bool closed_by_me = false;
    bool failed_by_me = false;
    bool dropped_by_me = false;
    bool was_clean = false;
    std::string was_not_clean_reason;
    bool was_server_connection_drop_timeout = false;
    bool was_open_handshake_timeout = false;
    bool was_close_handshake_timeout = false;
    std::optional<std::uint16_t> local_close_code;
    std::string local_close_reason;
    std::optional<std::uint16_t> remote_close_code;
    std::string remote_close_reason;
    bool hit_deadline = false;  // the case's hard cap ended it
    std::string over_buffer_cap;  // set when the target sent more than wsharness keeps: why
    bool wirelog_truncated = false;
    std::uint64_t rx_close_frames = 0;  // Close frames received from the target

    // permessage-deflate (cases with a deflate_setup).
    bool deflate_negotiated = false;
    std::string deflate_response;        // the agreed Sec-WebSocket-Extensions element
    std::uint64_t echo_expected = 0;     // compressed_echo_step rounds to do
    std::uint64_t echo_done = 0;         // rounds whose echo matched
    std::uint64_t echo_verbatim = 0;     // of those, echoes of our very compressed bytes
    std::string echo_problem;            // the first mismatch, in words
    std::uint64_t tx_uncompressed = 0;   // message bytes before / after compression
    std::uint64_t tx_compressed = 0;
    // Masking keys of the target's frames, in order (testing a client; the first 4096 frames).
    std::vector<std::array<std::uint8_t, 4>> rx_mask_keys;

    std::uint64_t tx_frames = 0;
    std::uint64_t rx_frames = 0;
    std::uint64_t tx_data_frames = 0;  // text, binary, continuation
    std::array<std::uint64_t, 16> tx_frames_by_opcode{};  // what the tester wrote, per opcode

    double started_unix_ms = 0;  // wall clock at TCP connect
    double duration_ms = 0;      // from open to TCP end
};

struct verdict {
    suite::behavior behavior = suite::behavior::failed;
    close_behavior close = close_behavior::failed;
    std::string result;        // why, in words (expected vs received)
    std::string result_close;  // why, for the close
};

// Judges an observation against a case's expectation (autobahn.md §2.2 and §2.3).
// `tester_is_client`: wsharness was the client (testing a server).
[[nodiscard]] verdict judge_case(const test_case& c, const observation& o, bool tester_is_client);

// Display form of a payload: at most 64 bytes, UTF-8 text as is, otherwise 0x + hex.
[[nodiscard]] std::string display_payload(const bytes& data);
[[nodiscard]] std::string describe_events(const std::vector<event>& events);

}  // namespace wsh::suite
