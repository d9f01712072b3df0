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
using testing::rfc_request;
using testing::with;
using testing::without;

http_head rfc_head() { return parse_head(head_kind::request, rfc_request); }

void expect_rejected(const http_head& head, int status, std::string_view reason) {
    const request_check check = check_request(head);
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.status, status);
    EXPECT_EQ(check.reason, reason);
}

TEST(CheckRequest, Rfc6455Section1_3RequestIsAccepted) {
    const request_check check = check_request(rfc_head());
    ASSERT_TRUE(check.ok) << check.reason;
    EXPECT_EQ(check.status, 101);
    EXPECT_EQ(check.key, rfc_key);
    EXPECT_EQ(check.protocols, (std::vector<std::string>{"chat", "superchat"}));
    EXPECT_TRUE(check.extensions.empty());
}

TEST(CheckRequest, ServerRejectsMethodOtherThanGetWith400) {
    http_head head = rfc_head();
    head.method = "POST";
    expect_rejected(head, 400, "method is not GET");
    head.method = "get";
    expect_rejected(head, 400, "method is not GET");
}

TEST(CheckRequest, ServerRejectsHttpVersionBelow1_1) {
    http_head head = rfc_head();
    head.version = "HTTP/1.0";
    expect_rejected(head, 400, "HTTP version is below 1.1");
    head.version = "HTTP/0.9";
    expect_rejected(head, 400, "HTTP version is below 1.1");
}

TEST(CheckRequest, ServerAcceptsHttpVersionsAbove1_1) {
    http_head head = rfc_head();
    head.version = "HTTP/1.2";
    EXPECT_TRUE(check_request(head).ok);
    head.version = "HTTP/2.0";
    EXPECT_TRUE(check_request(head).ok);
}

TEST(CheckRequest, ServerRejectsMissingHost) {
    expect_rejected(without(rfc_head(), "Host"), 400, "missing Host");
}

TEST(CheckRequest, ServerRejectsMoreThanOneHost) {
    expect_rejected(plus(rfc_head(), "host", "other.example.com"), 400, "more than one Host");
}

TEST(CheckRequest, ServerRejectsMissingUpgrade) {
    expect_rejected(without(rfc_head(), "Upgrade"), 400, "Upgrade does not contain websocket");
}

TEST(CheckRequest, ServerRejectsUpgradeWithoutWebsocket) {
    expect_rejected(with(rfc_head(), "Upgrade", "h2c"), 400, "Upgrade does not contain websocket");
    expect_rejected(with(rfc_head(), "Upgrade", "websockets"), 400,
                    "Upgrade does not contain websocket");
}

TEST(CheckRequest, ServerAcceptsWebsocketInAnyCaseAndInAList) {
    EXPECT_TRUE(check_request(with(rfc_head(), "Upgrade", "WebSocket")).ok);
    EXPECT_TRUE(check_request(with(rfc_head(), "Upgrade", "h2c, websocket")).ok);
}

TEST(CheckRequest, ServerRejectsMissingConnection) {
    expect_rejected(without(rfc_head(), "Connection"), 400, "Connection does not contain Upgrade");
}

TEST(CheckRequest, ServerRejectsConnectionWithoutUpgrade) {
    expect_rejected(with(rfc_head(), "Connection", "keep-alive"), 400,
                    "Connection does not contain Upgrade");
}

TEST(CheckRequest, ServerAcceptsUpgradeAnywhereInTheConnectionList) {
    EXPECT_TRUE(check_request(with(rfc_head(), "Connection", "keep-alive, Upgrade")).ok);
    EXPECT_TRUE(check_request(with(rfc_head(), "Connection", "upgrade")).ok);
    const http_head split = plus(with(rfc_head(), "Connection", "keep-alive"), "connection",
                                 "UPGRADE");
    EXPECT_TRUE(check_request(split).ok);
}

TEST(CheckRequest, ServerRejectsMissingKey) {
    expect_rejected(without(rfc_head(), "Sec-WebSocket-Key"), 400, "missing Sec-WebSocket-Key");
}

TEST(CheckRequest, ServerRejectsMoreThanOneKey) {
    expect_rejected(plus(rfc_head(), "Sec-WebSocket-Key", rfc_key), 400,
                    "more than one Sec-WebSocket-Key");
}

TEST(CheckRequest, ServerRejectsKeyThatIsNot16BytesOfBase64) {
    for (const std::string_view key : {"", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZWVl",
                                       "dGhlIHNhbXBsZSBub25jZR==", "dGhlIHNhbXBsZSBub25j!Q=="}) {
        SCOPED_TRACE(key);
        expect_rejected(with(rfc_head(), "Sec-WebSocket-Key", key), 400,
                        "Sec-WebSocket-Key is not 16 bytes in base64");
    }
}

