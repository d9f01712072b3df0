// SPDX-License-Identifier: MIT
// Message layer over the frame decoder: fragmentation order, control frames between fragments,
// streaming UTF-8 validation of text messages, close body parsing.
#pragma once

#include "codec/close.hpp"
#include "codec/frame_decoder.hpp"
#include "codec/utf8.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace wsh::codec {

struct message_options {
    decoder_options frame{};
    // Reassembled data message size limit (sum of fragment payloads): `message_too_big`.
    std::uint64_t max_message = std::numeric_limits<std::uint64_t>::max();
};

enum class message_event_kind : std::uint8_t {
    need_more,         // all input consumed, no event
    frame_started,     // `header` of a new frame (data, continuation or control)
    data_chunk,        // next bytes of the current data message (unmasked, UTF-8 checked so far)
    frame_finished,    // end of a data frame; header.fin == true ends the message
    control_received,  // a complete control frame: `opcode`, whole `payload`; for close, `close`
    violation_found,   // `error` names the rule; the decoder is failed from here on
};

struct message_event {
    message_event_kind kind = message_event_kind::need_more;
    frame_header header{};
    // The message's opcode (text/binary) for data events, the frame's opcode for control events.
    std::uint8_t opcode = 0;
    std::span<const std::uint8_t> payload{};
    close_body close{};  // for control_received with opcode close
    violation error{};
    // Data events of a message whose first frame had RSV1 with permessage-deflate negotiated
    // (RFC 7692 §6.1): the payload is compressed and was not UTF-8 checked here.
    bool compressed = false;
};

struct message_step {
    std::size_t consumed = 0;
    message_event event{};
};

// Same contract as frame_decoder::feed (at most one event per call, split-invariant, payload
// views into the caller's buffer), plus the message rules:
// - RFC 6455 §5.4: a continuation frame needs a message in progress (`unexpected_continuation`);
//   a text/binary frame must not start while one is in progress (`expected_continuation`);
//   control frames may come between fragments.
// - RFC 6455 §8.1: text messages are validated as they arrive; a data_chunk carries only the
//   valid prefix and the violation `invalid_utf8` follows at the first invalid byte; a message
//   ending inside a sequence fails at its last frame.
// - RFC 6455 §5.5.1: close bodies are parsed (see parse_close_payload).
// - RFC 7692 §6.1: with RSV1 allowed (set_allowed_rsv), RSV1 marks a compressed message on its
//   first frame only: on a control frame it is `compressed_control_frame`, on a continuation
//   `compressed_continuation`. Compressed text is validated by whoever inflates it.
// Control frame payloads are gathered internally (at most 125 bytes, or the declared length
// when `control_frame_too_long` is ignored, up to 64 KiB) and returned whole: the view is
// valid until the next call to feed().
class message_decoder {
public:
    explicit message_decoder(message_options options = {});

    [[nodiscard]] message_step feed(std::span<std::uint8_t> input) noexcept;

    [[nodiscard]] bool is_failed() const noexcept { return failed_; }
    [[nodiscard]] bool is_in_message() const noexcept { return in_message_; }
    [[nodiscard]] const message_options& options() const noexcept { return options_; }
    void set_allowed_rsv(std::uint8_t rsv) noexcept { frames_.set_allowed_rsv(rsv); }
    void reset() noexcept;

private:
    message_step on_frame_started(const frame_event& e, std::size_t consumed) noexcept;
    message_step on_payload(const frame_event& e, std::size_t consumed) noexcept;
    message_step on_frame_finished(const frame_event& e, std::size_t consumed) noexcept;
    message_step dispatch(const frame_event& e, std::size_t consumed) noexcept;
    message_step deliver_control(std::size_t consumed) noexcept;
    void begin_message(std::uint8_t opcode, bool compressed) noexcept;
    message_step fail(violation v, std::size_t consumed) noexcept;
    bool is_checked(violation v) const noexcept { return !options_.frame.ignored.contains(v); }

    message_options options_;
    frame_decoder frames_;
    utf8_validator utf8_;
    bool failed_ = false;
    violation error_{};
    bool in_message_ = false;
    std::uint8_t message_opcode_ = 0;
    bool message_compressed_ = false;
    std::uint64_t message_size_ = 0;
    bool in_control_ = false;
    frame_header control_header_{};
    // Set when a data_chunk carried the valid prefix of a chunk: the violation follows.
    std::optional<violation> pending_;
    std::vector<std::uint8_t> control_;  // gathered control payload
};

}  // namespace wsh::codec
