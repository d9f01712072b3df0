// SPDX-License-Identifier: MIT
#include "suite/negotiate.hpp"

namespace wsh::suite {

std::string deflate_offer_header(const deflate_setup& d)
{
    std::string value;
    for (const auto& offer : d.offers) {
        if (!value.empty()) value += ", ";
        value += codec::format_deflate(offer);
    }
    return value;
}

deflate_outcome read_deflate_response(const deflate_setup& d, std::span<const handshake::extension_offer> accepted)
{
    deflate_outcome out;
    for (const auto& e : accepted) {
        if (e.name != codec::permessage_deflate) continue;
        if (out.agreement) {
            out.error = "permessage-deflate accepted twice (RFC 7692 §5)";
            out.agreement.reset();
            return out;
        }
        auto params = codec::parse_deflate_params(e.params, true);
        if (!params) {
            out.error = "invalid permessage-deflate response parameters (RFC 7692 §7.1)";
            return out;
        }
        if (!codec::is_valid_deflate_response(*params, d.offers)) {
            out.error = "the permessage-deflate response fits none of the offers (RFC 7692 §7.1): " +
                        codec::format_deflate(*params);
            return out;
        }
        out.agreement = codec::deflate_agreement{*params};
    }
    return out;
}

std::optional<codec::deflate_params> answer_deflate_offers(const deflate_setup& d,
                                                           std::span<const handshake::extension_offer> offers)
{
    for (const auto& e : offers) {
        if (e.name != codec::permessage_deflate) continue;
        // RFC 7692 §7.1: an offer with an unknown, repeated or invalid parameter is declined.
        auto offer = codec::parse_deflate_params(e.params, false);
        if (!offer) continue;
        for (const auto& policy : d.answers)
            if (auto response = codec::accept_deflate_offer(*offer, policy)) return response;
    }
    return std::nullopt;
}

}  // namespace wsh::suite
