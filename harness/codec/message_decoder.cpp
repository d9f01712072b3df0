// SPDX-License-Identifier: MIT
#include "codec/message_decoder.hpp"

#include <algorithm>

namespace wsh::codec {
namespace {

// Gathered control payload cap when `control_frame_too_long` is ignored (see the header).
constexpr std::size_t max_gathered_control = 65536;

message_step event_step(std::size_t consumed, message_event_kind kind, const frame_header& h,
                        std::uint8_t opcode, std::span<const std::uint8_t> payload = {},
                        bool compressed = false) noexcept
{
    return {consumed, {kind, h, opcode, payload, close_body{}, violation{}, compressed}};
}

}  // namespace

message_decoder::message_decoder(message_options options)
    : options_(options), frames_(options.frame)
{
    control_.reserve(max_control_payload);
}

void message_decoder::reset() noexcept
{
    frames_.reset();
    utf8_.reset();
    failed_ = false;
    error_ = {};
    in_message_ = false;
    message_opcode_ = 0;
    message_compressed_ = false;
    message_size_ = 0;
    in_control_ = false;
    control_header_ = {};
    pending_.reset();
    control_.clear();
}

message_step message_decoder::feed(std::span<std::uint8_t> input) noexcept
{
    if (failed_) return fail(error_, 0);
    if (pending_) return fail(*pending_, 0);
    std::size_t total = 0;
    for (;;) {
        const frame_step fs = frames_.feed(input.subspan(total));
        total += fs.consumed;
        if (fs.event.kind == frame_event_kind::need_more) return {total, {}};
        message_step s = dispatch(fs.event, total);
        if (s.event.kind != message_event_kind::need_more) return s;
    }
}

message_step message_decoder::dispatch(const frame_event& e, std::size_t consumed) noexcept
{
    switch (e.kind) {
    case frame_event_kind::frame_started: return on_frame_started(e, consumed);
    case frame_event_kind::payload_chunk: return on_payload(e, consumed);
    case frame_event_kind::frame_finished: return on_frame_finished(e, consumed);
    case frame_event_kind::violation_found: return fail(e.error, consumed);
    case frame_event_kind::need_more: break;
    }
    return {consumed, {}};
}

message_step message_decoder::fail(violation v, std::size_t consumed) noexcept
{
    failed_ = true;
    error_ = v;
    pending_.reset();
    message_step s = event_step(consumed, message_event_kind::violation_found, {}, 0);
    s.event.error = v;
    return s;
}

void message_decoder::begin_message(std::uint8_t opcode, bool compressed) noexcept
{
    message_opcode_ = opcode;
    message_compressed_ = compressed;
    message_size_ = 0;
    utf8_.reset();
}

message_step message_decoder::on_frame_started(const frame_event& e, std::size_t consumed) noexcept
{
    const frame_header& h = e.header;
    const bool rsv1_on = (h.rsv & rsv1) != 0 && (frames_.options().allowed_rsv & rsv1) != 0;
    if (rsv1_on && is_control(h.opcode) && is_checked(violation::compressed_control_frame))
        return fail(violation::compressed_control_frame, consumed);  // RFC 7692 §6.1
    if (rsv1_on && h.opcode == to_nibble(opcode::continuation) &&
        is_checked(violation::compressed_continuation))
        return fail(violation::compressed_continuation, consumed);  // RFC 7692 §6.1: first frame only
    if (is_control(h.opcode)) {
        in_control_ = true;
        control_header_ = h;
        control_.clear();
        return event_step(consumed, message_event_kind::frame_started, h, h.opcode);
    }
    if (h.opcode == to_nibble(opcode::continuation)) {
        if (!in_message_ && is_checked(violation::unexpected_continuation))
            return fail(violation::unexpected_continuation, consumed);  // RFC 6455 §5.4: no message
        if (!in_message_) begin_message(h.opcode, false);
    } else {
        if (in_message_ && is_checked(violation::expected_continuation))
            return fail(violation::expected_continuation, consumed);  // RFC 6455 §5.4: interleaved
        begin_message(h.opcode, rsv1_on);
    }
    in_message_ = true;
    const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - message_size_;
    message_size_ += std::min(room, h.payload_length);
    if (message_size_ > options_.max_message && is_checked(violation::message_too_big))
        return fail(violation::message_too_big, consumed);  // RFC 6455 §10.4: configured limit
    return event_step(consumed, message_event_kind::frame_started, h, message_opcode_, {},
                      message_compressed_);
}

message_step message_decoder::on_payload(const frame_event& e, std::size_t consumed) noexcept
{
    if (in_control_) {
        const std::size_t room =
            max_gathered_control - std::min(max_gathered_control, control_.size());
        const auto kept = e.payload.first(std::min(room, e.payload.size()));
        control_.insert(control_.end(), kept.begin(), kept.end());
        return {consumed, {}};
    }
    auto payload = e.payload;
    if (message_opcode_ == to_nibble(opcode::text) && !message_compressed_ &&
        is_checked(violation::invalid_utf8)) {
        const std::size_t valid = utf8_.feed(payload);
        if (valid == 0 && !payload.empty())
            return fail(violation::invalid_utf8, consumed);  // RFC 6455 §8.1: text is UTF-8
        if (valid < payload.size()) pending_ = violation::invalid_utf8;
        payload = payload.first(valid);
    }
    return event_step(consumed, message_event_kind::data_chunk, e.header, message_opcode_, payload,
                      message_compressed_);
}

message_step message_decoder::on_frame_finished(const frame_event& e, std::size_t consumed) noexcept
{
    if (in_control_) {
        in_control_ = false;
        return deliver_control(consumed);
    }
    if (e.header.fin) {
        if (message_opcode_ == to_nibble(opcode::text) && !message_compressed_ &&
            is_checked(violation::invalid_utf8) && !utf8_.is_complete())
            return fail(violation::invalid_utf8, consumed);  // RFC 6455 §8.1: truncated sequence
        in_message_ = false;
    }
    return event_step(consumed, message_event_kind::frame_finished, e.header, message_opcode_, {},
                      message_compressed_);
}

message_step message_decoder::deliver_control(std::size_t consumed) noexcept
{
    const std::span<const std::uint8_t> payload(control_);
    message_step s = event_step(consumed, message_event_kind::control_received, control_header_,
                                control_header_.opcode);
    s.event.payload = payload;
    if (control_header_.opcode == to_nibble(opcode::close)) {
        const close_parse_result parsed = parse_close_payload(payload, options_.frame.ignored);
        if (parsed.error) return fail(*parsed.error, consumed);  // RFC 6455 §5.5.1: close body
        s.event.close = parsed.body;
    }
    return s;
}

}  // namespace wsh::codec
