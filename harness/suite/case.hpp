// SPDX-License-Identifier: MIT
// The case model: what a case sends (a script of steps) and what it expects (a value judged
// over the observed timeline). Cases are declarations; the session owns the only wait loop.
#pragma once

#include "codec/deflate.hpp"
#include "codec/frame.hpp"
#include "codec/frame_encoder.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace wsh::suite {

using bytes = std::vector<std::uint8_t>;
using millis = std::chrono::milliseconds;

// Autobahn's vocabulary (DESIGN.md "Observations and verdicts"), plus ERROR: wsharness could
// not run the case.
enum class behavior : std::uint8_t { ok, non_strict, informational, unimplemented, failed, error };
enum class close_behavior : std::uint8_t {
    ok, failed, unclean, wrong_code, failed_by_client, informational, error
};

[[nodiscard]] std::string_view to_string(behavior b) noexcept;
[[nodiscard]] std::string_view to_string(close_behavior b) noexcept;

// Which side of the connection the target is on: a case may apply to testing servers, clients
// or both.
enum class roles : std::uint8_t { server = 1, client = 2, both = 3 };
enum class level : std::uint8_t { must, should, may };  // RFC 2119 keyword of the requirement

// One frame to write. The mask is decided at run time from the sending role (a client masks
// with a fresh random key) unless `spec.mask` is set.
struct frame_item {
    codec::frame_spec spec;
    std::shared_ptr<const bytes> payload;
    // A Close written as a plain frame (Autobahn's sendFrame): it does not start the tester's
    // closing handshake, so the tester stays open and answers the target's Close (3.7).
    bool raw = false;
    // Written without a mask even when the tester is the client (RFC 6455 §5.1 broken on purpose).
    bool unmasked = false;
};

// How frames reach TCP (Autobahn's write modes, autobahn.md §5.2).
struct send_step {
    std::vector<frame_item> frames;
    std::size_t chop = 0;  // 0: whole; k: every k bytes their own write
    bool sync = false;     // every frame its own write
    millis gap{0};         // with chop: a pause between the pieces (a slow peer)
};

// The header of a frame whose payload follows in later `frame_data_step`s (Autobahn's
// streaming API, used by 6.4.3/6.4.4). Masking continues across the parts.
struct frame_begin_step {
    codec::frame_spec spec;
    std::uint64_t declared_length = 0;
};
struct frame_data_step {
    std::shared_ptr<const bytes> data;
};

// Wait, then go on only while the connection is still open; `mark` (if set) is recorded as a
// "timeout" event when the pause ends with the connection open (autobahn.md §5.3).
struct pause_step {
    millis duration{0};
    std::string mark;
};

// Autobahn's case timers: kill_after fails the connection (close 1001) if still connected;
// close_after sends a Close without a body.
enum class timer_kind : std::uint8_t { kill_after, close_after };
struct timer_step {
    timer_kind kind = timer_kind::kill_after;
    millis after{1000};
};

// Strict request/response rounds (Autobahn 9.7/9.8): write `frame`, wait until one message
// comes back, `count` times. A reply of another type or length makes the tester close with
// 1000 at once, as Autobahn does; the connection ending stops the rounds.
struct exchange_step {
    frame_item frame;
    std::size_t count = 1;
};

// The data Autobahn 12.x/13.x cut their messages from (autobahn.md §1.11): a text source is
// cut on code points, a binary one on bytes.
struct payload_source {
    std::string name;
    bytes data;
    bool text = false;
    std::vector<std::uint32_t> code_points;  // text: byte offset of each code point

