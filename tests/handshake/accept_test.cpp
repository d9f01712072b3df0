// SPDX-License-Identifier: MIT
#include "handshake/handshake.hpp"

#include <gtest/gtest.h>

#include <array>

namespace wsh::handshake {
namespace {

constexpr std::string_view rfc_key = "dGhlIHNhbXBsZSBub25jZQ==";

TEST(Accept, Rfc6455Section1_3KeyGivesTheExampleAcceptValue) {
    EXPECT_EQ(compute_accept(rfc_key), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(Accept, Rfc6455Section1_3KeyIsAValidClientKey) {
    EXPECT_TRUE(is_valid_client_key(rfc_key));
}

TEST(Accept, MadeKeyIsTheBase64OfTheNonce) {
    const std::string nonce = "the sample nonce";
    std::array<std::uint8_t, 16> bytes{};
    std::copy(nonce.begin(), nonce.end(), bytes.begin());
    EXPECT_EQ(make_client_key(bytes), rfc_key);
}

TEST(Accept, MadeKeyIsAlwaysAValidClientKey) {
    std::array<std::uint8_t, 16> bytes{};
    for (int fill = 0; fill < 256; fill += 15) {
        bytes.fill(static_cast<std::uint8_t>(fill));
        EXPECT_TRUE(is_valid_client_key(make_client_key(bytes))) << fill;
    }
}

TEST(Accept, KeyOf23CharactersIsInvalid) {
    EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ="));
}

TEST(Accept, KeyOf25CharactersIsInvalid) {
    EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ==="));
    EXPECT_FALSE(is_valid_client_key(" dGhlIHNhbXBsZSBub25jZQ=="));
}

TEST(Accept, KeyThatIsNotBase64IsInvalid) {
    EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZ!=="));
    EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25j-Q=="));
}

TEST(Accept, KeyDecodingTo15BytesIsInvalid) {
    EXPECT_FALSE(is_valid_client_key("AAAAAAAAAAAAAAAAAAAA"));  // 15 bytes take 20 characters
}

TEST(Accept, KeyOf24CharactersDecodingTo18BytesIsInvalid) {
    EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZWVl"));
}

TEST(Accept, KeyDecodingTo17BytesIsInvalid) {
    EXPECT_FALSE(is_valid_client_key("AAAAAAAAAAAAAAAAAAAAAAA="));  // 17 bytes in 24 chars
}

TEST(Accept, KeyWithNonCanonicalPadBitsIsInvalid) {
    EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZR=="));
    EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZf=="));
}

}  // namespace
}  // namespace wsh::handshake
