// SPDX-License-Identifier: MIT
#include "codec/frame_decoder.hpp"

#include "codec/mask.hpp"

#include <algorithm>
#include <optional>

namespace wsh::codec {
namespace {

constexpr std::uint8_t len16_marker = 126;
constexpr std::uint8_t len64_marker = 127;

frame_step event_step(std::size_t consumed, frame_event_kind kind, const frame_header& h,
                      std::span<const std::uint8_t> payload = {}) noexcept
{
    return {consumed, {kind, h, payload, violation{}}};
}

std::uint64_t read_big_endian(const std::uint8_t* p, std::size_t n) noexcept
{
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
    return v;
}

}  // namespace

frame_decoder::frame_decoder(decoder_options options) noexcept : options_(options) {}

bool frame_decoder::is_at_frame_boundary() const noexcept
{
    return state_ == state::header && have_ == 0;
}

void frame_decoder::reset() noexcept
{
    state_ = state::header;
    failed_ = false;
    error_ = {};
    header_ = {};
    have_ = 0;
    extended_bytes_ = 0;
    remaining_ = 0;
    mask_offset_ = 0;
}

frame_step frame_decoder::feed_header(std::span<std::uint8_t> input) noexcept
{
    if (failed_) return fail(error_, 0);
    if (state_ == state::header && have_ == 0) {
        if (const std::size_t size = whole_header_size(input))
            return take_whole_header(input.data(), size);
    }
    return feed_header_bytes(input);
}

// Header states may run into each other; payload and finish states always end the call.
frame_step frame_decoder::feed_header_bytes(std::span<std::uint8_t> input) noexcept
{
    std::size_t total = 0;
    for (;;) {
        frame_step s = step_header(input.subspan(total));
        s.consumed += total;
        total = s.consumed;
        if (s.event.kind != frame_event_kind::need_more || total == input.size()) return s;
    }
}

// The common case: the whole header of a valid frame is in `input`. Returns its size, or 0 when
// it is incomplete or anything the byte-by-byte path checks would reject it (or a caller chose
// to ignore such a rule): that path then reports it at the deciding byte.
std::size_t frame_decoder::whole_header_size(std::span<const std::uint8_t> input) const noexcept
{
    if (input.size() < 2) return 0;
    const std::uint8_t* p = input.data();
    const std::uint8_t len7 = p[1] & 0x7F;
    const bool masked = (p[1] & 0x80) != 0;
    const std::size_t extended = len7 < len16_marker ? 0 : len7 == len16_marker ? 2 : 8;
    const std::size_t size = 2 + extended + (masked ? 4 : 0);
    if (input.size() < size) return 0;
    const auto rsv = static_cast<std::uint8_t>((p[0] >> 4) & 0x7);
    const auto op = static_cast<std::uint8_t>(p[0] & 0xF);
    if ((rsv & ~options_.allowed_rsv) != 0 || is_reserved_opcode(op)) return 0;
    if (is_control(op) && ((p[0] & 0x80) == 0 || len7 > max_control_payload)) return 0;
    if (masked != (options_.local_role == role::server)) return 0;
    std::uint64_t length = len7;
    if (extended == 2) {
        length = read_big_endian(p + 2, 2);
        if (length < len16_marker) return 0;
    } else if (extended == 8) {
        length = read_big_endian(p + 2, 8);
        if ((length >> 63) != 0 || length <= 0xFFFF) return 0;
    }
    if (length > options_.max_frame_payload) return 0;
    return size;
}

// Decodes a header whole_header_size() accepted into the state the byte-by-byte path reaches.
// The event is built from locals, not read back from header_ (a wide load of fields just
// stored byte by byte stalls store forwarding; this is the hottest path of small frames).
frame_step frame_decoder::take_whole_header(const std::uint8_t* p, std::size_t size) noexcept
{
    frame_header h;
    h.fin = (p[0] & 0x80) != 0;
    h.rsv = static_cast<std::uint8_t>((p[0] >> 4) & 0x7);
    h.opcode = static_cast<std::uint8_t>(p[0] & 0xF);
    h.masked = (p[1] & 0x80) != 0;
    const std::uint8_t len7 = p[1] & 0x7F;
    const std::size_t extended = len7 < len16_marker ? 0 : len7 == len16_marker ? 2 : 8;
    h.payload_length = extended == 0 ? len7 : read_big_endian(p + 2, extended);
    if (h.masked) std::copy_n(p + 2 + extended, 4, h.mask.begin());
    header_ = h;
    remaining_ = h.payload_length;
    mask_offset_ = 0;
    state_ = remaining_ == 0 ? state::finish : state::payload;
    return {size, {frame_event_kind::frame_started, h, {}, violation{}}};
}

frame_step frame_decoder::step_header(std::span<std::uint8_t> input) noexcept
{
    switch (state_) {
    case state::header: return on_header(input);
    case state::extended_length: return on_extended_length(input);
    case state::mask_key: return on_mask_key(input);
    case state::payload: return on_payload(input);
    case state::finish: break;
    }
    return on_finish();
}

frame_step frame_decoder::fail(violation v, std::size_t consumed) noexcept
{
    failed_ = true;
    error_ = v;
    frame_step s = event_step(consumed, frame_event_kind::violation_found, header_);
    s.event.error = v;
    return s;
}

frame_step frame_decoder::start_frame(std::size_t consumed) noexcept
{
    remaining_ = header_.payload_length;
    mask_offset_ = 0;
    have_ = 0;
    state_ = remaining_ == 0 ? state::finish : state::payload;
    return event_step(consumed, frame_event_kind::frame_started, header_);
}

std::optional<violation> frame_decoder::check_first_byte() const noexcept
{
    if ((header_.rsv & ~options_.allowed_rsv) != 0 && is_checked(violation::reserved_bits_set))
        return violation::reserved_bits_set;  // RFC 6455 §5.2: RSV MUST be 0 unless negotiated
    if (is_reserved_opcode(header_.opcode) && is_checked(violation::reserved_opcode))
        return violation::reserved_opcode;  // RFC 6455 §5.2: %x3-7 and %xB-F are reserved
    if (is_control(header_.opcode) && !header_.fin &&
        is_checked(violation::fragmented_control_frame))
        return violation::fragmented_control_frame;  // RFC 6455 §5.5: MUST NOT be fragmented
    return std::nullopt;
}

std::optional<violation> frame_decoder::check_second_byte(std::uint8_t len7) const noexcept
{
    const bool is_server = options_.local_role == role::server;
    if (is_server && !header_.masked && is_checked(violation::unmasked_client_frame))
        return violation::unmasked_client_frame;  // RFC 6455 §5.1: clients MUST mask
    if (!is_server && header_.masked && is_checked(violation::masked_server_frame))
        return violation::masked_server_frame;  // RFC 6455 §5.1: servers MUST NOT mask
    if (is_control(header_.opcode) && len7 > max_control_payload &&
        is_checked(violation::control_frame_too_long))
        return violation::control_frame_too_long;  // RFC 6455 §5.5: at most 125 bytes
    return std::nullopt;
}

frame_step frame_decoder::on_header(std::span<std::uint8_t> input) noexcept
{
    std::size_t used = 0;
    while (have_ < 2 && used < input.size()) {
        const std::uint8_t b = input[used++];
        header_bytes_[have_++] = b;
        if (have_ == 1) {
            header_ = {};
            header_.fin = (b & 0x80) != 0;
            header_.rsv = static_cast<std::uint8_t>((b >> 4) & 0x7);
            header_.opcode = static_cast<std::uint8_t>(b & 0xF);
            if (auto v = check_first_byte()) return fail(*v, used);
        } else {
            header_.masked = (b & 0x80) != 0;
            if (auto v = check_second_byte(b & 0x7F)) return fail(*v, used);
        }
    }
    if (have_ < 2) return {used, {}};
    const std::uint8_t len7 = header_bytes_[1] & 0x7F;
    have_ = 0;
    if (len7 == len16_marker || len7 == len64_marker) {
        extended_bytes_ = len7 == len16_marker ? 2 : 8;
        state_ = state::extended_length;
        return {used, {}};
    }
    header_.payload_length = len7;
    return on_length_known(used);
}

frame_step frame_decoder::on_extended_length(std::span<std::uint8_t> input) noexcept
{
    const std::size_t take = std::min<std::size_t>(extended_bytes_ - have_, input.size());
    std::copy_n(input.begin(), take, field_ + have_);
    have_ = static_cast<std::uint8_t>(have_ + take);
    if (have_ < extended_bytes_) return {take, {}};
    have_ = 0;
    const std::uint64_t length = read_big_endian(field_, extended_bytes_);
    header_.payload_length = length;
    if (extended_bytes_ == 2) {
        if (length < len16_marker && is_checked(violation::non_minimal_length))
            return fail(violation::non_minimal_length, take);  // RFC 6455 §5.2: minimal form
        return on_length_known(take);
    }
    if ((length >> 63) != 0 && is_checked(violation::length_top_bit_set))
        return fail(violation::length_top_bit_set, take);  // RFC 6455 §5.2: MSB MUST be 0
    if (length <= 0xFFFF && is_checked(violation::non_minimal_length))
        return fail(violation::non_minimal_length, take);  // RFC 6455 §5.2: minimal form
    return on_length_known(take);
}

frame_step frame_decoder::on_length_known(std::size_t consumed) noexcept
{
    if (header_.payload_length > options_.max_frame_payload &&
        is_checked(violation::payload_too_big))
        return fail(violation::payload_too_big, consumed);  // RFC 6455 §10.4: configured limit
    if (header_.masked) {
        state_ = state::mask_key;
        return {consumed, {}};
    }
    return start_frame(consumed);
}

frame_step frame_decoder::on_mask_key(std::span<std::uint8_t> input) noexcept
{
    const std::size_t take = std::min<std::size_t>(4u - have_, input.size());
    std::copy_n(input.begin(), take, header_.mask.begin() + have_);
    have_ = static_cast<std::uint8_t>(have_ + take);
    if (have_ < 4) return {take, {}};
    return start_frame(take);
}

void frame_decoder::unmask(std::span<std::uint8_t> chunk) noexcept
{
    apply_mask(chunk, header_.mask, mask_offset_);
    mask_offset_ += chunk.size();
}

}  // namespace wsh::codec
