// SPDX-License-Identifier: MIT
#include "codec/close.hpp"

#include "codec/frame.hpp"
#include "codec/utf8.hpp"

namespace wsh::codec {

close_parse_result parse_close_payload(std::span<const std::uint8_t> payload,
                                       violation_set ignored) noexcept
{
    close_parse_result result;
    if (payload.empty()) return result;
    if (payload.size() == 1) {
        // RFC 6455 §5.5.1: a close body, if present, starts with a 2-byte status code.
        if (!ignored.contains(violation::close_payload_too_short))
            result.error = violation::close_payload_too_short;
        return result;
    }
    const auto code = static_cast<std::uint16_t>((payload[0] << 8) | payload[1]);
    result.body.code = code;
    const auto reason = payload.subspan(2);
    result.body.reason =
        std::string_view(reinterpret_cast<const char*>(reason.data()), reason.size());
    if (!is_valid_close_code(code) && !ignored.contains(violation::invalid_close_code)) {
        // RFC 6455 §7.4: only defined, registered or 3000-4999 codes may be sent.
        result.error = violation::invalid_close_code;
    } else if (!ignored.contains(violation::invalid_close_reason) && !is_valid_utf8(reason)) {
        // RFC 6455 §5.5.1: the close reason is UTF-8 encoded data.
        result.error = violation::invalid_close_reason;
    }
    return result;
}

std::vector<std::uint8_t> make_close_payload(std::uint16_t code, std::string_view reason)
{
    std::vector<std::uint8_t> out;
    out.reserve(2 + reason.size());
    out.push_back(static_cast<std::uint8_t>(code >> 8));
    out.push_back(static_cast<std::uint8_t>(code & 0xFF));
    out.insert(out.end(), reason.begin(), reason.end());
    return out;
}

}  // namespace wsh::codec
