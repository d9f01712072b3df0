// SPDX-License-Identifier: MIT
#include "codec/utf8.hpp"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#define WSH_UTF8_X86 1
#include <immintrin.h>
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

constexpr bool is_continuation(std::uint8_t b) noexcept { return (b & 0xC0) == 0x80; }

// Result of a scan: the state after `end` bytes, or st_reject with `end` = offending offset.
struct scan_result {
    std::uint8_t state;
    std::size_t end;
};

// The state machine from `state` over p[i, n).
scan_result scan_scalar(const std::uint8_t* p, std::size_t i, std::size_t n,
                        std::uint8_t state) noexcept
{
    for (; i < n; ++i) {
        state = step(state, p[i]);
        if (state == st_reject) return {st_reject, i};
    }
    return {state, n};
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

// The state machine with a 16-byte ASCII skip whenever it is between sequences.
scan_result scan_ascii_skip(const std::uint8_t* p, std::size_t i, std::size_t n,
                            std::uint8_t s) noexcept
{
    while (i < n) {
        if (s == st_accept && n - i >= 16) {
            const std::size_t ascii = ascii_prefix16(p + i);
            i += ascii;
            if (ascii == 16) continue;
        }
        // Non-ASCII text: go byte by byte for a block before trying the fast path again.
        for (const std::size_t stop = std::min(n, i + 16); i < stop; ++i) {
            s = step(s, p[i]);
            if (s == st_reject) return {st_reject, i};
        }
    }
    return {s, n};
}

#if defined(WSH_UTF8_X86)

// The vector classifier. Every byte is judged from itself and the three bytes before it:
//   - three 16-entry tables, indexed by the high nibble of the previous byte, its low nibble
//     and the high nibble of the current byte, each give a set of error classes; the byte pair
//     is in a class when all three tables name it (bitwise AND). Each class is a product of
//     nibble sets that contains only invalid pairs;
//   - a continuation byte after a continuation byte is an error unless the byte two before is
//     a 3- or 4-byte lead or the byte three before a 4-byte lead; in those positions a
//     continuation is required. Both are the top bit, so the top bits cancel with XOR.
// An error in a block makes the caller rescan from a sequence boundary with the state machine,
// which finds the exact offset; the classifier only proves prefixes valid.
namespace cls {
constexpr std::uint8_t too_short = 1 << 0;   // lead (C0..FF), then not a continuation
constexpr std::uint8_t too_long = 1 << 1;    // ASCII, then a continuation
constexpr std::uint8_t overlong_3 = 1 << 2;  // E0, then 80..9F
constexpr std::uint8_t too_large = 1 << 3;   // F4..FF, then 90..BF
constexpr std::uint8_t surrogate = 1 << 4;   // ED, then A0..BF
constexpr std::uint8_t overlong_2 = 1 << 5;  // C0 or C1, then a continuation
constexpr std::uint8_t f_then_8x = 1 << 6;   // F0 (overlong) or F5..FF (too large), then 80..8F
constexpr std::uint8_t two_conts = 1 << 7;   // continuation, then a continuation
}  // namespace cls

// Table by the high nibble of the previous byte.
constexpr std::uint8_t prev_high_table[16] = {
    // 0..7: ASCII
    cls::too_long, cls::too_long, cls::too_long, cls::too_long, cls::too_long, cls::too_long,
    cls::too_long, cls::too_long,
    // 8..B: continuation
    cls::two_conts, cls::two_conts, cls::two_conts, cls::two_conts,
    // C, D: 2-byte leads
    cls::too_short | cls::overlong_2, cls::too_short,
    // E: 3-byte leads
    cls::too_short | cls::overlong_3 | cls::surrogate,
    // F: 4-byte leads and F5..FF
    cls::too_short | cls::too_large | cls::f_then_8x,
};

// Table by the low nibble of the previous byte (all the classes that do not depend on it are
// present in every entry).
constexpr std::uint8_t any_low = cls::too_short | cls::too_long | cls::two_conts;
constexpr std::uint8_t prev_low_table[16] = {
    any_low | cls::overlong_2 | cls::overlong_3 | cls::f_then_8x,  // C0, E0, F0
    any_low | cls::overlong_2,                                     // C1
    any_low,
    any_low,
    any_low | cls::too_large,  // F4
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x | cls::surrogate,  // ED (and FD)
    any_low | cls::too_large | cls::f_then_8x,
    any_low | cls::too_large | cls::f_then_8x,
};

// Table by the high nibble of the current byte.
constexpr std::uint8_t not_cont = cls::too_short;
constexpr std::uint8_t cur_high_table[16] = {
    not_cont, not_cont, not_cont, not_cont, not_cont, not_cont, not_cont, not_cont,
    // 8: 80..8F
    cls::too_long | cls::two_conts | cls::overlong_2 | cls::overlong_3 | cls::f_then_8x,
    // 9: 90..9F
    cls::too_long | cls::two_conts | cls::overlong_2 | cls::overlong_3 | cls::too_large,
    // A, B: A0..BF
    cls::too_long | cls::two_conts | cls::overlong_2 | cls::too_large | cls::surrogate,
    cls::too_long | cls::two_conts | cls::overlong_2 | cls::too_large | cls::surrogate,
    not_cont, not_cont, not_cont, not_cont,
};

__attribute__((target("avx2"))) inline __m256i table256(const std::uint8_t (&t)[16]) noexcept
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t)));
}

