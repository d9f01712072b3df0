// SPDX-License-Identifier: MIT
// Shared by the request and response targets: parse a message head in one read and in two,
// and require the same outcome.
#pragma once

#include "check.hpp"

#include "handshake/handshake.hpp"

#include <algorithm>

namespace wsh::fuzz {

struct head_outcome {
    handshake::parse_status status = handshake::parse_status::need_more;
    std::size_t consumed = 0;
    std::string raw;
    std::string error;
};

inline head_outcome parse_head(handshake::head_parser& parser, std::span<const std::uint8_t> input,
                               std::size_t cut)
{
    head_outcome out;
    for (auto piece : {input.first(cut), input.subspan(cut)}) {
        auto step = parser.feed(piece);
        require(step.consumed <= piece.size(), "head parser consumes at most its input");
        out.consumed += step.consumed;
        out.status = step.status;
        if (step.status != handshake::parse_status::need_more) break;
    }
    out.raw = parser.raw();
    out.error = parser.error();
    return out;
}

inline bool same_fields(const handshake::http_head& a, const handshake::http_head& b)
{
    return a.method == b.method && a.target == b.target && a.version == b.version &&
           a.status == b.status && a.reason == b.reason &&
           std::ranges::equal(a.fields, b.fields, [](const auto& x, const auto& y) {
               return x.name == y.name && x.value == y.value;
           });
}

// Parses `input` whole and cut in two at a point chosen by its first byte; both must agree.
// Returns the parser of the whole read for the target's own checks.
inline handshake::head_parser parse_both_ways(handshake::head_kind kind,
                                              std::span<const std::uint8_t> input)
{
    handshake::head_parser whole(kind, 4096);
    handshake::head_parser split(kind, 4096);
    std::size_t cut = input.empty() ? 0 : (input[0] * 31u) % (input.size() + 1);
    auto a = parse_head(whole, input, input.size());
    auto b = parse_head(split, input, cut);
    require(a.status == b.status && a.consumed == b.consumed && a.raw == b.raw && a.error == b.error,
            "head parser: two reads give the result of one");
    require(a.raw.size() == a.consumed, "head parser keeps exactly the bytes it consumed");
    if (a.status == handshake::parse_status::complete)
        require(same_fields(whole.head(), split.head()), "head parser: same fields either way");
    return whole;
}

}  // namespace wsh::fuzz
