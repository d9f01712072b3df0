// SPDX-License-Identifier: MIT
#include "codec/utf8.hpp"

#include "split_runner.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <random>

namespace wsh::codec::test {
namespace {

// Where a stream stops being valid UTF-8, and whether it may end there.
struct verdict {
    std::size_t valid_prefix;
    bool complete;
    friend bool operator==(const verdict&, const verdict&) = default;
};

std::ostream& operator<<(std::ostream& os, const verdict& v)
{
    return os << "{valid_prefix " << v.valid_prefix << (v.complete ? ", complete}" : ", open}");
}

// Reference: decodes sequence by sequence; a byte is offending when no completion of the
// bytes so far encodes a scalar value of the lead byte's length (RFC 3629 §3, §4).
bool has_completion(std::uint32_t bits, std::size_t have, std::size_t length)
{
    const unsigned missing = static_cast<unsigned>(6 * (length - have));
    const std::uint32_t lo = bits << missing;
    const std::uint32_t hi = lo | ((1u << missing) - 1);
    const std::uint32_t min_value[] = {0, 0, 0x80, 0x800, 0x10000};
    const std::uint32_t max_value[] = {0, 0x7F, 0x7FF, 0xFFFF, 0x10FFFF};
    const std::uint32_t a = std::max(lo, min_value[length]);
    const std::uint32_t b = std::min(hi, max_value[length]);
    if (a > b) return false;
    return a < 0xD800 || b > 0xDFFF;  // not entirely inside the surrogates
}

verdict reference_check(std::span<const std::uint8_t> s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const std::uint8_t lead = s[i];
        std::size_t length = lead < 0x80   ? 1
                             : lead < 0xC0 ? 0
                             : lead < 0xE0 ? 2
                             : lead < 0xF0 ? 3
                             : lead < 0xF8 ? 4
                                           : 0;
        if (length == 0) return {i, false};
        std::uint32_t bits = length == 1 ? lead : lead & (0x7F >> length);
        if (!has_completion(bits, 1, length)) return {i, false};
        for (std::size_t k = 1; k < length; ++k) {
            if (i + k == s.size()) return {s.size(), false};
            if ((s[i + k] & 0xC0) != 0x80) return {i + k, false};
            bits = (bits << 6) | (s[i + k] & 0x3F);
            if (!has_completion(bits, k + 1, length)) return {i + k, false};
        }
        i += length;
    }
    return {s.size(), true};
}

verdict fast_check(std::span<const std::uint8_t> s, std::size_t split,
                   utf8_kernel kernel = best_utf8_kernel())
{
    utf8_validator v(kernel);
    const std::size_t first = v.feed(s.first(split));
    if (v.is_failed()) return {first, false};
    const std::size_t second = v.feed(s.subspan(split));
    return {split + second, v.is_complete()};
}

// The kernels this machine runs (avx2 only where the CPU has it).
std::vector<utf8_kernel> kernels()
{
    std::vector<utf8_kernel> out;
    for (auto k : {utf8_kernel::scalar, utf8_kernel::sse2, utf8_kernel::avx2})
        if (is_supported(k)) out.push_back(k);
    return out;
}

// Every split equals one read equals the reference equals the scalar path, on every kernel.
verdict check_everywhere(const bytes& s)
{
    const verdict one_read = fast_check(s, 0);
    EXPECT_EQ(one_read, reference_check(s));
    const bool valid = one_read.complete && one_read.valid_prefix == s.size();
    for (const auto kernel : kernels()) {
        for (std::size_t i = 0; i <= s.size(); ++i)
            EXPECT_EQ(fast_check(s, i, kernel), one_read)
                << "split " << i << " " << to_string(kernel);
        EXPECT_EQ(is_valid_utf8(s, kernel), valid) << to_string(kernel);
    }
    EXPECT_EQ(is_valid_utf8(s), valid);
    EXPECT_EQ(is_valid_utf8_scalar(s), valid);
    return one_read;
}

verdict valid(std::size_t n) { return {n, true}; }
verdict fails_at(std::size_t i) { return {i, false}; }
verdict open_after(std::size_t n) { return {n, false}; }

TEST(Utf8, AcceptsAsciiAndGreek)
{
    EXPECT_EQ(check_everywhere(text_bytes("Hello-World")), valid(11));
    EXPECT_EQ(check_everywhere(hex("CE BA E1 BD B9 CF 83 CE BC CE B5")), valid(11));
}

TEST(Utf8, AcceptsTheBoundariesOfEachSequenceLength)
{
    EXPECT_EQ(check_everywhere(hex("00")), valid(1));
    EXPECT_EQ(check_everywhere(hex("7F")), valid(1));
    EXPECT_EQ(check_everywhere(hex("C2 80")), valid(2));
    EXPECT_EQ(check_everywhere(hex("DF BF")), valid(2));
    EXPECT_EQ(check_everywhere(hex("E0 A0 80")), valid(3));
    EXPECT_EQ(check_everywhere(hex("ED 9F BF")), valid(3));
    EXPECT_EQ(check_everywhere(hex("EE 80 80")), valid(3));
    EXPECT_EQ(check_everywhere(hex("EF BF BF")), valid(3));
    EXPECT_EQ(check_everywhere(hex("F0 90 80 80")), valid(4));
    EXPECT_EQ(check_everywhere(hex("F4 8F BF BF")), valid(4));
}

TEST(Utf8, RejectsCodePointsAbove10FFFFAtTheSecondByte)
{
    EXPECT_EQ(check_everywhere(hex("F4 90 80 80")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("F5 80 80 80")), fails_at(0));
    EXPECT_EQ(check_everywhere(hex("F7 BF BF BF")), fails_at(0));
    EXPECT_EQ(check_everywhere(hex("FE")), fails_at(0));
    EXPECT_EQ(check_everywhere(hex("FF")), fails_at(0));
    EXPECT_EQ(check_everywhere(hex("F8 88 80 80 80")), fails_at(0));
}

TEST(Utf8, RejectsOverlongForms)
{
    EXPECT_EQ(check_everywhere(hex("C0 AF")), fails_at(0));
    EXPECT_EQ(check_everywhere(hex("C1 BF")), fails_at(0));
    EXPECT_EQ(check_everywhere(hex("E0 80 AF")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("E0 9F BF")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("F0 80 80 AF")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("F0 8F BF BF")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("41 42 C0 80")), fails_at(2));
}

TEST(Utf8, RejectsSurrogatesAtTheSecondByte)
{
    EXPECT_EQ(check_everywhere(hex("ED A0 80")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("ED AD BF")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("ED B0 80")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("ED BF BF")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("ED A0 80 ED B0 80")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("ED A0")), fails_at(1));
}

TEST(Utf8, RejectsStrayContinuationBytes)
{
    EXPECT_EQ(check_everywhere(hex("80")), fails_at(0));
    EXPECT_EQ(check_everywhere(hex("BF")), fails_at(0));
    EXPECT_EQ(check_everywhere(hex("41 80")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("C2 80 80")), fails_at(2));
}

TEST(Utf8, RejectsASequenceCutShortByANewLeadByte)
{
    EXPECT_EQ(check_everywhere(hex("C2 41")), fails_at(1));
    EXPECT_EQ(check_everywhere(hex("E0 A0 41")), fails_at(2));
    EXPECT_EQ(check_everywhere(hex("F0 90 80 C2 80")), fails_at(3));
}

TEST(Utf8, ATruncatedSequenceIsAValidButOpenPrefix)
{
    EXPECT_EQ(check_everywhere(hex("C2")), open_after(1));
    EXPECT_EQ(check_everywhere(hex("E0 A0")), open_after(2));
    EXPECT_EQ(check_everywhere(hex("41 F4 8F BF")), open_after(4));
}

TEST(Utf8, FindsTheOffendingByteAfterALongAsciiRun)
{
    bytes s(100, 'a');
    s[37] = 0xC0;
    EXPECT_EQ(check_everywhere(s), fails_at(37));
    s[37] = 0xCE;
    s[38] = 0xBA;
    s[99] = 0xE2;
    EXPECT_EQ(check_everywhere(s), open_after(100));
}

TEST(Utf8, AfterAFailureEveryFeedReturnsZero)
{
    utf8_validator v;
    EXPECT_EQ(v.feed(hex("41 FF 41")), 1u);
    EXPECT_TRUE(v.is_failed());
    EXPECT_EQ(v.feed(hex("41")), 0u);
    v.reset();
    EXPECT_EQ(v.feed(hex("41")), 1u);
    EXPECT_TRUE(v.is_complete());
}

std::uint8_t random_byte(std::mt19937& rng)
{
    static constexpr std::uint8_t interesting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                                   0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED,
                                                   0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    const auto pick = rng() % 4;
    if (pick == 0) return static_cast<std::uint8_t>(0x80 + rng() % 0x40);
    if (pick == 1) return interesting[rng() % std::size(interesting)];
    return static_cast<std::uint8_t>(rng());
}

bytes random_string(std::mt19937& rng)
{
    bytes s;
    const std::size_t pieces = rng() % 5;
    for (std::size_t p = 0; p < pieces; ++p) {
        if (rng() % 2 == 0)
            s.insert(s.end(), rng() % 24, static_cast<std::uint8_t>('a' + rng() % 26));
        const std::size_t n = rng() % 5;
        for (std::size_t i = 0; i < n; ++i) s.push_back(random_byte(rng));
    }
    return s;
}

TEST(Utf8, FastPathEqualsScalarPathAndReferenceOnRandomStrings)
{
    std::mt19937 rng(6455);
    const auto all = kernels();
    for (int round = 0; round < 100000; ++round) {
        const bytes s = random_string(rng);
        const verdict expected = reference_check(s);
        const std::size_t split = s.empty() ? 0 : rng() % (s.size() + 1);
        const bool valid = expected.complete && expected.valid_prefix == s.size();
        for (const auto kernel : all) {
            ASSERT_EQ(fast_check(s, 0, kernel), expected)
                << describe_payload(s) << to_string(kernel);
            ASSERT_EQ(fast_check(s, split, kernel), expected)
                << describe_payload(s) << " split " << split << " " << to_string(kernel);
            ASSERT_EQ(is_valid_utf8(s, kernel), valid);
        }
        ASSERT_EQ(is_valid_utf8(s), valid);
        ASSERT_EQ(is_valid_utf8_scalar(s), valid);
    }
}

TEST(Utf8, TheBestKernelIsTheOneTheCpuRuns)
{
    EXPECT_TRUE(is_supported(best_utf8_kernel()));
    EXPECT_TRUE(is_supported(utf8_kernel::scalar));
    EXPECT_EQ(utf8_validator().kernel(), best_utf8_kernel());
    EXPECT_EQ(utf8_validator(utf8_kernel::scalar).kernel(), utf8_kernel::scalar);
#if defined(__x86_64__)
    EXPECT_EQ(is_supported(utf8_kernel::avx2), static_cast<bool>(__builtin_cpu_supports("avx2")));
#endif
}

// Valid text of 1- to 4-byte sequences, long enough for several 64-byte vector blocks.
bytes random_text(std::mt19937& rng, std::size_t size)
{
    static constexpr std::string_view pieces[] = {"a", "Z ", "\xC3\xB6", "\xDF\xBF", "\xE0\xA0\x80",
                                                  "\xE6\x97\xA5", "\xED\x9F\xBF", "\xEF\xBF\xBF",
                                                  "\xF0\x90\x80\x80", "\xF0\x9F\x98\x80",
                                                  "\xF4\x8F\xBF\xBF"};
    bytes s;
    const bool ascii_runs = rng() % 2 == 0;
    while (s.size() < size) {
        if (ascii_runs && rng() % 4 == 0) {
            s.insert(s.end(), rng() % 80, static_cast<std::uint8_t>('a' + rng() % 26));
            continue;
        }
        const auto piece = pieces[rng() % std::size(pieces)];
        s.insert(s.end(), piece.begin(), piece.end());
    }
    return s;
}

// Long texts with one damaged byte (or none) anywhere, in particular on both sides of the
// 32- and 64-byte block edges, checked with every kernel over one read and over random splits.
TEST(Utf8, EveryKernelAgreesWithTheReferenceOnLongTextsWithOneDamagedByte)
{
    std::mt19937 rng(1951);
    const auto all = kernels();
    static constexpr std::uint8_t damage[] = {0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xE0, 0xED, 0xF0,
                                              0xF4, 0xF5, 0xFF, 0x41, 0x9F, 0xA0, 0x8F, 0x90};
    for (int round = 0; round < 6000; ++round) {
        bytes s = random_text(rng, 1 + rng() % 400);
        if (round % 8 != 0) {
            std::size_t at = rng() % s.size();
            if (round % 3 == 0) at = std::min(s.size() - 1, (rng() % 7) * 32 + rng() % 5 - 2 + 32);
            s[at] = damage[rng() % std::size(damage)];
        }
        if (round % 5 == 0) s.resize(rng() % (s.size() + 1));  // may cut a sequence open
        const verdict expected = reference_check(s);
        const bool valid = expected.complete && expected.valid_prefix == s.size();
        for (const auto kernel : all) {
            ASSERT_EQ(fast_check(s, 0, kernel), expected)
                << describe_payload(s) << to_string(kernel);
            const std::size_t split = rng() % (s.size() + 1);
            ASSERT_EQ(fast_check(s, split, kernel), expected)
                << describe_payload(s) << " split " << split << " " << to_string(kernel);
            ASSERT_EQ(is_valid_utf8(s, kernel), valid) << to_string(kernel);
            // Many small chunks: the state is carried across every boundary.
            utf8_validator v(kernel);
            std::size_t offset = 0;
            verdict chunked{s.size(), false};
            while (offset < s.size()) {
                const std::size_t n = std::min<std::size_t>(s.size() - offset, 1 + rng() % 97);
                const std::size_t ok = v.feed(std::span(s).subspan(offset, n));
                if (v.is_failed()) {
                    chunked = {offset + ok, false};
                    break;
                }
                offset += n;
            }
            if (!v.is_failed()) chunked = {s.size(), v.is_complete()};
            ASSERT_EQ(chunked, expected) << describe_payload(s) << " " << to_string(kernel);
        }
    }
}

// Every pair of bytes placed across the last block edge of an ASCII or multi-byte background:
// each class of error the vector classifier knows appears at every position relative to it.
TEST(Utf8, EveryKernelAgreesOnEveryBytePairAtEveryBlockPosition)
{
    const auto all = kernels();
    for (const std::size_t at : {0u, 30u, 31u, 62u, 63u, 64u, 65u, 95u}) {
        for (unsigned a = 0x7E; a <= 0xFF; ++a) {
            for (unsigned b = 0x7E; b <= 0xFF; b += 3) {
                bytes s(130, 'x');
                s[at] = static_cast<std::uint8_t>(a);
                s[at + 1] = static_cast<std::uint8_t>(b);
                s[at + 2] = 0x80 | static_cast<std::uint8_t>(b & 0x3F);
                const verdict expected = reference_check(s);
                for (const auto kernel : all)
                    ASSERT_EQ(fast_check(s, 0, kernel), expected)
                        << describe_payload(s) << " at " << at << " " << to_string(kernel);
            }
        }
    }
}

TEST(Utf8, AcceptsEveryScalarValueAndRejectsEverySurrogate)
{
    for (std::uint32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x20000 ? 1 : 97)) {
        bytes s;
        if (cp < 0x80) {
            s = {static_cast<std::uint8_t>(cp)};
        } else if (cp < 0x800) {
            s = {static_cast<std::uint8_t>(0xC0 | cp >> 6),
                 static_cast<std::uint8_t>(0x80 | (cp & 0x3F))};
        } else if (cp < 0x10000) {
            s = {static_cast<std::uint8_t>(0xE0 | cp >> 12),
                 static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F)),
                 static_cast<std::uint8_t>(0x80 | (cp & 0x3F))};
        } else {
            s = {static_cast<std::uint8_t>(0xF0 | cp >> 18),
                 static_cast<std::uint8_t>(0x80 | ((cp >> 12) & 0x3F)),
                 static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F)),
                 static_cast<std::uint8_t>(0x80 | (cp & 0x3F))};
        }
        const bool is_surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        ASSERT_EQ(is_valid_utf8(s), !is_surrogate) << std::hex << cp;
        ASSERT_EQ(is_valid_utf8_scalar(s), !is_surrogate) << std::hex << cp;
    }
}

}  // namespace
}  // namespace wsh::codec::test
