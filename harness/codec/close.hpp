// SPDX-License-Identifier: MIT
// RFC 6455 §5.5.1 close frame body: optional 2-byte code, then a UTF-8 reason.
#pragma once

#include "codec/violation.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace wsh::codec {

struct close_body {
    std::optional<std::uint16_t> code;  // absent for an empty body (the peer meant 1005)
    std::string_view reason;            // view into the parsed payload
};

struct close_parse_result {
    close_body body;
    std::optional<violation> error;  // close_payload_too_short, invalid_close_code, invalid_close_reason
};

// Parses a close frame payload. Checks, in order: a 1-byte body (§5.5.1), the code is allowed on
// the wire (§7.4, see is_valid_close_code), the reason is valid UTF-8 (§5.5.1). Checks listed in
// `ignored` are skipped. `body.reason` points into `payload`.
[[nodiscard]] close_parse_result parse_close_payload(std::span<const std::uint8_t> payload,
                                                     violation_set ignored = {}) noexcept;

// Builds a close body: the code in network order followed by `reason` (no validation: wrong
// bodies are sent on purpose).
[[nodiscard]] std::vector<std::uint8_t> make_close_payload(std::uint16_t code,
                                                           std::string_view reason = {});

}  // namespace wsh::codec
