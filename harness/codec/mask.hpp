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

}  // namespace wsh::codec
