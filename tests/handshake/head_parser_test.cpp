// SPDX-License-Identifier: MIT
#include "handshake/handshake.hpp"

#include "rfc_examples.hpp"
#include "split_feed.hpp"

#include <gtest/gtest.h>

namespace wsh::handshake {
namespace {

using testing::parse_every_split;
using testing::rfc_request;
using testing::rfc_response;

std::string request_with(std::string_view header_lines) {
    return "GET / HTTP/1.1\r\n" + std::string{header_lines} + "\r\n";
}

// Parses `input` as a request head at every split and expects exactly the error `error`.
void expect_request_error(std::string_view input, std::string_view error) {
    const auto r = parse_every_split(head_kind::request, input);
    EXPECT_EQ(r.status, parse_status::error);
    EXPECT_EQ(r.error, error);
}

TEST(HeadParser, Rfc6455Section1_3RequestParsesAtEverySplitPoint) {
    const auto r = parse_every_split(head_kind::request, rfc_request);
    ASSERT_EQ(r.status, parse_status::complete) << r.error;
    EXPECT_EQ(r.consumed, rfc_request.size());
    EXPECT_EQ(r.raw, rfc_request);
    EXPECT_EQ(r.head.method, "GET");
    EXPECT_EQ(r.head.target, "/chat");
    EXPECT_EQ(r.head.version, "HTTP/1.1");
    ASSERT_EQ(r.head.fields.size(), 7u);
    EXPECT_EQ(r.head.fields[0].name, "Host");
    EXPECT_EQ(r.head.fields[0].value, "server.example.com");
    EXPECT_EQ(r.head.find("Sec-WebSocket-Key"), "dGhlIHNhbXBsZSBub25jZQ==");
    EXPECT_EQ(r.head.list("Sec-WebSocket-Protocol"),
              (std::vector<std::string>{"chat", "superchat"}));
}

TEST(HeadParser, Rfc6455Section1_3ResponseParsesAtEverySplitPoint) {
    const auto r = parse_every_split(head_kind::response, rfc_response);
    ASSERT_EQ(r.status, parse_status::complete) << r.error;
    EXPECT_EQ(r.consumed, rfc_response.size());
    EXPECT_EQ(r.head.version, "HTTP/1.1");
    EXPECT_EQ(r.head.status, 101);
    EXPECT_EQ(r.head.reason, "Switching Protocols");
    ASSERT_EQ(r.head.fields.size(), 4u);
    EXPECT_EQ(r.head.find("sec-websocket-accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(HeadParser, BytesAfterTheHeadAreNotConsumed) {
    const std::string input = std::string{rfc_response} + "\x81\x05hello";
    const auto r = parse_every_split(head_kind::response, input);
    ASSERT_EQ(r.status, parse_status::complete);
    EXPECT_EQ(r.consumed, rfc_response.size());
    EXPECT_EQ(r.raw, rfc_response);
}

TEST(HeadParser, FeedAfterCompletionConsumesNothing) {
    head_parser parser{head_kind::response};
    const std::string input = std::string{rfc_response};
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(input.data());
    ASSERT_EQ(parser.feed({bytes, input.size()}).status, parse_status::complete);
    const auto again = parser.feed({bytes, input.size()});
    EXPECT_EQ(again.consumed, 0u);
    EXPECT_EQ(again.status, parse_status::complete);
}

TEST(HeadParser, IncompleteHeadNeedsMore) {
    const auto r = parse_every_split(head_kind::request, rfc_request.substr(0, 40));
    EXPECT_EQ(r.status, parse_status::need_more);
    EXPECT_EQ(r.consumed, 40u);
}

TEST(HeadParser, BareLfLineEndingsAreAccepted) {
    const auto r = parse_every_split(head_kind::request, "GET / HTTP/1.1\nHost: a\n\nrest");
    ASSERT_EQ(r.status, parse_status::complete) << r.error;
    EXPECT_EQ(r.consumed, 24u);
    EXPECT_EQ(r.head.find("Host"), "a");
}

TEST(HeadParser, HeadLargerThanMaxSizeIsAnError) {
    const std::string input = request_with("Host: " + std::string(100, 'a') + "\r\n");
    const auto r = parse_every_split(head_kind::request, input, 64);
    EXPECT_EQ(r.status, parse_status::error);
    EXPECT_EQ(r.error, "header section larger than 64 bytes");
    EXPECT_EQ(r.consumed, 64u);
}

TEST(HeadParser, HeadOfExactlyMaxSizeIsAccepted) {
    const auto r = parse_every_split(head_kind::request, rfc_request, rfc_request.size());
    EXPECT_EQ(r.status, parse_status::complete) << r.error;
    const auto one_less =
        parse_every_split(head_kind::request, rfc_request, rfc_request.size() - 1);
    EXPECT_EQ(one_less.status, parse_status::error);
}

TEST(HeadParser, EndlessHeadIsCutAtMaxSize) {
    const auto r = parse_every_split(head_kind::request, std::string(300, 'x'), 256);
    EXPECT_EQ(r.status, parse_status::error);
    EXPECT_EQ(r.consumed, 256u);
}

TEST(HeadParser, HeaderValuesAreTrimmedOfSpacesAndTabs) {
    const auto r = parse_every_split(head_kind::request, request_with("Host: \t a b \t \r\n"));
    ASSERT_EQ(r.status, parse_status::complete) << r.error;
    EXPECT_EQ(r.head.find("Host"), "a b");
}

TEST(HeadParser, EmptyHeaderValueIsKept) {
    const auto r = parse_every_split(head_kind::request, request_with("X-Empty:\r\n"));
    ASSERT_EQ(r.status, parse_status::complete) << r.error;
    EXPECT_EQ(r.head.find("x-empty"), "");
}

TEST(HeadParser, WhitespaceBeforeTheColonIsAnError) {
    expect_request_error(request_with("Host : a\r\n"), "whitespace before the colon in header Host");
    expect_request_error(request_with("Host\t: a\r\n"), "whitespace before the colon in header Host");
}

TEST(HeadParser, ObsoleteLineFoldingIsAnError) {
    expect_request_error(request_with("X-A: one\r\n two\r\n"),
                         "obsolete line folding in header section");
    expect_request_error(request_with("X-A: one\r\n\ttwo\r\n"),
                         "obsolete line folding in header section");
}

TEST(HeadParser, HeaderLineWithoutAColonIsAnError) {
    expect_request_error(request_with("Host a\r\n"), "header line without a colon");
}

TEST(HeadParser, HeaderNameThatIsNotATokenIsAnError) {
    expect_request_error(request_with(": a\r\n"), "invalid header name");
    expect_request_error(request_with("Ho(st: a\r\n"), "invalid header name");
    expect_request_error(request_with("Ho st: a\r\n"), "invalid header name");
}

TEST(HeadParser, ControlCharacterInAHeaderValueIsAnError) {
    expect_request_error(request_with(std::string{"X-A: a\0b\r\n", 10}),
                         "invalid character in the value of header X-A");
    expect_request_error(request_with("X-A: a\x7f\r\n"),
                         "invalid character in the value of header X-A");
}

TEST(HeadParser, BareCrIsAnError) {
    expect_request_error(request_with("X-A: a\rb\r\n"), "bare CR in header section");
}

TEST(HeadParser, EmptyStartLineIsAnError) {
    expect_request_error("\r\nGET / HTTP/1.1\r\n\r\n", "empty start line");
    expect_request_error("\nGET / HTTP/1.1\r\n\r\n", "empty start line");
}

TEST(HeadParser, MalformedRequestLineIsAnError) {
    for (const std::string_view line :
         {"GET /", "GET / HTTP/1.1 x", "GET  / HTTP/1.1", "GET / http/1.1", "GET / HTTP/1",
          "GET / HTTP/1.10", "G(T / HTTP/1.1", " GET / HTTP/1.1", "GET / HTTP/1.1 ",
          "GET /\x01 HTTP/1.1"}) {
        SCOPED_TRACE(line);
        expect_request_error(std::string{line} + "\r\nHost: a\r\n\r\n", "malformed request line");
    }
}

TEST(HeadParser, RequestWithHttp10ParsesAndKeepsTheVersion) {
    const auto r = parse_every_split(head_kind::request, "GET / HTTP/1.0\r\n\r\n");
    ASSERT_EQ(r.status, parse_status::complete) << r.error;
    EXPECT_EQ(r.head.version, "HTTP/1.0");
    EXPECT_TRUE(r.head.fields.empty());
}

TEST(HeadParser, StatusLineWithoutAReasonIsAccepted) {
    for (const std::string_view input : {"HTTP/1.1 101\r\n\r\n", "HTTP/1.1 101 \r\n\r\n"}) {
        const auto r = parse_every_split(head_kind::response, input);
        ASSERT_EQ(r.status, parse_status::complete) << r.error;
        EXPECT_EQ(r.head.status, 101);
        EXPECT_EQ(r.head.reason, "");
    }
}

TEST(HeadParser, MalformedStatusLineIsAnError) {
    for (const std::string_view line : {"HTTP/1.1 10", "HTTP/1.1 1010", "HTTP/1.1  101",
                                        "HTTP/1.1 1x1 OK", "HTTP/1.1", "HTTP/1.1101 OK",
                                        "HTTX/1.1 101 OK", "HTTP/1.1 101 \x01"}) {
        SCOPED_TRACE(line);
        const auto r = parse_every_split(head_kind::response, std::string{line} + "\r\n\r\n");
        EXPECT_EQ(r.status, parse_status::error);
        EXPECT_EQ(r.error, "malformed status line");
    }
}

TEST(HttpHead, HeaderNamesCompareCaseInsensitively) {
    const auto r = parse_every_split(head_kind::request, request_with("hOsT: a\r\n"));
    ASSERT_EQ(r.status, parse_status::complete) << r.error;
    EXPECT_EQ(r.head.find("HOST"), "a");
    EXPECT_EQ(r.head.count("host"), 1u);
    EXPECT_EQ(r.head.fields[0].name, "hOsT");
    EXPECT_EQ(r.head.find("Hostx"), std::nullopt);
    EXPECT_EQ(r.head.count("Hos"), 0u);
}

TEST(HttpHead, FindReturnsTheFirstOfRepeatedFields) {
    const auto r = parse_every_split(head_kind::request, request_with("X-A: 1\r\nx-a: 2\r\n"));
    EXPECT_EQ(r.head.find("X-A"), "1");
    EXPECT_EQ(r.head.count("X-A"), 2u);
}

TEST(HttpHead, ListJoinsRepeatedFieldsInOrder) {
    const auto r =
        parse_every_split(head_kind::request, request_with("X-A: 1, 2\r\nX-B: 9\r\nx-a: 3\r\n"));
    EXPECT_EQ(r.head.list("x-A"), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(HttpHead, ListTrimsElementsAndDropsEmptyOnes) {
    const auto r = parse_every_split(head_kind::request, request_with("X-A: ,a ,, \tb\t,\r\n"));
    EXPECT_EQ(r.head.list("X-A"), (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(r.head.list("X-Missing").empty());
}

TEST(HttpHead, TokenListKeepAliveUpgradeHasTheUpgradeToken) {
    const auto r =
        parse_every_split(head_kind::request, request_with("Connection: keep-alive, Upgrade\r\n"));
    EXPECT_TRUE(r.head.has_token("connection", "upgrade"));
    EXPECT_TRUE(r.head.has_token("Connection", "KEEP-ALIVE"));
    EXPECT_FALSE(r.head.has_token("Connection", "upgrad"));
    EXPECT_FALSE(r.head.has_token("Connection", "keep-alive, Upgrade"));
}

}  // namespace
}  // namespace wsh::handshake
