// SPDX-License-Identifier: MIT
// Incremental UTF-8 validation (RFC 3629, as required by RFC 6455 §8.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wsh::codec {

// Streaming validator: feed a text message in any number of chunks. It fails at the first byte
// that cannot start or continue a valid sequence (overlong forms, surrogates, code points above
// U+10FFFF, bad continuation bytes), as soon as that byte arrives (RFC 6455 §8.1 "fail fast").
class utf8_validator {
public:
    // Validates `input` as the continuation of everything fed so far. Returns the number of
    // bytes of `input` that are still part of a valid prefix of the stream: `input.size()` if
    // no error, otherwise the offset of the first offending byte (and is_failed() becomes true).
    // After a failure it returns 0 for any input.
    std::size_t feed(std::span<const std::uint8_t> input) noexcept;

    [[nodiscard]] bool is_failed() const noexcept { return state_ == reject_; }
    // True when no multi-byte sequence is left open (the stream may end here).
    [[nodiscard]] bool is_complete() const noexcept { return state_ == accept_; }

    void reset() noexcept { state_ = accept_; }

private:
    static constexpr std::uint8_t accept_ = 0;
    static constexpr std::uint8_t reject_ = 1;
    std::uint8_t state_ = accept_;
};

// One-shot: the whole of `input` is valid and complete UTF-8.
[[nodiscard]] bool is_valid_utf8(std::span<const std::uint8_t> input) noexcept;

// Scalar-only reference path of the validator (used by tests and benchmarks to compare the fast
// path against the portable one).
[[nodiscard]] bool is_valid_utf8_scalar(std::span<const std::uint8_t> input) noexcept;

}  // namespace wsh::codec
