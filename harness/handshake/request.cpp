// SPDX-License-Identifier: MIT
// RFC 6455 §4.1 (building) and §4.2.1 (checking) the client's opening handshake.
#include "handshake/handshake.hpp"

#include "handshake/fields.hpp"
#include "handshake/text.hpp"

#include <algorithm>

namespace wsh::handshake {

namespace detail {

std::string join_values(const http_head& head, std::string_view name) {
    std::string out;
    for (const header_field& f : head.fields) {
        if (iequals(f.name, name)) {
            out.append(out.empty() ? "" : ", ").append(f.value);
        }
    }
    return out;
}

bool is_http_1_1_or_later(std::string_view version) {
    if (version.size() != 8 || !version.starts_with("HTTP/")) {
        return false;
    }
    return version[5] > '1' || (version[5] == '1' && version[7] >= '1');
}

}  // namespace detail

std::string build_request(const client_request& req) {
    std::string out = "GET " + req.target + " HTTP/1.1\r\n";
    detail::append_field(out, "Host", req.host);
    detail::append_field(out, "Upgrade", "websocket");
    detail::append_field(out, "Connection", "Upgrade");
    detail::append_field(out, "Sec-WebSocket-Key", req.key);
    detail::append_field(out, "Sec-WebSocket-Version", "13");
    auto join = [](const std::vector<std::string>& items) {
        std::string joined;
        for (const std::string& item : items) {
            joined.append(joined.empty() ? "" : ", ").append(item);
        }
        return joined;
    };
    if (!req.protocols.empty()) {
        detail::append_field(out, "Sec-WebSocket-Protocol", join(req.protocols));
    }
    if (!req.extensions.empty()) {
        detail::append_field(out, "Sec-WebSocket-Extensions", join(req.extensions));
    }
    for (const header_field& f : req.extra) {
        detail::append_field(out, f.name, f.value);
    }
    out += "\r\n";
    return out;
}

namespace {

request_check reject(int status, std::string reason) {
    request_check check;
    check.status = status;
    check.reason = std::move(reason);
    return check;
}

// RFC 6455 §4.2.1 items 1-4: the HTTP envelope (method, version, Host, Upgrade, Connection).
// A method other than GET is answered 400, not 405: §4.2.1 asks for "an appropriate HTTP
// error code (such as 400 Bad Request)", and a 405 would need an Allow field (RFC 9110
// §15.5.6) that build_error_response does not write.
std::optional<request_check> check_envelope(const http_head& req) {
    // RFC 6455 §4.2.1 item 1: "An HTTP/1.1 or higher GET request".
    if (req.method != "GET") {
        return reject(400, "method is not GET");
    }
    // RFC 6455 §4.2.1 item 1: HTTP/1.1 or higher.
    if (!detail::is_http_1_1_or_later(req.version)) {
        return reject(400, "HTTP version is below 1.1");
    }
    // RFC 6455 §4.2.1 item 2: a |Host| header field (RFC 9112 §3.2: exactly one).
    if (req.count("Host") == 0) {
        return reject(400, "missing Host");
    }
    if (req.count("Host") > 1) {
        return reject(400, "more than one Host");
    }
    // RFC 6455 §4.2.1 item 3: |Upgrade| containing "websocket", case-insensitively.
    if (!req.has_token("Upgrade", "websocket")) {
        return reject(400, "Upgrade does not contain websocket");
    }
    // RFC 6455 §4.2.1 item 4: |Connection| containing the token "Upgrade".
    if (!req.has_token("Connection", "upgrade")) {
        return reject(400, "Connection does not contain Upgrade");
    }
    return std::nullopt;
}

// RFC 6455 §4.2.1 items 5-6: the key and the version.
std::optional<request_check> check_key_and_version(const http_head& req) {
    // RFC 6455 §4.2.1 item 5: one |Sec-WebSocket-Key| holding 16 base64-encoded bytes.
    if (req.count("Sec-WebSocket-Key") == 0) {
        return reject(400, "missing Sec-WebSocket-Key");
    }
    if (req.count("Sec-WebSocket-Key") > 1) {
        return reject(400, "more than one Sec-WebSocket-Key");
    }
    if (!is_valid_client_key(*req.find("Sec-WebSocket-Key"))) {
        return reject(400, "Sec-WebSocket-Key is not 16 bytes in base64");
    }
    // RFC 6455 §4.2.1 item 6 and §4.4: version 13, else 426 with Sec-WebSocket-Version: 13.
    // A missing header is answered 426 as well: it is also "a version the server does not
    // understand", and the 426 tells the client which one it does.
    if (req.count("Sec-WebSocket-Version") == 0) {
        return reject(426, "missing Sec-WebSocket-Version");
    }
    if (req.count("Sec-WebSocket-Version") > 1 || *req.find("Sec-WebSocket-Version") != "13") {
        return reject(426, "Sec-WebSocket-Version is not 13");
    }
    return std::nullopt;
}

}  // namespace

request_check check_request(const http_head& req) {
    if (auto failed = check_envelope(req)) {
        return *failed;
    }
    if (auto failed = check_key_and_version(req)) {
        return *failed;
    }
    request_check check;
    check.protocols = req.list("Sec-WebSocket-Protocol");
    // RFC 6455 §4.1 item 10: subprotocol values are tokens (characters U+0021 to U+007E
    // without separators).
    if (!std::all_of(check.protocols.begin(), check.protocols.end(), detail::is_token)) {
        return reject(400, "Sec-WebSocket-Protocol contains a value that is not a token");
    }
    auto extensions = parse_extensions(detail::join_values(req, "Sec-WebSocket-Extensions"));
    // RFC 6455 §9.1: the extension list must follow the grammar.
    if (!extensions) {
        return reject(400, "Sec-WebSocket-Extensions is malformed");
    }
    check.ok = true;
    check.status = 101;
    check.key = *req.find("Sec-WebSocket-Key");
    check.extensions = std::move(*extensions);
    return check;
}

}  // namespace wsh::handshake
