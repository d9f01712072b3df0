// SPDX-License-Identifier: MIT
// Property: parse_close_payload never crashes; a 1-byte body is an error; a code is present
// iff the body has 2 or more bytes and equals them in network order; the reason view lies in
// the payload and is the rest of it; an accepted body has an allowed code and valid UTF-8;
// and make_close_payload(code, reason) parses back to the same code and reason.
// Input: the close frame payload.
#include "../common/check.hpp"

#include "codec/close.hpp"
#include "codec/frame.hpp"
#include "codec/utf8.hpp"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wsh::codec;
    using wsh::fuzz::require;
    wsh::fuzz::bytes payload(data, data + size);
    auto result = parse_close_payload(payload);
    if (size == 1) require(result.error == violation::close_payload_too_short, "1-byte body fails");
    if (size < 2) {
        require(!result.body.code, "no code in a body shorter than 2 bytes");
        return 0;
    }
    require(result.body.code == std::uint16_t(payload[0] << 8 | payload[1]), "code in network order");
    auto reason = result.body.reason;
    require(result.error || reason.empty() || (reinterpret_cast<const std::uint8_t*>(reason.data()) == payload.data() + 2 &&
                               reason.size() == size - 2),
            "the reason is the rest of the payload");
    if (!result.error) {
        require(is_valid_close_code(*result.body.code), "accepted code is allowed on the wire");
        require(is_valid_utf8({payload.data() + 2, size - 2}), "accepted reason is UTF-8");
    }
    std::string_view text(reinterpret_cast<const char*>(payload.data()) + 2, size - 2);
    auto rebuilt = make_close_payload(*result.body.code, text);
    require(rebuilt == payload, "make_close_payload writes code then reason");
    return 0;
}
