// SPDX-License-Identifier: MIT
#include "handshake/handshake.hpp"

#include <gtest/gtest.h>

namespace wsh::handshake {
namespace {

using param = std::pair<std::string, std::optional<std::string>>;

TEST(Extensions, TwoPermessageDeflateOffersWithTheirParametersAreParsedInOrder) {
    const auto offers = parse_extensions(
        "permessage-deflate; client_max_window_bits, permessage-deflate; "
        "server_max_window_bits=10");
    ASSERT_TRUE(offers.has_value());
    ASSERT_EQ(offers->size(), 2u);
    EXPECT_EQ((*offers)[0].name, "permessage-deflate");
    EXPECT_EQ((*offers)[0].params, (std::vector<param>{{"client_max_window_bits", std::nullopt}}));
    EXPECT_EQ((*offers)[1].name, "permessage-deflate");
    EXPECT_EQ((*offers)[1].params, (std::vector<param>{{"server_max_window_bits", "10"}}));
}

TEST(Extensions, EmptyValueIsAnEmptyList) {
    const auto offers = parse_extensions("");
    ASSERT_TRUE(offers.has_value());
    EXPECT_TRUE(offers->empty());
}

TEST(Extensions, ExtensionWithoutParametersHasNone) {
    const auto offers = parse_extensions("x-webkit-deflate-frame");
    ASSERT_TRUE(offers.has_value());
    ASSERT_EQ(offers->size(), 1u);
    EXPECT_EQ((*offers)[0].name, "x-webkit-deflate-frame");
    EXPECT_TRUE((*offers)[0].params.empty());
}

TEST(Extensions, QuotedValuesAreUnquoted) {
    const auto offers = parse_extensions("foo; bar=\"10\"; baz=\"a\\bc\"");
    ASSERT_TRUE(offers.has_value());
    ASSERT_EQ(offers->size(), 1u);
    EXPECT_EQ((*offers)[0].params, (std::vector<param>{{"bar", "10"}, {"baz", "abc"}}));
}

TEST(Extensions, WhitespaceAroundSeparatorsIsTolerated) {
    const auto offers = parse_extensions(" \tfoo ; a = 1 ;b\t, bar ;c= \"2\" ");
    ASSERT_TRUE(offers.has_value());
    ASSERT_EQ(offers->size(), 2u);
    EXPECT_EQ((*offers)[0].name, "foo");
    EXPECT_EQ((*offers)[0].params, (std::vector<param>{{"a", "1"}, {"b", std::nullopt}}));
    EXPECT_EQ((*offers)[1].name, "bar");
    EXPECT_EQ((*offers)[1].params, (std::vector<param>{{"c", "2"}}));
}

TEST(Extensions, EmptyListElementsAreIgnored) {
    const auto offers = parse_extensions(", foo,, bar ,");
    ASSERT_TRUE(offers.has_value());
    ASSERT_EQ(offers->size(), 2u);
    EXPECT_EQ((*offers)[0].name, "foo");
    EXPECT_EQ((*offers)[1].name, "bar");
}

TEST(Extensions, ElementWithoutANameIsRejected) {
    EXPECT_EQ(parse_extensions("; a=1"), std::nullopt);
    EXPECT_EQ(parse_extensions("foo, ;a"), std::nullopt);
}

TEST(Extensions, ParameterWithoutANameIsRejected) {
    EXPECT_EQ(parse_extensions("foo;"), std::nullopt);
    EXPECT_EQ(parse_extensions("foo; =1"), std::nullopt);
    EXPECT_EQ(parse_extensions("foo;;a"), std::nullopt);
}

TEST(Extensions, ParameterWithAnEmptyValueIsRejected) {
    EXPECT_EQ(parse_extensions("foo; a="), std::nullopt);
    EXPECT_EQ(parse_extensions("foo; a=, bar"), std::nullopt);
}

TEST(Extensions, CharactersOutsideTokensAreRejected) {
    EXPECT_EQ(parse_extensions("fo(o"), std::nullopt);
    EXPECT_EQ(parse_extensions("foo bar"), std::nullopt);
    EXPECT_EQ(parse_extensions("foo; a=b c"), std::nullopt);
    EXPECT_EQ(parse_extensions("foo; a/b"), std::nullopt);
    EXPECT_EQ(parse_extensions("foo; a=1=2"), std::nullopt);
}

TEST(Extensions, UnterminatedQuotedStringIsRejected) {
    EXPECT_EQ(parse_extensions("foo; a=\"10"), std::nullopt);
    EXPECT_EQ(parse_extensions("foo; a=\"10\\\""), std::nullopt);
}

TEST(Extensions, QuotedValueThatIsNotATokenOnceUnquotedIsRejected) {
    // RFC 6455 §9.1: a quoted-string value MUST conform to the token ABNF after unescaping.
    EXPECT_EQ(parse_extensions("foo; a=\"1 0\""), std::nullopt);
    EXPECT_EQ(parse_extensions("foo; a=\"\""), std::nullopt);
    EXPECT_EQ(parse_extensions("foo; a=\"x,y\""), std::nullopt);
}

TEST(Extensions, TextAfterAClosingQuoteIsRejected) {
    EXPECT_EQ(parse_extensions("foo; a=\"1\"2"), std::nullopt);
}

}  // namespace
}  // namespace wsh::handshake
