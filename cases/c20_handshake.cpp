// SPDX-License-Identifier: MIT
// Category 20, Opening handshake as seen by a server (RFC 6455 §4.2): requests the server must
// refuse with an HTTP error, requests it must accept however they are spelled or delivered, and
// what its 101 may say. Autobahn has no handshake cases; shared/reference/anchors.md §E1 is
// the checklist.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include "codec/frame_encoder.hpp"

#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

// A request as lines with {host}, {target} and {key} placeholders, edited per case.
struct request_shape {
    std::string request_line = "GET {target} HTTP/1.1";
    std::vector<std::string> headers{"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
                                      "Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"};
    std::string after;  // bytes sent right behind the head

    request_shape& line(std::string l)
    {
        request_line = std::move(l);
        return *this;
    }
    request_shape& without(std::string_view name)
    {
        std::erase_if(headers, [&](const std::string& h) { return h.starts_with(std::string(name) + ":"); });
        return *this;
    }
    request_shape& set(std::string_view name, std::string_view value)
    {
        without(name);
        return add(fmt::format("{}: {}", name, value));
    }
    request_shape& add(std::string h)
    {
        headers.push_back(std::move(h));
        return *this;
    }
};

std::string substitute(std::string text, const request_parts& parts)
{
    for (auto [from, to] : {std::pair{"{host}", &parts.host}, {"{target}", &parts.target}, {"{key}", &parts.key}}) {
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to->size()))
            text.replace(at, std::string_view(from).size(), *to);
    }
    return text;
}

std::function<std::string(const request_parts&)> render(request_shape shape)
{
    return [shape = std::move(shape)](const request_parts& parts) {
        std::string out = substitute(shape.request_line, parts) + "\r\n";
        for (const auto& h : shape.headers) out += substitute(h, parts) + "\r\n";
        return out + "\r\n" + shape.after;
    };
}

constexpr const char* refuse_rule =
    "If the server chooses not to accept the connection, it MUST return an appropriate HTTP "
    "error code (RFC 6455 §4.2.2), e.g. 400 Bad Request for a handshake that breaks §4.2.1";

// The server must refuse this request with an HTTP error (any 4xx unless `statuses` is given).
test_case refused(std::string id, std::string summary, request_shape shape, std::vector<int> statuses = {},
                  bool needs_version_header = false, const char* rule = refuse_rule)
{
    return test_case{
        .id = std::move(id),
        .section = "4.2.1",
        .summary = std::move(summary),
        .requirement = rule,
        .applies_to = roles::server,
        .outcomes = {{behavior::ok, {}}},
        .close = target_fails(),
        .handshake = opening_handshake{.request = render(std::move(shape)), .expect_upgrade = false,
                                       .refusal_statuses = std::move(statuses),
                                       .refusal_needs_version_header = needs_version_header},
    };
}

// The server must accept this request (101, checked as in §4.1), then echo a text message.
test_case accepted(std::string id, std::string summary, const char* rule, request_shape shape,
                   std::vector<std::string> offered = {}, std::size_t chop = 0)
{
    auto hello = data("Hello, wsharness");
    return test_case{
        .id = std::move(id),
        .section = "4.2.1",
        .summary = std::move(summary),
        .requirement = rule,
        .applies_to = roles::server,
        .script = {send({text(hello)}), kill_after(2s)},
        .outcomes = {{behavior::ok, {text_message(hello)}}},
        .close = tester_closes(),
        .handshake = opening_handshake{.request = render(std::move(shape)), .chop = chop,
                                       .offered_protocols = std::move(offered)},
    };
}

std::vector<test_case> request_line_cases()
{
    return {
        refused("20.1.1", "Send the upgrade request with method POST; expect an HTTP error",
                request_shape{}.line("POST {target} HTTP/1.1")),
        refused("20.1.2", "Send the upgrade request as HTTP/1.0; expect an HTTP error",
                request_shape{}.line("GET {target} HTTP/1.0"), {400, 426, 505}),
        refused("20.1.3", "Send the upgrade request with method HEAD; expect an HTTP error",
                request_shape{}.line("HEAD {target} HTTP/1.1")),
    };
}

