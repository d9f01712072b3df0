// SPDX-License-Identifier: MIT
#include "codec/violation.hpp"

#include "codec/frame.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace wsh::codec {
namespace {

violation nth(std::size_t i) { return static_cast<violation>(i); }

TEST(Violation, EveryViolationHasADistinctNameSectionAndDescription)
{
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < violation_count; ++i) {
        EXPECT_FALSE(name(nth(i)).empty());
        EXPECT_FALSE(section(nth(i)).empty());
        EXPECT_FALSE(describe(nth(i)).empty());
        names.insert(name(nth(i)));
    }
    EXPECT_EQ(names.size(), violation_count);
}

TEST(Violation, NamesAndSectionsFollowTheRfc)
{
    EXPECT_EQ(name(violation::fragmented_control_frame), "fragmented_control_frame");
    EXPECT_EQ(section(violation::fragmented_control_frame), "5.5");
    EXPECT_EQ(name(violation::invalid_utf8), "invalid_utf8");
    EXPECT_EQ(section(violation::invalid_utf8), "8.1");
    EXPECT_EQ(section(violation::unmasked_client_frame), "5.1");
    EXPECT_EQ(section(violation::invalid_close_code), "7.4");
    EXPECT_EQ(rfc(violation::invalid_close_code), "RFC 6455");
    EXPECT_EQ(section(violation::compressed_continuation), "6.1");
    EXPECT_EQ(rfc(violation::compressed_continuation), "RFC 7692");
}

TEST(Violation, InvalidUtf8ClosesWith1007LimitsWith1009OthersWith1002)
{
    for (std::size_t i = 0; i < violation_count; ++i) {
        const violation v = nth(i);
        std::uint16_t expected = close_code::protocol_error;
        if (v == violation::invalid_utf8 || v == violation::invalid_deflate_data)
            expected = close_code::invalid_frame_payload_data;
        if (v == violation::payload_too_big || v == violation::message_too_big ||
            v == violation::inflated_message_too_big)
            expected = close_code::message_too_big;
        EXPECT_EQ(close_code_for(v), expected) << name(v);
    }
}

TEST(Violation, SetContainsWhatWasAdded)
{
    violation_set s{violation::invalid_utf8};
    EXPECT_TRUE(s.contains(violation::invalid_utf8));
    EXPECT_FALSE(s.contains(violation::reserved_opcode));
    EXPECT_FALSE(s.empty());
    EXPECT_TRUE(violation_set{}.empty());
}

}  // namespace
}  // namespace wsh::codec
