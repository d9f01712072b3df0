// SPDX-License-Identifier: MIT
// RFC 6455 §4 opening handshake: HTTP/1.1 upgrade request and response, built and parsed
// incrementally, and checked against the rules of §4.1 (client side) and §4.2 (server side).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wsh::handshake {

// RFC 6455 §1.3: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
[[nodiscard]] std::string compute_accept(std::string_view key);

// RFC 6455 §4.1: the key is the base64 encoding of 16 bytes (24 characters, "==" padded).
[[nodiscard]] bool is_valid_client_key(std::string_view key);

// A fresh key from 16 bytes (base64).
[[nodiscard]] std::string make_client_key(std::span<const std::uint8_t, 16> nonce);

[[nodiscard]] std::string base64_encode(std::span<const std::uint8_t> bytes);
// Strict decoding (RFC 4648 §4 alphabet, padding required); nullopt on any error.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

struct header_field {
    std::string name;   // as received (case kept)
    std::string value;  // leading and trailing whitespace removed
};

// An HTTP/1.1 message head: request line or status line plus header fields.
struct http_head {
    // Request: method, target, version ("HTTP/1.1"). Response: version, status, reason.
    std::string method;
    std::string target;
    std::string version;
    int status = 0;
    std::string reason;
    std::vector<header_field> fields;

    // First value of a header (names compare case-insensitively).
    [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const;
    // Number of fields with this name.
    [[nodiscard]] std::size_t count(std::string_view name) const;
    // Every comma-separated element of every field with this name, trimmed, empty ones dropped
    // (RFC 9110 §5.6.1 lists, repeated headers joined).
    [[nodiscard]] std::vector<std::string> list(std::string_view name) const;
    // Does the list header `name` contain `token` (case-insensitive)?
    [[nodiscard]] bool has_token(std::string_view name, std::string_view token) const;
};

enum class head_kind : std::uint8_t { request, response };

enum class parse_status : std::uint8_t { need_more, complete, error };

// Incremental parser for one message head. Stops right after the blank line: bytes after it
// (the first WebSocket frames) are not consumed. Any split of the input gives the same result.
class head_parser {
public:
    explicit head_parser(head_kind kind, std::size_t max_size = 16384) noexcept
        : kind_(kind), max_size_(max_size) {}

    struct step {
        std::size_t consumed = 0;
        parse_status status = parse_status::need_more;
    };

    // Consumes bytes up to and including the CRLF CRLF (or LF LF) that ends the head.
    // A head larger than `max_size`, a malformed start line or header line is `error`, with
    // error() saying why in one line.
    [[nodiscard]] step feed(std::span<const std::uint8_t> input);

    [[nodiscard]] const http_head& head() const noexcept { return head_; }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    [[nodiscard]] const std::string& raw() const noexcept { return raw_; }  // the bytes of the head

private:
    bool parse();  // parses raw_ into head_ once complete; sets error_
    bool parse_field(std::string_view line);  // one header line into head_.fields; sets error_
    head_kind kind_;
    std::size_t max_size_;
    std::string raw_;
    http_head head_;
    std::string error_;
    parse_status status_ = parse_status::need_more;
};

// One element of Sec-WebSocket-Extensions (RFC 6455 §9.1): a name and its parameters
// (a parameter without a value has an empty optional).
struct extension_offer {
    std::string name;
    std::vector<std::pair<std::string, std::optional<std::string>>> params;
};

// Parses the joined Sec-WebSocket-Extensions values; nullopt if the grammar of §9.1 is broken
// (quoted-string values are unquoted).
[[nodiscard]] std::optional<std::vector<extension_offer>> parse_extensions(std::string_view value);

// What a client asks for.
struct client_request {
    std::string host;  // Host header value, port included if not default
    std::string target = "/";
    std::string key;
    std::vector<std::string> protocols;
    std::vector<std::string> extensions;  // raw offers, joined with ", "
    std::vector<header_field> extra;      // e.g. Origin, User-Agent
};

[[nodiscard]] std::string build_request(const client_request& req);

// RFC 6455 §4.2.1 checks of a server reading a client's upgrade request.
struct request_check {
    bool ok = false;
    int status = 400;       // the HTTP status to answer on failure (400, 426 for the version)
    std::string reason;     // one line, for logs and reports
    std::string key;
    std::vector<std::string> protocols;       // offered subprotocols, in order
    std::vector<extension_offer> extensions;  // offered extensions, in order
};

[[nodiscard]] request_check check_request(const http_head& req);

// The 101 answer to a checked request: accept value, chosen subprotocol and extensions.
struct server_response {
    std::string accept;
    std::optional<std::string> protocol;
    std::optional<std::string> extensions;
    std::vector<header_field> extra;  // e.g. Server
};

[[nodiscard]] std::string build_response(const server_response& resp);

// An error answer (400 with Sec-WebSocket-Version: 13 for 426/400 version failures, §4.4).
[[nodiscard]] std::string build_error_response(int status, std::string_view reason);

// RFC 6455 §4.1 checks of a client reading the server's answer: 101, Upgrade websocket,
// Connection upgrade, the accept value, exactly one accept header, a subprotocol that was
// offered, extensions that were offered.
struct response_check {
    bool ok = false;
    std::string reason;
    std::optional<std::string> protocol;
    std::vector<extension_offer> extensions;
};

[[nodiscard]] response_check check_response(const http_head& resp, std::string_view key,
                                            std::span<const std::string> offered_protocols,
                                            std::span<const std::string> offered_extensions);

}  // namespace wsh::handshake
