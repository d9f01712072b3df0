// SPDX-License-Identifier: MIT
// Property: for any bytes, incremental validation over any split, one-shot validation, every
// kernel (scalar, SSE2, AVX2 where the CPU has it) and a reference validator written for
// clarity all agree; the incremental validator stops at the same offending byte as the
// reference.
// Input: the text, then a trailer choosing the chunk sizes (see split_by_trailer).
#include "../common/check.hpp"

#include "codec/utf8.hpp"

#include <optional>

namespace {

using wsh::fuzz::require;

// RFC 3629 §4, table of well-formed sequences, one row at a time: the allowed range of each
// byte given the first one. Returns the index of the first byte that breaks the table, or
// nullopt if every sequence is well formed (`complete` is false if the input ends inside one).
struct reference_result {
    std::optional<std::size_t> offending;
    bool complete = true;
};

struct byte_range {
    std::uint8_t lo, hi;
};

// The ranges of the continuation bytes for a lead byte; empty if `lead` cannot start one.
std::vector<byte_range> continuation_ranges(std::uint8_t lead)
{
    const byte_range tail{0x80, 0xbf};
    if (lead >= 0xc2 && lead <= 0xdf) return {tail};
    if (lead == 0xe0) return {{0xa0, 0xbf}, tail};             // no overlong 3-byte forms
    if (lead == 0xed) return {{0x80, 0x9f}, tail};             // no surrogates
    if (lead >= 0xe1 && lead <= 0xef) return {tail, tail};
    if (lead == 0xf0) return {{0x90, 0xbf}, tail, tail};       // no overlong 4-byte forms
    if (lead == 0xf4) return {{0x80, 0x8f}, tail, tail};       // nothing above U+10FFFF
    if (lead >= 0xf1 && lead <= 0xf3) return {tail, tail, tail};
    return {};
}

reference_result reference_validate(std::span<const std::uint8_t> s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        std::uint8_t lead = s[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        auto ranges = continuation_ranges(lead);
        if (ranges.empty()) return {i, false};
        ++i;
        for (auto r : ranges) {
            if (i == s.size()) return {std::nullopt, false};
            if (s[i] < r.lo || s[i] > r.hi) return {i, false};
            ++i;
        }
    }
    return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wsh::codec;
    auto split = wsh::fuzz::split_by_trailer({data, size});
    auto text = split.data;
    auto ref = reference_validate(text);
    bool valid = !ref.offending && ref.complete;
    require(is_valid_utf8(text) == valid, "one-shot equals the reference");
    require(is_valid_utf8_scalar(text) == valid, "scalar path equals the reference");

    // Every kernel this CPU runs (the vector one where it has AVX2), forced one at a time.
    for (auto kernel : {utf8_kernel::scalar, utf8_kernel::sse2, utf8_kernel::avx2}) {
        if (!is_supported(kernel)) continue;
        require(is_valid_utf8(text, kernel) == valid,
                "one-shot equals the reference on every kernel");

        utf8_validator whole(kernel);
        std::size_t good = whole.feed(text);
        require(whole.is_failed() == ref.offending.has_value(),
                "incremental fails iff the reference does");
        require(good == ref.offending.value_or(text.size()),
                "incremental stops at the offending byte");
        require(whole.is_complete() == valid, "incremental completes iff valid");

        utf8_validator pieces(kernel);
        std::size_t offset = 0;
        std::optional<std::size_t> failed_at;
        for (auto n : split.chunks) {
            std::size_t ok = pieces.feed(text.subspan(offset, n));
            if (pieces.is_failed() && !failed_at) failed_at = offset + ok;
            offset += n;
        }
        require(failed_at == ref.offending, "split validation fails at the same byte");
        require(pieces.is_complete() == valid, "split validation equals one-shot");
    }
    return 0;
}
