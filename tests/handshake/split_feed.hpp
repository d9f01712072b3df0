// SPDX-License-Identifier: MIT
// Feeds a message head to head_parser in every way the tests care about: whole, in two chunks
// split at every index, and byte by byte, and checks that every way gives the same result.
#pragma once

#include "handshake/handshake.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace wsh::handshake::testing {

struct parse_result {
    parse_status status = parse_status::need_more;
    std::size_t consumed = 0;
    http_head head;
    std::string error;
    std::string raw;
};

// A printable, comparable summary of everything a parse produced.
inline std::string describe(const parse_result& r) {
    std::string out = "status=" + std::to_string(static_cast<int>(r.status)) +
                      " consumed=" + std::to_string(r.consumed) + " error=" + r.error +
                      "\nstart=" + r.head.method + "|" + r.head.target + "|" + r.head.version +
                      "|" + std::to_string(r.head.status) + "|" + r.head.reason + "\n";
    for (const header_field& f : r.head.fields) {
        out += f.name + "=" + f.value + "\n";
    }
    return out + "raw=" + r.raw;
}

// Feeds the chunks in order, stopping once the parser stops asking for more.
inline parse_result feed_chunks(head_kind kind, const std::vector<std::string_view>& chunks,
                                std::size_t max_size) {
    head_parser parser{kind, max_size};
    parse_result r;
    for (const std::string_view chunk : chunks) {
        const auto step = parser.feed(std::span{
            reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size()});
        r.consumed += step.consumed;
        r.status = step.status;
        if (step.status != parse_status::need_more) {
            break;
        }
    }
    r.head = parser.head();
    r.error = parser.error();
    r.raw = parser.raw();
    return r;
}

// Parses `input` whole, then split in two at every index, then byte by byte; every way must
// give the same result, which is returned.
inline parse_result parse_every_split(head_kind kind, std::string_view input,
                                      std::size_t max_size = 16384) {
    const parse_result whole = feed_chunks(kind, {input}, max_size);
    const std::string expected = describe(whole);
    for (std::size_t i = 0; i <= input.size(); ++i) {
        const parse_result split =
            feed_chunks(kind, {input.substr(0, i), input.substr(i)}, max_size);
        EXPECT_EQ(describe(split), expected) << "split at " << i;
    }
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < input.size(); ++i) {
        bytes.push_back(input.substr(i, 1));
    }
    EXPECT_EQ(describe(feed_chunks(kind, bytes, max_size)), expected) << "byte by byte";
    return whole;
}

}  // namespace wsh::handshake::testing
