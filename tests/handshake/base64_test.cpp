// SPDX-License-Identifier: MIT
#include "handshake/handshake.hpp"

#include <gtest/gtest.h>

namespace wsh::handshake {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::optional<std::string> decode_to_string(std::string_view text) {
    const auto bytes = base64_decode(text);
    if (!bytes) {
        return std::nullopt;
    }
    return std::string{bytes->begin(), bytes->end()};
}

TEST(Base64, EncodesTheRfc4648TestVectors) {
    EXPECT_EQ(base64_encode(bytes_of("")), "");
    EXPECT_EQ(base64_encode(bytes_of("f")), "Zg==");
    EXPECT_EQ(base64_encode(bytes_of("fo")), "Zm8=");
    EXPECT_EQ(base64_encode(bytes_of("foo")), "Zm9v");
    EXPECT_EQ(base64_encode(bytes_of("foob")), "Zm9vYg==");
    EXPECT_EQ(base64_encode(bytes_of("fooba")), "Zm9vYmE=");
    EXPECT_EQ(base64_encode(bytes_of("foobar")), "Zm9vYmFy");
}

TEST(Base64, DecodesTheRfc4648TestVectors) {
    EXPECT_EQ(decode_to_string(""), "");
    EXPECT_EQ(decode_to_string("Zg=="), "f");
    EXPECT_EQ(decode_to_string("Zm8="), "fo");
    EXPECT_EQ(decode_to_string("Zm9v"), "foo");
    EXPECT_EQ(decode_to_string("Zm9vYg=="), "foob");
    EXPECT_EQ(decode_to_string("Zm9vYmE="), "fooba");
    EXPECT_EQ(decode_to_string("Zm9vYmFy"), "foobar");
}

TEST(Base64, RoundTripsEveryByteValue) {
    std::vector<std::uint8_t> all(256);
    for (std::size_t i = 0; i < all.size(); ++i) {
        all[i] = static_cast<std::uint8_t>(i);
    }
    for (std::size_t n = 0; n <= all.size(); n += 37) {
        const std::span<const std::uint8_t> part{all.data(), n};
        EXPECT_EQ(base64_decode(base64_encode(part)),
                  std::vector<std::uint8_t>(part.begin(), part.end()));
    }
}

TEST(Base64, DecoderRejectsMissingPadding) {
    EXPECT_EQ(base64_decode("Zg"), std::nullopt);
    EXPECT_EQ(base64_decode("Zm8"), std::nullopt);
}

TEST(Base64, DecoderRejectsCharactersOutsideTheAlphabet) {
    EXPECT_EQ(base64_decode("Zm9-"), std::nullopt);
    EXPECT_EQ(base64_decode("Zm9_"), std::nullopt);
    EXPECT_EQ(base64_decode("Zm 9"), std::nullopt);
    EXPECT_EQ(base64_decode("Zm9v\n"), std::nullopt);
}

TEST(Base64, DecoderRejectsPaddingAnywhereButTheEnd) {
    EXPECT_EQ(base64_decode("Zg==Zm9v"), std::nullopt);
    EXPECT_EQ(base64_decode("Z=g="), std::nullopt);
    EXPECT_EQ(base64_decode("===="), std::nullopt);
    EXPECT_EQ(base64_decode("Z==="), std::nullopt);
}

TEST(Base64, DecoderRejectsNonZeroPadBits) {
    EXPECT_EQ(base64_decode("Zh=="), std::nullopt);  // "Zg==" with a pad bit set
    EXPECT_EQ(base64_decode("Zm9="), std::nullopt);  // "Zm8=" with a pad bit set
}

}  // namespace
}  // namespace wsh::handshake
