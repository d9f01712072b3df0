// SPDX-License-Identifier: MIT
#include "codec/close.hpp"

#include "codec/frame.hpp"
#include "codec/frame_encoder.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace wsh::codec {
namespace {

using bytes = std::vector<std::uint8_t>;

TEST(Close, EmptyBodyHasNoCode)
{
    const auto r = parse_close_payload({});
    EXPECT_FALSE(r.error);
    EXPECT_FALSE(r.body.code);
    EXPECT_TRUE(r.body.reason.empty());
}

TEST(Close, ParsesCodeAndReason)
{
    const bytes body = make_close_payload(close_code::normal_closure, "bye");
    EXPECT_EQ(body, (bytes{0x03, 0xE8, 'b', 'y', 'e'}));
    const auto r = parse_close_payload(body);
    EXPECT_FALSE(r.error);
    EXPECT_EQ(r.body.code, 1000);
    EXPECT_EQ(r.body.reason, "bye");
    EXPECT_EQ(r.body.reason.data(), reinterpret_cast<const char*>(body.data() + 2));
}

TEST(Close, RejectsAOneByteBody)
{
    EXPECT_EQ(parse_close_payload(bytes{0x03}).error, violation::close_payload_too_short);
    EXPECT_FALSE(parse_close_payload(bytes{0x03}, {violation::close_payload_too_short}).error);
}

TEST(Close, AcceptsEveryCodeAllowedOnTheWire)
{
    for (std::uint16_t code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013,
                               1014, 3000, 3999, 4000, 4999}) {
        EXPECT_FALSE(parse_close_payload(make_close_payload(code)).error) << code;
    }
}

TEST(Close, RejectsCodesNotAllowedOnTheWire)
{
    for (std::uint16_t code :
         {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
        const auto r = parse_close_payload(make_close_payload(code));
        EXPECT_EQ(r.error, violation::invalid_close_code) << code;
        EXPECT_EQ(r.body.code, code);
    }
}

TEST(Close, IgnoredInvalidCodeIsAccepted)
{
    EXPECT_FALSE(
        parse_close_payload(make_close_payload(1005), {violation::invalid_close_code}).error);
}

TEST(Close, RejectsAReasonThatIsNotUtf8)
{
    const bytes body{0x03, 0xE8, 0xCE, 0xBA, 0xE1, 0xBD};
    EXPECT_EQ(parse_close_payload(body).error, violation::invalid_close_reason);
    EXPECT_FALSE(parse_close_payload(body, {violation::invalid_close_reason}).error);
}

TEST(Close, AcceptsAUtf8Reason)
{
    EXPECT_FALSE(parse_close_payload(
                     make_close_payload(1000, "\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5"))
                     .error);
}

}  // namespace
}  // namespace wsh::codec
