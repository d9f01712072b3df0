// SPDX-License-Identifier: MIT
#include "codec/mask.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wsh::codec {
namespace {

// The key rotated so that byte 0 of the result masks byte 0 of `data`, repeated to 16 bytes.
std::array<std::uint8_t, 16> rotated_key(std::array<std::uint8_t, 4> key,
                                         std::uint64_t offset) noexcept
{
    std::array<std::uint8_t, 16> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = key[(offset + i) % 4];
    return out;
}

// Masks 16-byte blocks; returns the number of bytes done.
std::size_t mask_vector(std::uint8_t* p, std::size_t n, const std::uint8_t* key16) noexcept
{
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key16));
    for (; i + 32 <= n; i += 32) {
        __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p + i), _mm_xor_si128(a, k));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p + i + 16), _mm_xor_si128(b, k));
    }
#else
    (void)p;
    (void)n;
    (void)key16;
#endif
    return i;
}

}  // namespace

void apply_mask(std::span<std::uint8_t> data, std::array<std::uint8_t, 4> key,
                std::uint64_t offset) noexcept
{
    const auto key16 = rotated_key(key, offset);
    std::uint8_t* p = data.data();
    const std::size_t n = data.size();
    // Every block below starts at a multiple of 4 from `p`, so the rotated key lines up.
    std::size_t i = mask_vector(p, n, key16.data());
    std::uint64_t k64 = 0;
    std::memcpy(&k64, key16.data(), sizeof k64);
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, p + i, sizeof w);
        w ^= k64;
        std::memcpy(p + i, &w, sizeof w);
    }
    for (; i < n; ++i) p[i] ^= key16[i % 4];
}

}  // namespace wsh::codec