// `cur` shifted so that lane byte i holds the byte N positions earlier (from `prev` for the
// first N bytes).
template <int N>
__attribute__((target("avx2"))) inline __m256i earlier(__m256i cur, __m256i prev) noexcept
{
    return _mm256_alignr_epi8(cur, _mm256_permute2x128_si256(prev, cur, 0x21), 16 - N);
}

struct avx2_tables {
    __m256i prev_high, prev_low, cur_high, nibble, third_min, fourth_min, last_incomplete;
};

// Errors (non-zero bytes) of the 32 bytes `cur` preceded by `prev`.
__attribute__((target("avx2"))) inline __m256i block_errors(const avx2_tables& t, __m256i cur,
                                                            __m256i prev) noexcept
{
    const __m256i prev1 = earlier<1>(cur, prev);
    const __m256i hi1 = _mm256_and_si256(_mm256_srli_epi16(prev1, 4), t.nibble);
    const __m256i lo1 = _mm256_and_si256(prev1, t.nibble);
    const __m256i hi0 = _mm256_and_si256(_mm256_srli_epi16(cur, 4), t.nibble);
    const __m256i pairs = _mm256_and_si256(
        _mm256_and_si256(_mm256_shuffle_epi8(t.prev_high, hi1),
                         _mm256_shuffle_epi8(t.prev_low, lo1)),
        _mm256_shuffle_epi8(t.cur_high, hi0));
    // Top bit set where a continuation is required: two after E0..FF or three after F0..FF.
    const __m256i prev2 = earlier<2>(cur, prev);
    const __m256i prev3 = earlier<3>(cur, prev);
    const __m256i required = _mm256_or_si256(_mm256_subs_epu8(prev2, t.third_min),
                                             _mm256_subs_epu8(prev3, t.fourth_min));
    const __m256i required_top =
        _mm256_and_si256(required, _mm256_set1_epi8(static_cast<char>(0x80)));
    return _mm256_xor_si256(pairs, required_top);
}

