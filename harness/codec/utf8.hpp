// SPDX-License-Identifier: MIT
// Incremental UTF-8 validation (RFC 3629, as required by RFC 6455 §8.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wsh::codec {

// The implementations of the bulk scan. Every kernel gives exactly the same results (the
// offending offset, completeness) on every input and every split; they differ in speed only.
//   scalar: a byte-at-a-time state machine (the portable reference path);
//   sse2:   the state machine with a 16-byte ASCII skip;
//   avx2:   a vector classifier over 64-byte blocks (nibble lookup tables, after the design
//           described by Keiser & Lemire, "Validating UTF-8 in less than one instruction per
//           byte", 2021), handing the exact error position and the last partial sequence to
//           the state machine.
enum class utf8_kernel : std::uint8_t { scalar, sse2, avx2 };

// Whether this build and this CPU can run `kernel` (avx2 is checked at run time).
[[nodiscard]] bool is_supported(utf8_kernel kernel) noexcept;
// The fastest supported kernel: avx2 where the CPU has it, else sse2 on x86-64, else scalar.
[[nodiscard]] utf8_kernel best_utf8_kernel() noexcept;
[[nodiscard]] const char* to_string(utf8_kernel kernel) noexcept;

// Streaming validator: feed a text message in any number of chunks. It fails at the first byte
// that cannot start or continue a valid sequence (overlong forms, surrogates, code points above
// U+10FFFF, bad continuation bytes), as soon as that byte arrives (RFC 6455 §8.1 "fail fast").
class utf8_validator {
public:
    // Uses best_utf8_kernel(). An unsupported `kernel` falls back to the best supported one.
    utf8_validator() noexcept;
    explicit utf8_validator(utf8_kernel kernel) noexcept;

    // Validates `input` as the continuation of everything fed so far. Returns the number of
    // bytes of `input` that are still part of a valid prefix of the stream: `input.size()` if
    // no error, otherwise the offset of the first offending byte (and is_failed() becomes true).
    // After a failure it returns 0 for any input.
    std::size_t feed(std::span<const std::uint8_t> input) noexcept;

    [[nodiscard]] bool is_failed() const noexcept { return state_ == reject_; }
    // True when no multi-byte sequence is left open (the stream may end here).
    [[nodiscard]] bool is_complete() const noexcept { return state_ == accept_; }
    [[nodiscard]] utf8_kernel kernel() const noexcept { return kernel_; }

    void reset() noexcept { state_ = accept_; }

private:
    static constexpr std::uint8_t accept_ = 0;
    static constexpr std::uint8_t reject_ = 1;
    std::uint8_t state_ = accept_;
    utf8_kernel kernel_;
};

// One-shot: the whole of `input` is valid and complete UTF-8 (best kernel).
[[nodiscard]] bool is_valid_utf8(std::span<const std::uint8_t> input) noexcept;
// The same with a chosen kernel (tests and benchmarks compare the kernels).
[[nodiscard]] bool is_valid_utf8(std::span<const std::uint8_t> input, utf8_kernel kernel) noexcept;

// Scalar-only reference path of the validator (used by tests and benchmarks to compare the fast
// path against the portable one).
[[nodiscard]] bool is_valid_utf8_scalar(std::span<const std::uint8_t> input) noexcept;

}  // namespace wsh::codec