std::vector<test_case> host_cases()
{
    return {
        refused("20.2.1", "Send the upgrade request without Host; expect 400", request_shape{}.without("Host"),
                {400}),
        refused("20.2.2", "Send the upgrade request with Host twice; expect 400",
                request_shape{}.add("Host: {host}"), {400}),
    };
}

constexpr const char* upgrade_rule =
    "The request MUST contain an Upgrade header whose value includes \"websocket\" and a "
    "Connection header that includes the token \"Upgrade\", both case-insensitive (§4.2.1 items 3-4)";

std::vector<test_case> upgrade_cases()
{
    return {
        accepted("20.3.1", "Send Upgrade: WebSocket (mixed case); expect 101 and an echo", upgrade_rule,
                 request_shape{}.set("Upgrade", "WebSocket")),
        accepted("20.3.2", "Send Connection: keep-alive, Upgrade (a token list); expect 101 and an echo",
                 upgrade_rule, request_shape{}.set("Connection", "keep-alive, Upgrade")),
        accepted("20.3.3", "Send Connection: upgrade (lower case); expect 101 and an echo", upgrade_rule,
                 request_shape{}.set("Connection", "upgrade")),
        refused("20.3.4", "Send the request without Upgrade; expect an HTTP error", request_shape{}.without("Upgrade"),
                {}, false, upgrade_rule),
        refused("20.3.5", "Send the request without Connection; expect an HTTP error",
                request_shape{}.without("Connection"), {}, false, upgrade_rule),
        refused("20.3.6", "Send Upgrade: h2c instead of websocket; expect an HTTP error",
                request_shape{}.set("Upgrade", "h2c"), {}, false, upgrade_rule),
        refused("20.3.7", "Send Connection: keep-alive without the Upgrade token; expect an HTTP error",
                request_shape{}.set("Connection", "keep-alive"), {}, false, upgrade_rule),
    };
}

constexpr const char* key_rule =
    "A Sec-WebSocket-Key header field with a base64-encoded value that, when decoded, is 16 bytes "
    "in length (§4.2.1 item 5); it MUST NOT appear more than once (§11.3.1)";

std::vector<test_case> key_cases()
{
    auto with_key = [](std::string_view k) { return request_shape{}.set("Sec-WebSocket-Key", k); };
    return {
        refused("20.4.1", "Send the request without Sec-WebSocket-Key; expect 400",
                request_shape{}.without("Sec-WebSocket-Key"), {400}, false, key_rule),
        refused("20.4.2", "Send a Sec-WebSocket-Key that is not base64; expect 400", with_key("not base64 at all!!!!!"),
                {400}, false, key_rule),
        refused("20.4.3", "Send a Sec-WebSocket-Key of 15 bytes; expect 400", with_key("AAAAAAAAAAAAAAAAAAAA"), {400},
                false, key_rule),
        refused("20.4.4", "Send a Sec-WebSocket-Key of 17 bytes; expect 400", with_key("AAAAAAAAAAAAAAAAAAAAAAA="),
                {400}, false, key_rule),
        refused("20.4.5", "Send an empty Sec-WebSocket-Key; expect 400", with_key(""), {400}, false, key_rule),
        refused("20.4.6", "Send Sec-WebSocket-Key twice; expect 400",
                request_shape{}.add("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="), {400}, false, key_rule),
    };
}

constexpr const char* version_rule =
    "If the version is not 13, the server MUST abort the handshake with an appropriate HTTP error "
    "code (such as 426 Upgrade Required) and a Sec-WebSocket-Version header listing the versions "
    "it understands (§4.2.2, §4.4)";

std::vector<test_case> version_cases()
{
    auto with_version = [](std::string_view v) { return request_shape{}.set("Sec-WebSocket-Version", v); };
    return {
        // Not 8 or 7: servers may still speak the hybi drafts that used them (§4.2.2 lets a
        // server accept any version it understands).
        refused("20.5.1", "Send Sec-WebSocket-Version: 99; expect 400 or 426 naming version 13", with_version("99"),
                {400, 426}, true, version_rule),
        refused("20.5.2", "Send Sec-WebSocket-Version: 14; expect 400 or 426 naming version 13", with_version("14"),
                {400, 426}, true, version_rule),
        refused("20.5.3", "Send no Sec-WebSocket-Version; expect 400 or 426 naming version 13",
                request_shape{}.without("Sec-WebSocket-Version"), {400, 426}, true, version_rule),
    };
}