// Proves p[i, n) valid in 64-byte blocks, starting at a sequence boundary. Returns where the
// state machine must take over: a sequence boundary at or before the first block with an
// error, or before the last sequence of the last clean block (which may continue past it).
__attribute__((target("avx2"))) std::size_t avx2_valid_prefix(const std::uint8_t* p, std::size_t i,
                                                              std::size_t n) noexcept
{
    const std::size_t start = i;
    const avx2_tables t{
        table256(prev_high_table),
        table256(prev_low_table),
        table256(cur_high_table),
        _mm256_set1_epi8(0x0F),
        // subs(x, 0x60) has its top bit set iff x >= E0; subs(x, 0x70) iff x >= F0.
        _mm256_set1_epi8(0x60),
        _mm256_set1_epi8(0x70),
        // Non-zero iff the last three bytes leave a sequence open (>= F0, E0, C0 from the end).
        _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                         -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xEF),
                         static_cast<char>(0xDF), static_cast<char>(0xBF)),
    };
    __m256i prev = _mm256_setzero_si256();
    for (; n - i >= 64; i += 64) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 32));
        __m256i errors;
        if (_mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0) {
            // All ASCII: only a sequence left open by the previous block can be wrong.
            errors = _mm256_subs_epu8(prev, t.last_incomplete);
        } else {
            errors = _mm256_or_si256(block_errors(t, a, prev), block_errors(t, b, a));
        }
        if (!_mm256_testz_si256(errors, errors)) break;
        prev = b;
    }
    // Back to the last byte that is not a continuation among the last four proven ones: the
    // classifier has checked it may start a sequence here, and everything before is complete.
    for (std::size_t k = i; k > start && k + 4 > i; --k) {
        if (!is_continuation(p[k - 1])) return k - 1;
    }
    return start;
}

#endif  // WSH_UTF8_X86

scan_result scan(utf8_kernel kernel, const std::uint8_t* p, std::size_t n,
                 std::uint8_t state) noexcept
{
    switch (kernel) {
    case utf8_kernel::scalar: return scan_scalar(p, 0, n, state);
    case utf8_kernel::sse2: return scan_ascii_skip(p, 0, n, state);
    case utf8_kernel::avx2: break;
    }
#if defined(WSH_UTF8_X86)
    std::size_t i = 0;
    // Finish a sequence left open by the previous chunk (at most three bytes).
    while (state != st_accept && i < n) {
        state = step(state, p[i]);
        if (state == st_reject) return {st_reject, i};
        ++i;
    }
    if (n - i >= 64) i = avx2_valid_prefix(p, i, n);
    return scan_ascii_skip(p, i, n, state);
#else
    return scan_ascii_skip(p, 0, n, state);
#endif
}

utf8_kernel detect_best() noexcept
{
#if defined(WSH_UTF8_X86)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) return utf8_kernel::avx2;
#endif
#if defined(__SSE2__)
    return utf8_kernel::sse2;
#else
    return utf8_kernel::scalar;
#endif
}

}  // namespace

bool is_supported(utf8_kernel kernel) noexcept
{
    switch (kernel) {
    case utf8_kernel::scalar: return true;
    case utf8_kernel::sse2:
#if defined(__SSE2__)
        return true;
#else
        return false;
#endif
    case utf8_kernel::avx2: return best_utf8_kernel() == utf8_kernel::avx2;
    }
    return false;
}

utf8_kernel best_utf8_kernel() noexcept
{
    static const utf8_kernel best = detect_best();
    return best;
}

const char* to_string(utf8_kernel kernel) noexcept
{
    switch (kernel) {
    case utf8_kernel::scalar: return "scalar";
    case utf8_kernel::sse2: return "sse2";
    case utf8_kernel::avx2: return "avx2";
    }
    return "?";
}

utf8_validator::utf8_validator() noexcept : kernel_(best_utf8_kernel()) {}

utf8_validator::utf8_validator(utf8_kernel kernel) noexcept
    : kernel_(is_supported(kernel) ? kernel : best_utf8_kernel())
{
}

std::size_t utf8_validator::feed(std::span<const std::uint8_t> input) noexcept
{
    if (state_ == reject_) return 0;
    const scan_result r = scan(kernel_, input.data(), input.size(), state_);
    state_ = r.state;
    return r.end;
}

bool is_valid_utf8(std::span<const std::uint8_t> input) noexcept
{
    return is_valid_utf8(input, best_utf8_kernel());
}

bool is_valid_utf8(std::span<const std::uint8_t> input, utf8_kernel kernel) noexcept
{
    utf8_validator v(kernel);
    return v.feed(input) == input.size() && v.is_complete();
}

bool is_valid_utf8_scalar(std::span<const std::uint8_t> input) noexcept
{
    return is_valid_utf8(input, utf8_kernel::scalar);
}

}  // namespace wsh::codec
