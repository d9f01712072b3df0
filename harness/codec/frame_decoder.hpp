// SPDX-License-Identifier: MIT
// Strict incremental frame decoder (frame layer only: bits, lengths, masking).
#pragma once

#include "codec/frame.hpp"
#include "codec/violation.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>

namespace wsh::codec {

struct decoder_options {
    // The role of the endpoint that receives the frames: a server expects masked frames.
    role local_role = role::server;
    // RSV bits an extension has negotiated (permessage-deflate: rsv1); others are violations.
    std::uint8_t allowed_rsv = 0;
    // Frames declaring a longer payload are a `payload_too_big` violation.
    std::uint64_t max_frame_payload = std::numeric_limits<std::uint64_t>::max();
    // Checks switched off on purpose (the reference peer's faults). An ignored violation is
    // not reported and decoding goes on as if the frame were valid.
    violation_set ignored{};
};

enum class frame_event_kind : std::uint8_t {
    need_more,        // all input consumed, no event: feed more bytes
    frame_started,    // `header` is complete
    payload_chunk,    // `payload` holds the next unmasked payload bytes of the current frame
    frame_finished,   // the current frame's payload is complete; `header` repeats its header
    violation_found,  // `error` says which rule the peer broke; the decoder is now failed
};

struct frame_event {
    frame_event_kind kind = frame_event_kind::need_more;
    frame_header header{};
    std::span<const std::uint8_t> payload{};
    violation error{};
};

struct frame_step {
    std::size_t consumed = 0;  // bytes of the input taken by this call
    frame_event event{};
};

// Bytes in, events out. Each call to feed() consumes a prefix of its input and returns at most
// one event; any split of the same byte stream into calls yields the same sequence of events
// (payload chunks may be cut at different places, their concatenation is the same).
//
// A frame yields frame_started, zero or more payload_chunk (none for an empty payload), then
// frame_finished. A violation is reported as soon as the byte that decides it has arrived
// (RSV and opcode after the first byte, mask bit and 7-bit length after the second, extended
// length when complete), before frame_started.
class frame_decoder {
public:
    explicit frame_decoder(decoder_options options = {}) noexcept;

    // Consumes a prefix of `input` and returns at most one event. Payload is unmasked in place:
    // a payload_chunk view points into `input` and lives as long as the caller's buffer.
    // Progress: either `consumed > 0` or the event is not need_more (a finished frame of empty
    // payload may return an event with consumed == 0). After violation_found every further
    // call returns the same violation with consumed == 0.
    // The payload and finish states are inline (they are most of the calls on small frames).
    [[nodiscard]] frame_step feed(std::span<std::uint8_t> input) noexcept
    {
        if (state_ == state::finish) return on_finish();
        if (state_ == state::payload) return on_payload(input);
        return feed_header(input);
    }

    [[nodiscard]] bool is_failed() const noexcept { return failed_; }
    // True between frames: no header byte or payload byte of a frame is pending.
    [[nodiscard]] bool is_at_frame_boundary() const noexcept;
    [[nodiscard]] const decoder_options& options() const noexcept { return options_; }
    void set_allowed_rsv(std::uint8_t rsv) noexcept { options_.allowed_rsv = rsv; }

    // Back to the initial state (options kept).
    void reset() noexcept;

private:
    enum class state : std::uint8_t { header, extended_length, mask_key, payload, finish };

    frame_step feed_header(std::span<std::uint8_t> input) noexcept;
    std::size_t whole_header_size(std::span<const std::uint8_t> input) const noexcept;
    frame_step take_whole_header(const std::uint8_t* p, std::size_t size) noexcept;
    frame_step feed_header_bytes(std::span<std::uint8_t> input) noexcept;
    frame_step step_header(std::span<std::uint8_t> input) noexcept;
    frame_step on_header(std::span<std::uint8_t> input) noexcept;
    frame_step on_extended_length(std::span<std::uint8_t> input) noexcept;
    frame_step on_mask_key(std::span<std::uint8_t> input) noexcept;
    frame_step on_payload(std::span<std::uint8_t> input) noexcept
    {
        const std::size_t take =
            static_cast<std::size_t>(remaining_ < input.size() ? remaining_ : input.size());
        if (take == 0) return {};
        const auto chunk = input.first(take);
        if (header_.masked) unmask(chunk);
        remaining_ -= take;
        if (remaining_ == 0) state_ = state::finish;
        return {take, {frame_event_kind::payload_chunk, header_, chunk, violation{}}};
    }
    frame_step on_finish() noexcept
    {
        state_ = state::header;
        return {0, {frame_event_kind::frame_finished, header_, {}, violation{}}};
    }
    void unmask(std::span<std::uint8_t> chunk) noexcept;
    frame_step fail(violation v, std::size_t consumed) noexcept;
    frame_step start_frame(std::size_t consumed) noexcept;
    frame_step on_length_known(std::size_t consumed) noexcept;
    std::optional<violation> check_first_byte() const noexcept;
    std::optional<violation> check_second_byte(std::uint8_t len7) const noexcept;
    bool is_checked(violation v) const noexcept { return !options_.ignored.contains(v); }

    decoder_options options_;
    state state_ = state::header;
    bool failed_ = false;
    violation error_{};
    frame_header header_{};
    std::uint8_t header_bytes_[2]{};
    std::uint8_t have_ = 0;           // bytes gathered in the current header field
    std::uint8_t extended_bytes_ = 0;  // 0, 2 or 8
    std::uint8_t field_[8]{};
    std::uint64_t remaining_ = 0;     // payload bytes still to come
    std::uint64_t mask_offset_ = 0;   // payload bytes unmasked so far
};

}  // namespace wsh::codec
