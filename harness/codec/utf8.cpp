// SPDX-License-Identifier: MIT
#include "codec/utf8.hpp"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wsh::codec {
namespace {

// States after `accept` (0) and `reject` (1): what the next byte must be (RFC 3629 §4).
constexpr std::uint8_t st_accept = 0;
constexpr std::uint8_t st_reject = 1;
constexpr std::uint8_t st_tail1 = 2;  // one more continuation byte 80..BF
constexpr std::uint8_t st_tail2 = 3;  // two more
constexpr std::uint8_t st_tail3 = 4;  // three more
constexpr std::uint8_t st_e0 = 5;     // after E0: A0..BF (shorter forms are overlong)
constexpr std::uint8_t st_ed = 6;     // after ED: 80..9F (A0..BF would encode a surrogate)
constexpr std::uint8_t st_f0 = 7;     // after F0: 90..BF (shorter forms are overlong)
constexpr std::uint8_t st_f4 = 8;     // after F4: 80..8F (higher is above U+10FFFF)

// Accepted continuation range and the state it leads to, indexed by the state.
struct tail_rule {
    std::uint8_t lo;
    std::uint8_t hi;
    std::uint8_t next;
};

constexpr tail_rule tail_rules[] = {
    {0, 0, st_reject},      {0, 0, st_reject},      {0x80, 0xBF, st_accept},
    {0x80, 0xBF, st_tail1}, {0x80, 0xBF, st_tail2}, {0xA0, 0xBF, st_tail1},
    {0x80, 0x9F, st_tail1}, {0x90, 0xBF, st_tail2}, {0x80, 0x8F, st_tail2},
};

// The state after a lead byte `b` (state was accept).
constexpr std::uint8_t after_lead(std::uint8_t b) noexcept
{
    if (b < 0x80) return st_accept;
    if (b < 0xC2) return st_reject;  // stray continuation, or C0/C1 (always overlong)
    if (b < 0xE0) return st_tail1;
    if (b == 0xE0) return st_e0;
    if (b == 0xED) return st_ed;
    if (b < 0xF0) return st_tail2;
    if (b == 0xF0) return st_f0;
    if (b < 0xF4) return st_tail3;
    if (b == 0xF4) return st_f4;
    return st_reject;  // F5..FF would encode above U+10FFFF
}

constexpr std::uint8_t step(std::uint8_t state, std::uint8_t b) noexcept
{
    if (state == st_accept) return after_lead(b);
    const tail_rule& r = tail_rules[state];
    return (b >= r.lo && b <= r.hi) ? r.next : st_reject;
}

// Number of leading ASCII bytes in the 16 bytes at `p` (16 when all are ASCII).
std::size_t ascii_prefix16(const std::uint8_t* p) noexcept
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(v));
    return bits == 0 ? 16 : static_cast<std::size_t>(__builtin_ctz(bits));
#else
    std::uint64_t w[2];
    std::memcpy(w, p, sizeof w);
    constexpr std::uint64_t high = 0x8080808080808080ULL;
    if ((w[0] & high) != 0) return static_cast<std::size_t>(__builtin_ctzll(w[0] & high)) / 8;
    if ((w[1] & high) != 0) return 8 + static_cast<std::size_t>(__builtin_ctzll(w[1] & high)) / 8;
    return 16;
#endif
}

}  // namespace

std::size_t utf8_validator::feed(std::span<const std::uint8_t> input) noexcept
{
    if (state_ == reject_) return 0;
    const std::uint8_t* p = input.data();
    const std::size_t n = input.size();
    std::uint8_t s = state_;
    std::size_t i = 0;
    while (i < n) {
        if (s == st_accept && n - i >= 16) {
            const std::size_t ascii = ascii_prefix16(p + i);
            i += ascii;
            if (ascii == 16) continue;
        }
        // Non-ASCII text: go byte by byte for a block before trying the fast path again.
        for (const std::size_t stop = std::min(n, i + 16); i < stop; ++i) {
            s = step(s, p[i]);
            if (s == st_reject) {
                state_ = reject_;
                return i;
            }
        }
    }
    state_ = s;
    return n;
}

bool is_valid_utf8(std::span<const std::uint8_t> input) noexcept
{
    utf8_validator v;
    return v.feed(input) == input.size() && v.is_complete();
}

bool is_valid_utf8_scalar(std::span<const std::uint8_t> input) noexcept
{
    std::uint8_t s = st_accept;
    for (std::uint8_t b : input) {
        s = step(s, b);
        if (s == st_reject) return false;
    }
    return s == st_accept;
}

}  // namespace wsh::codec