TEST(CheckRequest, ServerRejectsMissingVersionWith426) {
    expect_rejected(without(rfc_head(), "Sec-WebSocket-Version"), 426,
                    "missing Sec-WebSocket-Version");
}

TEST(CheckRequest, ServerRejectsVersionOtherThan13With426) {
    for (const std::string_view version : {"8", "12", "14", "013", "13, 8", ""}) {
        SCOPED_TRACE(version);
        expect_rejected(with(rfc_head(), "Sec-WebSocket-Version", version), 426,
                        "Sec-WebSocket-Version is not 13");
    }
}

TEST(CheckRequest, ServerRejectsRepeatedVersionWith426) {
    expect_rejected(plus(rfc_head(), "Sec-WebSocket-Version", "13"), 426,
                    "Sec-WebSocket-Version is not 13");
}

TEST(CheckRequest, ServerRejectsSubprotocolThatIsNotAToken) {
    expect_rejected(with(rfc_head(), "Sec-WebSocket-Protocol", "chat, super chat"), 400,
                    "Sec-WebSocket-Protocol contains a value that is not a token");
    expect_rejected(with(rfc_head(), "Sec-WebSocket-Protocol", "v1/json"), 400,
                    "Sec-WebSocket-Protocol contains a value that is not a token");
}

TEST(CheckRequest, ServerJoinsRepeatedSubprotocolFieldsInOrder) {
    const request_check check =
        check_request(plus(with(rfc_head(), "Sec-WebSocket-Protocol", "a, b"),
                           "sec-websocket-protocol", "c"));
    ASSERT_TRUE(check.ok) << check.reason;
    EXPECT_EQ(check.protocols, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(CheckRequest, ServerRejectsMalformedExtensionsWith400) {
    expect_rejected(plus(rfc_head(), "Sec-WebSocket-Extensions", "permessage-deflate; =1"), 400,
                    "Sec-WebSocket-Extensions is malformed");
}

TEST(CheckRequest, ServerParsesExtensionsAcrossRepeatedFields) {
    const http_head head =
        plus(plus(rfc_head(), "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
             "sec-websocket-extensions", "x-foo; a=\"1\"");
    const request_check check = check_request(head);
    ASSERT_TRUE(check.ok) << check.reason;
    ASSERT_EQ(check.extensions.size(), 2u);
    EXPECT_EQ(check.extensions[0].name, "permessage-deflate");
    EXPECT_EQ(check.extensions[1].name, "x-foo");
    EXPECT_EQ(check.extensions[1].params.at(0).second, "1");
}

TEST(CheckRequest, ServerMatchesHeaderNamesCaseInsensitively) {
    const std::string lower =
        "GET /chat HTTP/1.1\r\nhost: h\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
        "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nSEC-WEBSOCKET-VERSION: 13\r\n\r\n";
    const request_check check = check_request(parse_head(head_kind::request, lower));
    EXPECT_TRUE(check.ok) << check.reason;
    EXPECT_EQ(check.key, rfc_key);
}

TEST(BuildRequest, WritesTheUpgradeRequestWithCrlfLineEndings) {
    client_request req;
    req.host = "server.example.com";
    req.target = "/chat";
    req.key = std::string{rfc_key};
    req.protocols = {"chat", "superchat"};
    req.extensions = {"permessage-deflate; client_max_window_bits", "x-foo"};
    req.extra = {{"Origin", "http://example.com"}};
    EXPECT_EQ(build_request(req),
              "GET /chat HTTP/1.1\r\n"
              "Host: server.example.com\r\n"
              "Upgrade: websocket\r\n"
              "Connection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "Sec-WebSocket-Version: 13\r\n"
              "Sec-WebSocket-Protocol: chat, superchat\r\n"
              "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-foo\r\n"
              "Origin: http://example.com\r\n"
              "\r\n");
}

TEST(BuildRequest, OmitsProtocolAndExtensionsWhenNoneAreAskedFor) {
    client_request req;
    req.host = "h:8080";
    req.key = std::string{rfc_key};
    EXPECT_EQ(build_request(req),
              "GET / HTTP/1.1\r\nHost: h:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
}

TEST(BuildRequest, BuiltRequestPassesTheServerChecks) {
    client_request req;
    req.host = "h";
    req.key = std::string{rfc_key};
    req.protocols = {"chat"};
    req.extensions = {"permessage-deflate; server_max_window_bits=10"};
    const request_check check = check_request(parse_head(head_kind::request, build_request(req)));
    ASSERT_TRUE(check.ok) << check.reason;
    EXPECT_EQ(check.protocols, req.protocols);
    ASSERT_EQ(check.extensions.size(), 1u);
    EXPECT_EQ(check.extensions[0].params.at(0).second, "10");
}

}  // namespace
}  // namespace wsh::handshake
