// SPDX-License-Identifier: MIT
#include "codec/mask.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace wsh::codec {
namespace {

constexpr std::array<std::uint8_t, 4> key{0x37, 0xfa, 0x21, 0x3d};

std::vector<std::uint8_t> pattern(std::size_t n)
{
    std::vector<std::uint8_t> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i * 31 + 7);
    return out;
}

std::vector<std::uint8_t> reference_mask(std::vector<std::uint8_t> data, std::uint64_t offset)
{
    for (std::size_t i = 0; i < data.size(); ++i) data[i] ^= key[(offset + i) % 4];
    return data;
}

TEST(Mask, MasksHelloAsInTheRfc)
{
    std::vector<std::uint8_t> data{'H', 'e', 'l', 'l', 'o'};
    apply_mask(data, key);
    EXPECT_EQ(data, (std::vector<std::uint8_t>{0x7f, 0x9f, 0x4d, 0x51, 0x58}));
}

TEST(Mask, EqualsAByteLoopForEveryOffsetLengthAndAlignment)
{
    for (std::uint64_t offset = 0; offset < 8; ++offset) {
        for (std::size_t length = 0; length <= 70; ++length) {
            for (std::size_t start = 0; start < 3; ++start) {
                auto buffer = pattern(length + start);
                const auto expected =
                    reference_mask({buffer.begin() + start, buffer.end()}, offset);
                apply_mask(std::span(buffer).subspan(start), key, offset);
                EXPECT_EQ(std::vector(buffer.begin() + start, buffer.end()), expected)
                    << "offset " << offset << " length " << length << " start " << start;
            }
        }
    }
}

TEST(Mask, MaskingTwiceRestoresTheInput)
{
    for (std::uint64_t offset = 0; offset < 8; ++offset) {
        for (std::size_t length = 0; length <= 70; ++length) {
            auto data = pattern(length);
            apply_mask(data, key, offset);
            apply_mask(data, key, offset);
            EXPECT_EQ(data, pattern(length));
        }
    }
}

TEST(Mask, ChunkByChunkEqualsOneShot)
{
    auto whole = pattern(1000);
    auto chunked = whole;
    apply_mask(whole, key);
    for (std::size_t from = 0, step = 1; from < chunked.size(); from += step, step = step * 2 + 1) {
        const std::size_t n = std::min(step, chunked.size() - from);
        apply_mask(std::span(chunked).subspan(from, n), key, from);
    }
    EXPECT_EQ(chunked, whole);
}

}  // namespace
}  // namespace wsh::codec

namespace {

TEST(MaskKey, TakesTheFourBytesOfTheValueLowestFirst)
{
    constexpr auto key = wsh::codec::mask_key_from(0x3d21fa37u);
    EXPECT_EQ(key, (std::array<std::uint8_t, 4>{0x37, 0xfa, 0x21, 0x3d}));
}

}  // namespace
