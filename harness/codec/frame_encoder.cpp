// SPDX-License-Identifier: MIT
#include "codec/frame_encoder.hpp"

#include "codec/mask.hpp"

namespace wsh::codec {
namespace {

length_form pick_form(length_form form, std::uint64_t length) noexcept
{
    if (form != length_form::minimal) return form;
    if (length < 126) return length_form::len7;
    if (length <= 0xFFFF) return length_form::len16;
    return length_form::len64;
}

std::size_t write_big_endian(std::uint8_t* out, std::uint64_t v, std::size_t n) noexcept
{
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * (n - 1 - i)));
    return n;
}

}  // namespace

std::size_t encode_header(const frame_spec& spec, std::uint64_t payload_size,
                          std::array<std::uint8_t, max_header_size>& out) noexcept
{
    const std::uint64_t length = spec.declared_length.value_or(payload_size);
    const length_form form = pick_form(spec.form, length);
    out[0] = static_cast<std::uint8_t>((spec.fin ? 0x80 : 0) | ((spec.rsv & 0x7) << 4) |
                                       (spec.opcode & 0xF));
    const std::uint8_t mask_bit = spec.mask ? 0x80 : 0;
    std::size_t n = 2;
    switch (form) {
    case length_form::minimal:
    case length_form::len7: out[1] = static_cast<std::uint8_t>(mask_bit | (length & 0x7F)); break;
    case length_form::len16:
        out[1] = mask_bit | 126;
        n += write_big_endian(out.data() + n, length & 0xFFFF, 2);
        break;
    case length_form::len64:
        out[1] = mask_bit | 127;
        n += write_big_endian(out.data() + n, length, 8);
        break;
    }
    if (spec.mask) {
        for (std::size_t i = 0; i < 4; ++i) out[n + i] = (*spec.mask)[i];
        n += 4;
    }
    return n;
}

void append_frame(std::vector<std::uint8_t>& out, const frame_spec& spec,
                  std::span<const std::uint8_t> payload)
{
    std::array<std::uint8_t, max_header_size> header{};
    const std::size_t header_size = encode_header(spec, payload.size(), header);
    const std::size_t start = out.size();
    out.insert(out.end(), header.begin(),
               header.begin() + static_cast<std::ptrdiff_t>(header_size));
    out.insert(out.end(), payload.begin(), payload.end());
    if (spec.mask) {
        apply_mask(std::span(out).subspan(start + header_size), *spec.mask);
    }
}

std::vector<std::uint8_t> encode_frame(const frame_spec& spec,
                                       std::span<const std::uint8_t> payload)
{
    std::vector<std::uint8_t> out;
    append_frame(out, spec, payload);
    return out;
}

frame_spec data_frame(opcode op, bool fin, std::optional<std::array<std::uint8_t, 4>> mask) noexcept
{
    frame_spec spec;
    spec.fin = fin;
    spec.opcode = to_nibble(op);
    spec.mask = mask;
    return spec;
}

std::span<const std::uint8_t> as_bytes(std::string_view s) noexcept
{
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace wsh::codec
