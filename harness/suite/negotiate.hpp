// SPDX-License-Identifier: MIT
// permessage-deflate in the opening handshake of a case (RFC 7692 §5, §7.1), for both roles
// of the tester.
#pragma once

#include "codec/deflate.hpp"
#include "handshake/handshake.hpp"
#include "suite/case.hpp"

#include <optional>
#include <span>
#include <string>

namespace wsh::suite {

// Tester as client: the Sec-WebSocket-Extensions value carrying every offer of the case.
[[nodiscard]] std::string deflate_offer_header(const deflate_setup& d);

struct deflate_outcome {
    std::optional<codec::deflate_agreement> agreement;  // unset: declined (or invalid)
    std::string error;  // set: the response is invalid and the client MUST fail the connection
};

// Tester as client: what the server's accepted extensions (already checked against the offered
// names) mean. More than one permessage-deflate element, an invalid parameter, or an answer
// that fits none of the offers is an error (RFC 7692 §5, §7.1).
[[nodiscard]] deflate_outcome read_deflate_response(const deflate_setup& d,
                                                    std::span<const handshake::extension_offer> accepted);

// Tester as server: the first of the client's valid permessage-deflate offers that one of the
// case's answers fits (offers in the client's order, answers in the case's), or nullopt.
[[nodiscard]] std::optional<codec::deflate_params> answer_deflate_offers(
    const deflate_setup& d, std::span<const handshake::extension_offer> offers);

}  // namespace wsh::suite
