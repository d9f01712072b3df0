// SPDX-License-Identifier: MIT
// What every fuzz target shares: a property check that aborts (so libFuzzer and the replay
// main both report it), and a small reader that turns fuzz bytes into choices.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

namespace wsh::fuzz {

using bytes = std::vector<std::uint8_t>;

// The property of the target is broken: name it and abort.
inline void require(bool ok, const char* what)
{
    if (ok) return;
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
}

// Reads choices from the front of the input; past the end every read returns zero, so any
// input is a valid sequence of choices.
class choice_reader {
public:
    explicit choice_reader(std::span<const std::uint8_t> data) noexcept : data_(data) {}

    std::uint8_t byte() noexcept { return pos_ < data_.size() ? data_[pos_++] : 0; }
    bool flag() noexcept { return (byte() & 1) != 0; }
    std::uint32_t u32() noexcept
    {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | byte();
        return v;
    }
    // Everything not read yet.
    std::span<const std::uint8_t> rest() const noexcept
    {
        return pos_ < data_.size() ? data_.subspan(pos_) : std::span<const std::uint8_t>{};
    }

private:
    std::span<const std::uint8_t> data_;
    std::size_t pos_ = 0;
};

// Chunk sizes for feeding `size` bytes in pieces: the fuzz input's trailer chooses them.
// The last byte of `input` gives the number of cuts (0-7), the bytes before it the lengths of
// the first chunks; the data is what precedes the trailer.
struct split_input {
    std::span<const std::uint8_t> data;
    std::vector<std::size_t> chunks;  // sizes; their sum is data.size()
};

inline split_input split_by_trailer(std::span<const std::uint8_t> input)
{
    split_input out{input, {}};
    if (input.empty()) return out;
    std::size_t cuts = input.back() & 7;
    if (cuts + 1 > input.size()) cuts = input.size() - 1;
    out.data = input.first(input.size() - 1 - cuts);
    auto sizes = input.subspan(out.data.size(), cuts);
    std::size_t left = out.data.size();
    for (auto s : sizes) {
        std::size_t n = std::min<std::size_t>(left, s);
        if (n == 0) continue;
        out.chunks.push_back(n);
        left -= n;
    }
    if (left > 0) out.chunks.push_back(left);
    return out;
}

}  // namespace wsh::fuzz
