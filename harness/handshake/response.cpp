// SPDX-License-Identifier: MIT
// RFC 6455 §4.2.2 (building) and §4.1 (checking) the server's opening handshake.
#include "handshake/handshake.hpp"

#include "handshake/fields.hpp"
#include "handshake/text.hpp"

#include <algorithm>

namespace wsh::handshake {
namespace {

// RFC 9110 §15: the reason phrases of the statuses the harness answers with.
std::string_view reason_phrase(int status) {
    switch (status) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 426: return "Upgrade Required";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

// The reason text becomes the body; a CR or LF in it would end the body line early.
std::string to_one_line(std::string_view text) {
    std::string out{text};
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return out;
}

response_check fail(std::string reason) {
    response_check check;
    check.reason = std::move(reason);
    return check;
}

// The names of the extensions the client offered. An offer that does not parse (the harness
// may send broken offers on purpose) contributes no name, so nothing can match it.
std::vector<std::string> offered_names(std::span<const std::string> offered_extensions) {
    std::vector<std::string> names;
    for (const std::string& offer : offered_extensions) {
        if (auto parsed = parse_extensions(offer)) {
            for (extension_offer& e : *parsed) {
                names.push_back(std::move(e.name));
            }
        }
    }
    return names;
}

}  // namespace

std::string build_response(const server_response& resp) {
    std::string out = "HTTP/1.1 101 Switching Protocols\r\n";
    detail::append_field(out, "Upgrade", "websocket");
    detail::append_field(out, "Connection", "Upgrade");
    detail::append_field(out, "Sec-WebSocket-Accept", resp.accept);
    if (resp.protocol) {
        detail::append_field(out, "Sec-WebSocket-Protocol", *resp.protocol);
    }
    if (resp.extensions) {
        detail::append_field(out, "Sec-WebSocket-Extensions", *resp.extensions);
    }
    for (const header_field& f : resp.extra) {
        detail::append_field(out, f.name, f.value);
    }
    out += "\r\n";
    return out;
}

// RFC 6455 §4.4: a version failure carries Sec-WebSocket-Version: 13; it is also sent on 400
// so that a client rejected for a missing or broken version header learns the version too.
// RFC 9110 §15.5.22: a 426 MUST carry Upgrade, and §7.8 then asks for Connection: upgrade.
std::string build_error_response(int status, std::string_view reason) {
    const std::string body = to_one_line(reason) + "\n";
    std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
    out.append(reason_phrase(status)).append("\r\n");
    detail::append_field(out, "Content-Type", "text/plain");
    detail::append_field(out, "Content-Length", std::to_string(body.size()));
    if (status == 426) {
        detail::append_field(out, "Upgrade", "websocket");
        detail::append_field(out, "Connection", "Upgrade, close");
    } else {
        detail::append_field(out, "Connection", "close");
    }
    if (status == 426 || status == 400) {
        detail::append_field(out, "Sec-WebSocket-Version", "13");
    }
    out += "\r\n";
    out += body;
    return out;
}

namespace {

// RFC 6455 §4.1 client items 1-4: status, Upgrade, Connection and the accept value.
std::optional<response_check> check_upgrade(const http_head& resp, std::string_view key) {
    // RFC 6455 §4.1 item 1: any status other than 101 ends the handshake.
    if (resp.status != 101) {
        return fail("status is " + std::to_string(resp.status) + ", not 101");
    }
    // RFC 6455 §4.1 item 2: |Upgrade| must be "websocket", case-insensitively.
    if (!resp.has_token("Upgrade", "websocket")) {
        return fail("Upgrade does not contain websocket");
    }
    // RFC 6455 §4.1 item 3: |Connection| must contain "Upgrade", case-insensitively.
    if (!resp.has_token("Connection", "upgrade")) {
        return fail("Connection does not contain Upgrade");
    }
    // RFC 6455 §4.1 item 4: exactly one |Sec-WebSocket-Accept|, equal to the expected value.
    if (resp.count("Sec-WebSocket-Accept") == 0) {
        return fail("missing Sec-WebSocket-Accept");
    }
    if (resp.count("Sec-WebSocket-Accept") > 1) {
        return fail("more than one Sec-WebSocket-Accept");
    }
    if (*resp.find("Sec-WebSocket-Accept") != compute_accept(key)) {
        return fail("Sec-WebSocket-Accept does not match the key");
    }
    return std::nullopt;
}

// RFC 6455 §4.1 item 6: the subprotocol, if any, is one value the client offered. Names are
// compared exactly: §4.1 speaks of "a subprotocol that was not present", not of tokens.
std::optional<response_check> check_protocol(const http_head& resp,
                                             std::span<const std::string> offered,
                                             response_check& check) {
    if (resp.count("Sec-WebSocket-Protocol") == 0) {
        return std::nullopt;
    }
    const std::vector<std::string> values = resp.list("Sec-WebSocket-Protocol");
    // RFC 6455 §4.2.2 item 5: the server answers with a single subprotocol.
    if (values.size() != 1) {
        return fail("Sec-WebSocket-Protocol does not hold exactly one value");
    }
    // RFC 6455 §4.1 item 6: a subprotocol that was not offered fails the connection.
    if (std::find(offered.begin(), offered.end(), values.front()) == offered.end()) {
        return fail("Sec-WebSocket-Protocol " + values.front() + " was not offered");
    }
    check.protocol = values.front();
    return std::nullopt;
}

// RFC 6455 §4.1 item 5: every extension in use was offered. Names compare exactly.
std::optional<response_check> check_extensions(const http_head& resp,
                                               std::span<const std::string> offered,
                                               response_check& check) {
    auto extensions = parse_extensions(detail::join_values(resp, "Sec-WebSocket-Extensions"));
    // RFC 6455 §9.1: the extension list must follow the grammar.
    if (!extensions) {
        return fail("Sec-WebSocket-Extensions is malformed");
    }
    const std::vector<std::string> names = offered_names(offered);
    for (const extension_offer& e : *extensions) {
        // RFC 6455 §4.1 item 5: an extension the client did not offer fails the connection.
        if (std::find(names.begin(), names.end(), e.name) == names.end()) {
            return fail("Sec-WebSocket-Extensions " + e.name + " was not offered");
        }
    }
    check.extensions = std::move(*extensions);
    return std::nullopt;
}

}  // namespace

response_check check_response(const http_head& resp, std::string_view key,
                              std::span<const std::string> offered_protocols,
                              std::span<const std::string> offered_extensions) {
    response_check check;
    if (auto failed = check_upgrade(resp, key)) {
        return *failed;
    }
    if (auto failed = check_protocol(resp, offered_protocols, check)) {
        return *failed;
    }
    if (auto failed = check_extensions(resp, offered_extensions, check)) {
        return *failed;
    }
    check.ok = true;
    return check;
}

}  // namespace wsh::handshake
