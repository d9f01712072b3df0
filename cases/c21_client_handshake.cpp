// SPDX-License-Identifier: MIT
// Category 21, Opening handshake as seen by a client (RFC 6455 §4.1): test-client answers the
// client's upgrade request with an answer that breaks exactly one rule, followed by a text
// frame. The client must _Fail the WebSocket Connection_: send nothing (no echo, no Close) and
// close the connection. shared/reference/anchors.md §E1 is the checklist.
#include "cases/catalogue.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;

namespace {

// An answer as lines with {accept} and {key} placeholders, edited per case; by default a valid
// 101 (RFC 6455 §4.2.2).
struct answer_shape {
    std::string status_line = "HTTP/1.1 101 Switching Protocols";
    std::vector<std::string> headers{"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: {accept}"};

    answer_shape& status(std::string line)
    {
        status_line = std::move(line);
        return *this;
    }
    answer_shape& without(std::string_view name)
    {
        std::erase_if(headers, [&](const std::string& h) { return h.starts_with(std::string(name) + ":"); });
        return *this;
    }
    answer_shape& set(std::string_view name, std::string_view value)
    {
        without(name);
        return add(fmt::format("{}: {}", name, value));
    }
    answer_shape& add(std::string h)
    {
        headers.push_back(std::move(h));
        return *this;
    }
};

// A name the client did not offer (the offer is whatever the client under test sends).
std::string unoffered(const std::vector<std::string>& offered)
{
    std::string name = "x-wsharness-unoffered";
    while (std::find(offered.begin(), offered.end(), name) != offered.end()) name += "-x";
    return name;
}

std::function<std::string(const response_parts&)> render(answer_shape shape)
{
    return [shape = std::move(shape)](const response_parts& parts) {
        std::string out = shape.status_line + "\r\n";
        for (auto h : shape.headers) {
            for (auto [from, to] : {std::pair<std::string_view, std::string>{"{accept}", parts.accept},
                                    {"{key}", parts.key},
                                    {"{protocol}", unoffered(parts.offered_protocols)},
                                    {"{extension}", unoffered(parts.offered_extensions)}}) {
                if (auto at = h.find(from); at != std::string::npos) h.replace(at, from.size(), to);
            }
            out += h + "\r\n";
        }
        return out + "\r\n";
    };
}

constexpr const char* fail_rule =
    "If the server's response does not conform to the requirements of the handshake, the client "
    "MUST _Fail the WebSocket Connection_ (RFC 6455 §4.1), which closes it without sending a frame";

test_case refused(std::string id, std::string section, std::string summary, std::string rule, answer_shape shape,
                  level lvl = level::must, bool may_stay_open = false)
{
    return test_case{
        .id = std::move(id),
        .section = std::move(section),
        .summary = std::move(summary),
        .requirement = std::move(rule),
        .requirement_level = lvl,
        .applies_to = roles::client,
        .outcomes = {{behavior::ok, {}}},
        .handshake = opening_handshake{.expect_upgrade = false,
                                       .response = render(std::move(shape)),
                                       .client_may_stay_open = may_stay_open},
    };
}

constexpr const char* status_rule =
    "If the status code received from the server is not 101, the client handles the response per "
    "HTTP procedures (RFC 6455 §4.1 item 1): the connection is not a WebSocket connection, whatever "
    "upgrade headers come with it; no frame may be sent on it";

std::vector<test_case> status_cases()
{
    auto non_101 = [](std::string id, std::string summary, std::string line, answer_shape shape = {}) {
        return refused(std::move(id), "4.1", std::move(summary), status_rule, shape.status(std::move(line)),
                       level::must, true);
    };
    return {
        non_101("21.1.1", "Answer 200 OK with valid upgrade headers; expect no frame from the client",
                "HTTP/1.1 200 OK", answer_shape{}.add("Content-Length: 0")),
        non_101("21.1.2", "Answer 400 Bad Request with valid upgrade headers; expect no frame from the client",
                "HTTP/1.1 400 Bad Request", answer_shape{}.add("Content-Length: 0")),
        non_101("21.1.3", "Answer 302 Found (Location: /wsharness-redirect) with valid upgrade headers; expect no frame",
                "HTTP/1.1 302 Found", answer_shape{}.add("Location: /wsharness-redirect").add("Content-Length: 0")),
        non_101("21.1.4", "Answer 426 Upgrade Required with valid upgrade headers; expect no frame from the client",
                "HTTP/1.1 426 Upgrade Required", answer_shape{}.add("Content-Length: 0")),
        refused("21.1.5", "4.1",
                "Answer HTTP/1.0 101 with valid upgrade headers; expect the client to fail the connection",
                "101 and Upgrade are HTTP/1.1 mechanisms: HTTP/1.0 defines no 1xx status (RFC 9110 §15.2) "
                "and ignores Upgrade (§7.8), so an HTTP/1.0 answer switches no protocol; RFC 6455 §4.1 "
                "gives no explicit client rule for the version, hence SHOULD",
                answer_shape{}.status("HTTP/1.0 101 Switching Protocols"), level::should),
    };
}

constexpr const char* upgrade_rule =
    "If the response lacks an |Upgrade| header field or the |Upgrade| header field contains a value "
    "that is not an ASCII case-insensitive match for the value \"websocket\", the client MUST _Fail "
    "the WebSocket Connection_ (RFC 6455 §4.1 item 2)";
constexpr const char* connection_rule =
    "If the response lacks a |Connection| header field or the |Connection| header field doesn't "
    "contain a token that is an ASCII case-insensitive match for the value \"Upgrade\", the client "
    "MUST _Fail the WebSocket Connection_ (RFC 6455 §4.1 item 3)";

std::vector<test_case> header_cases()
{
    return {
        refused("21.2.1", "4.1", "Answer 101 without Upgrade; expect the client to fail the connection", upgrade_rule,
                answer_shape{}.without("Upgrade")),
        refused("21.2.2", "4.1", "Answer 101 with Upgrade: h2c; expect the client to fail the connection", upgrade_rule,
                answer_shape{}.set("Upgrade", "h2c")),
        refused("21.2.3", "4.1", "Answer 101 without Connection; expect the client to fail the connection",
                connection_rule, answer_shape{}.without("Connection")),
        refused("21.2.4", "4.1",
                "Answer 101 with Connection: keep-alive (no Upgrade token); expect the client to fail the connection",
                connection_rule, answer_shape{}.set("Connection", "keep-alive")),
    };
}

constexpr const char* accept_rule =
    "If the response lacks a |Sec-WebSocket-Accept| header field or the |Sec-WebSocket-Accept| "
    "contains a value other than the base64-encoded SHA-1 of the concatenation of the "
    "|Sec-WebSocket-Key| with the string \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\", the client MUST "
    "_Fail the WebSocket Connection_ (RFC 6455 §4.1 item 4)";
constexpr const char* accept_once_rule =
    "The |Sec-WebSocket-Accept| header field MUST NOT appear more than once in an HTTP response "
    "(RFC 6455 §11.3.3); two fields combine into one value \"a, a\" (RFC 9110 §5.3), which is not "
    "the expected value (§4.1 item 4)";

std::vector<test_case> accept_cases()
{
    // The RFC's own example: the accept of the key "dGhlIHNhbXBsZSBub25jZQ==" (§1.3).
    const std::string other_key_accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    return {
        refused("21.3.1", "4.1", "Answer 101 without Sec-WebSocket-Accept; expect the client to fail the connection",
                accept_rule, answer_shape{}.without("Sec-WebSocket-Accept")),
        refused("21.3.2", "4.1",
                "Answer 101 with the accept of another key (RFC 6455's example); expect the client to fail the connection",
                accept_rule, answer_shape{}.set("Sec-WebSocket-Accept", other_key_accept)),
        refused("21.3.3", "4.1",
                "Answer 101 with the client's key itself as the accept; expect the client to fail the connection",
                accept_rule, answer_shape{}.set("Sec-WebSocket-Accept", "{key}")),
        refused("21.3.4", "4.1", "Answer 101 with an empty Sec-WebSocket-Accept; expect the client to fail the connection",
                accept_rule, answer_shape{}.set("Sec-WebSocket-Accept", "")),
        refused("21.3.5", "11.3.3",
                "Answer 101 with the right Sec-WebSocket-Accept twice; expect the client to fail the connection",
                accept_once_rule, answer_shape{}.add("Sec-WebSocket-Accept: {accept}")),
        refused("21.3.6", "11.3.3",
                "Answer 101 with the right Sec-WebSocket-Accept, then a wrong one; expect the client to fail the connection",
                accept_once_rule, answer_shape{}.add("Sec-WebSocket-Accept: " + other_key_accept)),
    };
}

constexpr const char* protocol_rule =
    "If the response includes a |Sec-WebSocket-Protocol| header field and this header field "
    "indicates the use of a subprotocol that was not present in the client's handshake, the client "
    "MUST _Fail the WebSocket Connection_ (RFC 6455 §4.1 item 6)";
constexpr const char* extension_rule =
    "If the response includes a |Sec-WebSocket-Extensions| header field and this header field "
    "indicates the use of an extension that was not present in the client's handshake, the client "
    "MUST _Fail the WebSocket Connection_ (RFC 6455 §4.1 item 5)";

std::vector<test_case> negotiation_cases()
{
    return {
        refused("21.4.1", "4.1",
                "Answer 101 selecting a subprotocol the client did not offer; expect the client to fail the connection",
                protocol_rule, answer_shape{}.add("Sec-WebSocket-Protocol: {protocol}")),
        refused("21.4.2", "4.1",
                "Answer 101 with an extension the client did not offer; expect the client to fail the connection",
                extension_rule, answer_shape{}.add("Sec-WebSocket-Extensions: {extension}")),
    };
}

}  // namespace

std::vector<test_case> opening_handshake_client()
{
    std::vector<test_case> all;
    for (auto part : {status_cases, header_cases, accept_cases, negotiation_cases}) {
        auto cases = part();
        std::move(cases.begin(), cases.end(), std::back_inserter(all));
    }
    return all;
}

}  // namespace wsh::cases
