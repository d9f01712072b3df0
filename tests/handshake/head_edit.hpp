// SPDX-License-Identifier: MIT
// Parses the RFC 6455 §1.3 heads and edits their fields, so each test states only the one
// thing it changes.
#pragma once

#include "handshake/handshake.hpp"

#include "rfc_examples.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace wsh::handshake::testing {

inline http_head parse_head(head_kind kind, std::string_view text) {
    head_parser parser{kind};
    const auto step =
        parser.feed({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    EXPECT_EQ(step.status, parse_status::complete) << parser.error();
    return parser.head();
}

// Removes every field called `name` (exact case, as the tests write it).
inline http_head without(http_head head, std::string_view name) {
    std::erase_if(head.fields, [&](const header_field& f) { return f.name == name; });
    return head;
}

// Replaces every field called `name` by one field `name: value`.
inline http_head with(http_head head, std::string_view name, std::string_view value) {
    head = without(std::move(head), name);
    head.fields.push_back({std::string{name}, std::string{value}});
    return head;
}

// Adds one more field, keeping those already there.
inline http_head plus(http_head head, std::string_view name, std::string_view value) {
    head.fields.push_back({std::string{name}, std::string{value}});
    return head;
}

}  // namespace wsh::handshake::testing