    // Message `index` of `size` units (code points or bytes), consecutive slices wrapping
    // around at the end of the data.
    [[nodiscard]] bytes slice(std::size_t index, std::size_t size) const;
    // The same message as ranges [first, second) of `data`: one, or more where it wraps.
    [[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> byte_ranges(std::size_t index,
                                                                             std::size_t size) const;
    [[nodiscard]] std::size_t units() const noexcept { return text ? code_points.size() : data.size(); }
};

// Autobahn 12.x/13.x: `count` messages cut from `source`, each compressed (RSV1) and sent in
// frames of `fragment` bytes after compression (0: one frame); the next one goes once the echo
// came back. An echo of another type or other bytes (Autobahn compares SHA-1) ends the rounds
// with a Close 1000; the verdict is OK only after all `count` echoes.
struct compressed_echo_step {
    std::shared_ptr<const payload_source> source;
    std::size_t size = 0;
    std::size_t fragment = 0;
    std::size_t count = 1000;
};

using step = std::variant<send_step, frame_begin_step, frame_data_step, pause_step, timer_step,
                          exchange_step, compressed_echo_step>;

// What the tester records (autobahn.md §1.1): data messages, pongs and timeout marks.
struct event {
    enum class kind : std::uint8_t { message, pong, timeout };
    kind what = kind::message;
    bool binary = false;
    std::shared_ptr<const bytes> data;  // message or pong payload; timeout tag as bytes
    // Length-only judging of a message too large to keep: its size. `data` is then empty (a
    // received message) or holds only the first bytes, for display (an expected one).
    std::uint64_t size_only = 0;

    [[nodiscard]] std::uint64_t size() const noexcept
    {
        return size_only != 0 || !data ? size_only : data->size();
    }

    friend bool operator==(const event& a, const event& b);
};

struct outcome {
    behavior verdict = behavior::ok;
    std::vector<event> events;
    // Matches only if the target closed (or dropped) the connection before the tester did: an
    // empty event list then means "the target refused", not "the target fell silent".
    bool requires_target_close = false;
};

struct close_expectation {
    bool closed_by_me = true;             // the tester sends the first Close
    std::vector<std::uint16_t> codes{1000};  // accepted codes in the peer's Close (none passes)
    bool require_clean = true;
    bool wrong_endpoint_is_fatal = false;  // behavior FAILED if the wrong side closed
    // Either side may close first (the outcomes say which behaviour each means); no
    // wrong-endpoint check.
    bool either_may_close = false;
};

// The pieces a case's own opening handshake is built from (a fresh valid key included).
struct request_parts {
    std::string host;
    std::string target;
    std::string key;
};

// What a client's upgrade request offered, for a case that writes the server's answer itself.
struct response_parts {
    std::string key;                              // the client's Sec-WebSocket-Key
    std::string accept;                           // the correct Sec-WebSocket-Accept for it
    std::vector<std::string> offered_protocols;   // Sec-WebSocket-Protocol values, in order
    std::vector<std::string> offered_extensions;  // extension names offered, in order
};

// A case that tests the opening handshake itself: as a client (category 20) its own request,
// and what the server's answer must be; with `expect_upgrade` the script runs after a checked
// 101. As a server (category 21) its own answer to the client's request, which the client must
// refuse.
struct opening_handshake {
    std::function<std::string(const request_parts&)> request;  // the raw request head
    std::size_t chop = 0;                                       // written in pieces of this size
    bool expect_upgrade = true;
    std::vector<int> refusal_statuses;           // accepted refusals; empty: any 4xx
    bool refusal_needs_version_header = false;   // §4.4: name the versions the server speaks
    bool drop_is_ok = false;                     // closing without an answer is acceptable
    std::vector<std::string> offered_protocols;  // the 101 may select one of these, or none

    // Testing a client (category 21): the raw answer head. test-client writes it and, right
    // behind it, one unmasked text frame that a client echoes only if it took the answer for an
    // upgrade. The client must send nothing (RFC 6455 §4.1: _Fail the WebSocket Connection_), and
    // close the connection unless `client_may_stay_open` (a non-101 answer is handled by HTTP's
    // rules: the client may keep the connection for another request).
    std::function<std::string(const response_parts&)> response;
    bool client_may_stay_open = false;
};

// permessage-deflate (RFC 7692) for a case: what the tester offers as a client (one header,
// in order) and how it answers as a server (Autobahn's (requestNoContextTakeover,
// requestMaxWindowBits) list: for each offer of the client, the first answer that fits).
// When the extension is not agreed the tester closes with 1000 at once: UNIMPLEMENTED.
struct deflate_setup {
    std::vector<codec::deflate_params> offers;
    std::vector<codec::deflate_server_policy> answers{codec::deflate_server_policy{}};
};

// How the received events are judged.
enum class judge : std::uint8_t {
    exact,          // received equals one outcome's events exactly (Autobahn 1-7)
    length_only,    // category 9: only the type and length of each message count
    informational,  // the case reports what happened without a verdict (7.1.6, 7.13.x)
    echo_rounds,    // 12.x/13.x: OK iff every compressed_echo_step round got its exact echo
};

// A check on the tester's own transmit counters (10.1.1): exactly `frames` frames of `opcode`.
struct tx_count {
    std::uint8_t opcode = 0;
    std::uint64_t frames = 0;
};

struct test_case {
    std::string id;           // Autobahn's id, or ours from category 20 up
    std::string section;      // RFC 6455 section checked ("5.5")
    std::string summary;      // one line, in the tester's voice
    std::string requirement;  // the RFC sentence checked
    level requirement_level = level::must;
    roles applies_to = roles::both;
    std::vector<step> script;
    std::vector<outcome> outcomes;  // first match wins; none: FAILED
    close_expectation close;
    judge judged_by = judge::exact;
    bool wrong_code_fails = false;  // category 7: WRONG CODE also makes behavior FAILED
    bool wirelog = true;             // category 9 switches the wire log off
    millis deadline{0};              // hard cap; 0: derived from the script's timers
    std::vector<tx_count> expect_tx;  // a mismatch makes behavior FAILED (Autobahn 10.1.1)
    std::optional<opening_handshake> handshake;  // set: the handshake is the subject of the case
    // Set for cases that send megabytes (category 9): the steps that send them are built when
    // the case runs and released once written, so the catalogue does not hold them (memory of a
    // run, issue 11). They run before `script`, which then holds the rest (the timer).
    std::function<std::vector<step>()> make_sends;
    // Roughly what the case costs beyond its waits against a fast target (its writes, round trips
    // and megabytes), where it is large; only used to start heavy cases early in a run
    // (runner.cpp start_order). 0: small, or estimated from the expected messages.
    std::chrono::microseconds work_hint{0};
    std::optional<deflate_setup> deflate;        // set: permessage-deflate is negotiated first
    // Testing a client: each frame it sends must carry a masking key of its own (RFC 6455 §5.3,
    // a fresh key per frame); a key seen twice makes behavior FAILED.
    bool fresh_mask_keys = false;
    // Set by a target profile (suite/target_profile.hpp) for targets that send messages of
    // their own: each data message from the target goes through it; what it returns is recorded,
    // nullopt counts the message as unsolicited (skipped, never judged). Unset: all recorded.
    std::function<std::optional<event>(const event&)> accept_message;
    // Written the moment the target's first Close arrives, after the tester's own reply if it
    // owes one (category 24: what the target does with frames behind its Close).
    std::vector<frame_item> after_target_close;
    // More Close frames than this from the target make behavior NON-STRICT; 0: not checked.
    std::uint64_t max_target_closes = 0;
};

// The whole script of a case: its built sends (make_sends), then `script`. Builds megabytes
// for category 9: for tools that look at every frame (profiles, seed corpora), not for runs.
[[nodiscard]] std::vector<step> full_script(const test_case& c);

// Sort key of a dotted id ("6.4.10" -> {6, 4, 10}): Autobahn's case order.
[[nodiscard]] std::vector<int> id_tuple(std::string_view id);
[[nodiscard]] bool id_less(std::string_view a, std::string_view b);

// Category of an id ("6.4.10" -> 6) and its display name ("6 UTF-8 Handling").
[[nodiscard]] int category_of(std::string_view id);
[[nodiscard]] std::string category_name(int category);

}  // namespace wsh::suite
