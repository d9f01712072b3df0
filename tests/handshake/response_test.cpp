// SPDX-License-Identifier: MIT
#include "handshake/handshake.hpp"

#include "head_edit.hpp"
#include "rfc_examples.hpp"

#include <gtest/gtest.h>

namespace wsh::handshake {
namespace {

using testing::parse_head;
using testing::plus;
using testing::rfc_key;
using testing::rfc_response;
using testing::with;
using testing::without;

const std::vector<std::string> rfc_protocols = {"chat", "superchat"};
const std::vector<std::string> deflate_offer = {
    "permessage-deflate; client_max_window_bits", "permessage-deflate"};

http_head rfc_head() { return parse_head(head_kind::response, rfc_response); }

response_check check(const http_head& head,
                     const std::vector<std::string>& protocols = rfc_protocols,
                     const std::vector<std::string>& extensions = {}) {
    return check_response(head, rfc_key, protocols, extensions);
}

void expect_rejected(const response_check& result, std::string_view reason) {
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.reason, reason);
}

TEST(CheckResponse, Rfc6455Section1_3ResponseIsAccepted) {
    const response_check result = check(rfc_head());
    ASSERT_TRUE(result.ok) << result.reason;
    EXPECT_EQ(result.protocol, "chat");
    EXPECT_TRUE(result.extensions.empty());
}

TEST(CheckResponse, ClientRejectsStatusOtherThan101) {
    http_head head = rfc_head();
    head.status = 200;
    expect_rejected(check(head), "status is 200, not 101");
    head.status = 426;
    expect_rejected(check(head), "status is 426, not 101");
}

TEST(CheckResponse, ClientRejectsMissingUpgrade) {
    expect_rejected(check(without(rfc_head(), "Upgrade")), "Upgrade does not contain websocket");
}

TEST(CheckResponse, ClientRejectsUpgradeOtherThanWebsocket) {
    expect_rejected(check(with(rfc_head(), "Upgrade", "h2c")), "Upgrade does not contain websocket");
}

TEST(CheckResponse, ClientAcceptsWebsocketInAnyCase) {
    EXPECT_TRUE(check(with(rfc_head(), "upgrade", "WEBSOCKET")).ok);
}

TEST(CheckResponse, ClientRejectsMissingConnection) {
    expect_rejected(check(without(rfc_head(), "Connection")),
                    "Connection does not contain Upgrade");
}

TEST(CheckResponse, ClientRejectsConnectionWithoutUpgrade) {
    expect_rejected(check(with(rfc_head(), "Connection", "close")),
                    "Connection does not contain Upgrade");
}

TEST(CheckResponse, ClientAcceptsUpgradeAnywhereInTheConnectionList) {
    EXPECT_TRUE(check(with(rfc_head(), "Connection", "keep-alive, upgrade")).ok);
}

TEST(CheckResponse, ClientRejectsMissingAccept) {
    expect_rejected(check(without(rfc_head(), "Sec-WebSocket-Accept")),
                    "missing Sec-WebSocket-Accept");
}

TEST(CheckResponse, ClientRejectsMoreThanOneAccept) {
    expect_rejected(check(plus(rfc_head(), "sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")),
                    "more than one Sec-WebSocket-Accept");
}

TEST(CheckResponse, ClientRejectsAcceptThatDoesNotMatchTheKey) {
    for (const std::string_view accept : {"s3pPLMBiTxaQ9kYGzzhZRbK+xOp=", "S3PPLMBITXAQ9KYGZZHZRBK+XOO=",
                                          "dGhlIHNhbXBsZSBub25jZQ==", ""}) {
        SCOPED_TRACE(accept);
        expect_rejected(check(with(rfc_head(), "Sec-WebSocket-Accept", accept)),
                        "Sec-WebSocket-Accept does not match the key");
    }
}

TEST(CheckResponse, ClientRejectsAcceptComputedFromAnotherKey) {
    const response_check result = check_response(rfc_head(), "AAAAAAAAAAAAAAAAAAAAAA==",
                                                 rfc_protocols, {});
    expect_rejected(result, "Sec-WebSocket-Accept does not match the key");
}

TEST(CheckResponse, ClientAcceptsNoSubprotocolEvenWhenSomeWereOffered) {
    const response_check result = check(without(rfc_head(), "Sec-WebSocket-Protocol"));
    ASSERT_TRUE(result.ok) << result.reason;
    EXPECT_EQ(result.protocol, std::nullopt);
}

TEST(CheckResponse, ClientRejectsMoreThanOneSubprotocol) {
    expect_rejected(check(with(rfc_head(), "Sec-WebSocket-Protocol", "chat, superchat")),
                    "Sec-WebSocket-Protocol does not hold exactly one value");
    expect_rejected(check(plus(rfc_head(), "Sec-WebSocket-Protocol", "superchat")),
                    "Sec-WebSocket-Protocol does not hold exactly one value");
}

TEST(CheckResponse, ClientRejectsEmptySubprotocol) {
    expect_rejected(check(with(rfc_head(), "Sec-WebSocket-Protocol", "")),
                    "Sec-WebSocket-Protocol does not hold exactly one value");
}

TEST(CheckResponse, ClientRejectsSubprotocolThatWasNotOffered) {
    expect_rejected(check(with(rfc_head(), "Sec-WebSocket-Protocol", "mqtt")),
                    "Sec-WebSocket-Protocol mqtt was not offered");
    expect_rejected(check(with(rfc_head(), "Sec-WebSocket-Protocol", "Chat")),
                    "Sec-WebSocket-Protocol Chat was not offered");
}

TEST(CheckResponse, ClientRejectsSubprotocolWhenNoneWasOffered) {
    expect_rejected(check(rfc_head(), {}), "Sec-WebSocket-Protocol chat was not offered");
}

TEST(CheckResponse, ClientAcceptsOfferedExtensionAndReturnsItsParameters) {
    const http_head head = plus(rfc_head(), "Sec-WebSocket-Extensions",
                                "permessage-deflate; client_max_window_bits=10");
    const response_check result = check(head, rfc_protocols, deflate_offer);
    ASSERT_TRUE(result.ok) << result.reason;
    ASSERT_EQ(result.extensions.size(), 1u);
    EXPECT_EQ(result.extensions[0].name, "permessage-deflate");
    EXPECT_EQ(result.extensions[0].params.at(0).second, "10");
}

TEST(CheckResponse, ClientRejectsExtensionThatWasNotOffered) {
    const http_head head = plus(rfc_head(), "Sec-WebSocket-Extensions", "x-webkit-deflate-frame");
    expect_rejected(check(head, rfc_protocols, deflate_offer),
                    "Sec-WebSocket-Extensions x-webkit-deflate-frame was not offered");
    expect_rejected(check(plus(rfc_head(), "Sec-WebSocket-Extensions", "permessage-deflate")),
                    "Sec-WebSocket-Extensions permessage-deflate was not offered");
}

TEST(CheckResponse, ClientRejectsMalformedExtensions) {
    const http_head head = plus(rfc_head(), "Sec-WebSocket-Extensions", "permessage-deflate;");
    expect_rejected(check(head, rfc_protocols, deflate_offer),
                    "Sec-WebSocket-Extensions is malformed");
}

TEST(CheckResponse, ClientIgnoresOffersThatDoNotParse) {
    const http_head head = plus(rfc_head(), "Sec-WebSocket-Extensions", "x-broken");
    expect_rejected(check(head, rfc_protocols, {"x-broken; =1"}),
                    "Sec-WebSocket-Extensions x-broken was not offered");
}

TEST(BuildResponse, Rfc6455Section1_3ResponseIsWrittenByteForByte) {
    server_response resp;
    resp.accept = compute_accept(rfc_key);
    resp.protocol = "chat";
    EXPECT_EQ(build_response(resp), rfc_response);
}

TEST(BuildResponse, WritesExtensionsAndExtraFields) {
    server_response resp;
    resp.accept = compute_accept(rfc_key);
    resp.extensions = "permessage-deflate; server_no_context_takeover";
    resp.extra = {{"Server", "wsharness"}};
    EXPECT_EQ(build_response(resp),
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
              "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"
              "Server: wsharness\r\n\r\n");
}

TEST(BuildErrorResponse, VersionFailureIs426WithVersion13AndUpgrade) {
    EXPECT_EQ(build_error_response(426, "Sec-WebSocket-Version is not 13"),
              "HTTP/1.1 426 Upgrade Required\r\n"
              "Content-Type: text/plain\r\n"
              "Content-Length: 32\r\n"
              "Upgrade: websocket\r\n"
              "Connection: Upgrade, close\r\n"
              "Sec-WebSocket-Version: 13\r\n"
              "\r\n"
              "Sec-WebSocket-Version is not 13\n");
}

TEST(BuildErrorResponse, BadRequestCarriesVersion13AndClosesTheConnection) {
    EXPECT_EQ(build_error_response(400, "missing Host"),
              "HTTP/1.1 400 Bad Request\r\n"
              "Content-Type: text/plain\r\n"
              "Content-Length: 13\r\n"
              "Connection: close\r\n"
              "Sec-WebSocket-Version: 13\r\n"
              "\r\n"
              "missing Host\n");
}

TEST(BuildErrorResponse, OtherStatusesHaveTheirStandardReasonPhraseAndNoVersion) {
    const std::pair<int, std::string_view> phrases[] = {
        {404, "Not Found"}, {405, "Method Not Allowed"}, {500, "Internal Server Error"},
        {503, "Service Unavailable"}};
    for (const auto& [status, phrase] : phrases) {
        const std::string text = build_error_response(status, "x");
        const http_head head = parse_head(head_kind::response, text);
        EXPECT_EQ(head.status, status);
        EXPECT_EQ(head.reason, phrase);
        EXPECT_EQ(head.count("Sec-WebSocket-Version"), 0u);
        EXPECT_EQ(head.find("Content-Length"), "2");
        EXPECT_TRUE(text.ends_with("\r\n\r\nx\n"));
    }
}

TEST(BuildErrorResponse, ReasonWithALineBreakStaysOneBodyLine) {
    EXPECT_TRUE(build_error_response(400, "a\r\nb").ends_with("\r\n\r\na  b\n"));
}

}  // namespace
}  // namespace wsh::handshake
