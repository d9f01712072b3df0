// SPDX-License-Identifier: MIT
// Property: any frame spec the encoder accepts decodes back to the same header and payload
// (every length form, any RSV bits and opcode, masked or not, with the checks that such a
// frame trips switched off), consuming exactly the encoded bytes; and masking twice with the
// same key and offset is the identity, whole or in two pieces.
// Input: header choices (see read_spec), then the payload.
#include "../common/check.hpp"

#include "codec/frame_decoder.hpp"
#include "codec/frame_encoder.hpp"
#include "codec/mask.hpp"

#include <algorithm>

namespace {

using namespace wsh::codec;
using wsh::fuzz::require;

frame_spec read_spec(wsh::fuzz::choice_reader& in)
{
    std::uint8_t bits = in.byte();
    frame_spec spec;
    spec.fin = (bits & 0x80) != 0;
    spec.rsv = (bits >> 4) & 7;
    spec.opcode = bits & 0x0f;
    std::uint8_t form = in.byte();
    spec.form = static_cast<length_form>(form & 3);
    if ((form & 4) != 0) spec.mask = mask_key_from(in.u32());
    return spec;
}

frame_header expected_header(const frame_spec& spec, std::uint64_t size)
{
    return {.fin = spec.fin, .rsv = spec.rsv, .opcode = spec.opcode, .masked = spec.mask.has_value(),
            .mask = spec.mask.value_or(std::array<std::uint8_t, 4>{}), .payload_length = size};
}

void check_round_trip(const frame_spec& spec, std::span<const std::uint8_t> payload)
{
    auto wire = encode_frame(spec, payload);
    decoder_options options{.local_role = spec.mask ? role::server : role::client, .allowed_rsv = 7};
    options.ignored = {violation::reserved_opcode, violation::fragmented_control_frame,
                       violation::control_frame_too_long, violation::non_minimal_length};
    frame_decoder decoder(options);
    std::span<std::uint8_t> rest(wire);
    wsh::fuzz::bytes decoded;
    bool finished = false;
    for (std::size_t calls = 0; !finished; ++calls) {
        require(calls <= wire.size() + 8, "round trip: decoder makes progress");
        auto step = decoder.feed(rest);
        rest = rest.subspan(step.consumed);
        const auto& e = step.event;
        require(e.kind != frame_event_kind::violation_found && e.kind != frame_event_kind::need_more,
                "round trip: an encoded frame decodes without violation");
        if (e.kind == frame_event_kind::frame_started)
            require(e.header == expected_header(spec, payload.size()), "round trip: same header");
        if (e.kind == frame_event_kind::payload_chunk)
            decoded.insert(decoded.end(), e.payload.begin(), e.payload.end());
        finished = e.kind == frame_event_kind::frame_finished;
    }
    require(rest.empty(), "round trip: the frame consumes exactly the encoded bytes");
    require(std::ranges::equal(decoded, payload), "round trip: same payload");
}

void check_mask_twice(std::span<const std::uint8_t> payload, std::uint32_t key_bits,
                      std::uint8_t cut, std::uint8_t offset)
{
    auto key = mask_key_from(key_bits);
    wsh::fuzz::bytes whole(payload.begin(), payload.end());
    apply_mask(whole, key, offset);
    wsh::fuzz::bytes pieces(payload.begin(), payload.end());
    std::size_t at = std::min<std::size_t>(cut, pieces.size());
    apply_mask(std::span(pieces).first(at), key, offset);
    apply_mask(std::span(pieces).subspan(at), key, offset + at);
    require(whole == pieces, "mask: two pieces with offsets equal one call");
    apply_mask(whole, key, offset);
    require(std::ranges::equal(whole, payload), "mask: masking twice is the identity");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    wsh::fuzz::choice_reader in({data, size});
    auto spec = read_spec(in);
    std::uint32_t key_bits = in.u32();
    std::uint8_t cut = in.byte();
    std::uint8_t offset = in.byte();
    auto payload = in.rest();
    // A forced form too narrow for the payload lies on purpose: use the minimal form instead.
    if (spec.form == length_form::len7 && payload.size() > 125) spec.form = length_form::minimal;
    if (spec.form == length_form::len16 && payload.size() > 0xffff) spec.form = length_form::minimal;
    check_round_trip(spec, payload);
    check_mask_twice(payload, key_bits, cut, offset);
    return 0;
}