constexpr const char* protocol_rule =
    "The server selects one or none of the subprotocols the client offered; it MUST NOT select one "
    "that was not offered, nor send Sec-WebSocket-Protocol more than once (§4.2.2, §11.3.4)";
constexpr const char* extension_rule =
    "The server MUST only use extensions the client offered and it supports; an unknown extension "
    "is ignored, never accepted (§9.1)";
constexpr const char* delivery_rule =
    "The handshake is an HTTP request; a server reads it however TCP delivers it, and data frames "
    "may follow the request at once (§4.1, §4.2.1)";

std::vector<test_case> negotiation_cases()
{
    return {
        accepted("20.6.1", "Offer subprotocols chat and superchat; expect one of them or none", protocol_rule,
                 request_shape{}.add("Sec-WebSocket-Protocol: chat, superchat"), {"chat", "superchat"}),
        accepted("20.6.2", "Offer an unknown subprotocol; expect it or none, once", protocol_rule,
                 request_shape{}.add("Sec-WebSocket-Protocol: x-wsharness-unknown"), {"x-wsharness-unknown"}),
        accepted("20.6.3", "Offer two subprotocols in two headers; expect one of them or none", protocol_rule,
                 request_shape{}.add("Sec-WebSocket-Protocol: chat").add("Sec-WebSocket-Protocol: superchat"),
                 {"chat", "superchat"}),
        accepted("20.7.1", "Offer an unknown extension; expect it to be ignored (no Sec-WebSocket-Extensions)",
                 extension_rule, request_shape{}.add("Sec-WebSocket-Extensions: x-wsharness-unknown; level=3")),
    };
}

std::vector<test_case> delivery_cases()
{
    std::string padding(4000, 'a');
    request_shape many;
    for (int i = 0; i < 100; ++i) many.add(fmt::format("X-Wsharness-Pad-{}: {}", i, i));
    auto pipelined_payload = data("sent right behind the request");
    auto frame = codec::encode_frame(
        codec::frame_spec{.opcode = 0x1, .mask = std::array<std::uint8_t, 4>{0x11, 0x22, 0x33, 0x44}},
        *pipelined_payload);
    request_shape pipelined;
    pipelined.after.assign(frame.begin(), frame.end());
    auto pipelined_case = accepted("20.9.4", "Send a masked text frame in the same write as the request; expect its echo",
                                   delivery_rule, pipelined);
    pipelined_case.script = {kill_after(2s)};
    pipelined_case.outcomes = {{behavior::ok, {text_message(pipelined_payload)}}};
    return {
        accepted("20.8.1", "Send an ordinary request; expect 101 with Sec-WebSocket-Accept of the key, once",
                 "Sec-WebSocket-Accept is base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)), "
                 "and appears once (§4.2.2, §11.3.3)",
                 request_shape{}),
        accepted("20.9.1", "Send the request one byte per write; expect 101 and an echo", delivery_rule,
                 request_shape{}, {}, 1),
        accepted("20.9.2", "Send a request with a 4000-byte header value; expect 101 and an echo", delivery_rule,
                 request_shape{}.add("X-Wsharness-Long: " + padding)),
        accepted("20.9.3", "Send a request with 100 extra header fields; expect 101 and an echo", delivery_rule,
                 many),
        pipelined_case,
    };
}

}  // namespace

std::vector<test_case> opening_handshake_server()
{
    std::vector<test_case> all;
    for (auto part : {request_line_cases, host_cases, upgrade_cases, key_cases, version_cases, negotiation_cases,
                      delivery_cases}) {
        auto cases = part();
        std::move(cases.begin(), cases.end(), std::back_inserter(all));
    }
    return all;
}

}  // namespace wsh::cases
