// SPDX-License-Identifier: MIT
// Permissive frame encoder: writes whatever header bits it is told, on purpose.
#pragma once

#include "codec/frame.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace wsh::codec {

// How the payload length is written (RFC 6455 §5.2). `minimal` picks the shortest form; the
// others force a form even when it is not minimal (a violation, sent on purpose).
enum class length_form : std::uint8_t { minimal, len7, len16, len64 };

// Everything the encoder writes. Defaults give a valid final unmasked text frame.
struct frame_spec {
    bool fin = true;
    std::uint8_t rsv = 0;                            // RSV1..3 as bits 2..0
    std::uint8_t opcode = 0x1;                       // raw nibble, reserved values allowed
    std::optional<std::array<std::uint8_t, 4>> mask; // set: MASK bit on, payload masked with it
    length_form form = length_form::minimal;
    std::optional<std::uint64_t> declared_length;    // set: length field says this, not payload size
};

// Largest header: 2 + 8 + 4 bytes.
inline constexpr std::size_t max_header_size = 14;

// Writes the header for `spec` and a payload of `payload_size` bytes into `out` and returns
// the header length. The length field carries `spec.declared_length` if set, else
// `payload_size`, in `spec.form`. A value that does not fit a forced form is truncated to the
// form's width (7-bit forms keep the low 7 bits), so any bit pattern can be produced.
std::size_t encode_header(const frame_spec& spec, std::uint64_t payload_size,
                          std::array<std::uint8_t, max_header_size>& out) noexcept;

// Header plus payload (masked if spec.mask is set), appended to `out`.
void append_frame(std::vector<std::uint8_t>& out, const frame_spec& spec,
                  std::span<const std::uint8_t> payload);

[[nodiscard]] std::vector<std::uint8_t> encode_frame(const frame_spec& spec,
                                                     std::span<const std::uint8_t> payload);

// Valid-by-default builders. `mask` set for frames sent by a client.
[[nodiscard]] frame_spec data_frame(opcode op, bool fin = true,
                                    std::optional<std::array<std::uint8_t, 4>> mask = {}) noexcept;

[[nodiscard]] std::span<const std::uint8_t> as_bytes(std::string_view s) noexcept;

}  // namespace wsh::codec
