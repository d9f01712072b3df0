// SPDX-License-Identifier: MIT
// RFC 6455 §5.3 client-to-server masking.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace wsh::codec {

// XORs `data` in place with `key`, as if `data` started at byte `offset` of the payload (so a
// payload can be unmasked chunk by chunk). Works a machine word (or vector) at a time.
// Applying it twice with the same key and offset restores the input.
void apply_mask(std::span<std::uint8_t> data, std::array<std::uint8_t, 4> key,
                std::uint64_t offset = 0) noexcept;

// The 4-byte masking key made of a 32-bit random value (RFC 6455 §5.3: a fresh, unpredictable
// key per frame; the caller supplies the randomness, the codec stays deterministic).
[[nodiscard]] constexpr std::array<std::uint8_t, 4> mask_key_from(std::uint32_t value) noexcept
{
    return {static_cast<std::uint8_t>(value), static_cast<std::uint8_t>(value >> 8),
            static_cast<std::uint8_t>(value >> 16), static_cast<std::uint8_t>(value >> 24)};
}

}  // namespace wsh::codec
