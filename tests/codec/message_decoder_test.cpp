// SPDX-License-Identifier: MIT
#include "codec/message_decoder.hpp"

#include "codec/frame_encoder.hpp"
#include "split_runner.hpp"

#include <gtest/gtest.h>

namespace wsh::codec::test {
namespace {

using v = violation;

message_options limited(std::uint64_t max_message)
{
    return {.frame = as_client(), .max_message = max_message};
}

// RFC 6455 §5.7 examples.

TEST(MessageDecoder, DecodesUnmaskedHelloFromTheRfc)
{
    EXPECT_EQ(decode_messages(as_client(), hex("81 05 48 65 6c 6c 6f")),
              "start(text len=5) text(Hello) end");
}

TEST(MessageDecoder, DecodesMaskedHelloFromTheRfc)
{
    EXPECT_EQ(decode_messages(as_server(), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")),
              "start(text masked len=5) text(Hello) end");
}

TEST(MessageDecoder, ReassemblesFragmentedHelloFromTheRfc)
{
    EXPECT_EQ(decode_messages(as_client(), hex("01 03 48 65 6c 80 02 6c 6f")),
              "start(text more len=3) text(Hel) end start(cont len=2) text(lo) end");
}

TEST(MessageDecoder, DeliversUnmaskedPingFromTheRfcWhole)
{
    EXPECT_EQ(decode_messages(as_client(), hex("89 05 48 65 6c 6c 6f")),
              "start(ping len=5) ping(Hello)");
}

TEST(MessageDecoder, DeliversMaskedPongFromTheRfcWhole)
{
    EXPECT_EQ(decode_messages(as_server(), hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58")),
              "start(pong masked len=5) pong(Hello)");
}

// RFC 6455 §5.4 fragmentation.

TEST(MessageDecoder, AllowsControlFramesBetweenFragments)
{
    EXPECT_EQ(decode_messages(as_client(), hex("01 03 48 65 6c 89 00 80 02 6c 6f")),
              "start(text more len=3) text(Hel) end start(ping len=0) ping() start(cont len=2) "
              "text(lo) end");
}

TEST(MessageDecoder, RejectsContinuationWithNoMessageInProgress)
{
    EXPECT_EQ(decode_messages(as_client(), hex("80 01 41")), "violation(unexpected_continuation)");
    EXPECT_EQ(decode_messages(as_client(), hex("81 01 41 00 01 42")),
              "start(text len=1) text(A) end violation(unexpected_continuation)");
}

TEST(MessageDecoder, IgnoredUnexpectedContinuationIsDelivered)
{
    EXPECT_EQ(decode_messages(as_client({v::unexpected_continuation}), hex("80 01 41")),
              "start(cont len=1) cont(A) end");
}

TEST(MessageDecoder, RejectsNewDataFrameInsideAFragmentedMessage)
{
    EXPECT_EQ(decode_messages(as_client(), hex("01 01 41 81 01 42")),
              "start(text more len=1) text(A) end violation(expected_continuation)");
    EXPECT_EQ(decode_messages(as_server(), hex("02 80 00 00 00 00 82 80 00 00 00 00")),
              "start(binary more masked len=0) end violation(expected_continuation)");
}

TEST(MessageDecoder, IgnoredExpectedContinuationStartsANewMessage)
{
    EXPECT_EQ(
        decode_messages(as_client({v::expected_continuation}), hex("01 01 CE 82 01 FF 81 01 42")),
        "start(text more len=1) text(0xce) end start(binary len=1) binary(0xff) end "
        "start(text len=1) text(B) end");
}

// RFC 6455 §8.1 UTF-8.

TEST(MessageDecoder, DeliversTheValidPrefixThenRejectsInvalidUtf8)
{
    EXPECT_EQ(decode_messages(as_client(), hex("81 04 41 42 FF 43")),
              "start(text len=4) text(AB) violation(invalid_utf8)");
}

TEST(MessageDecoder, RejectsInvalidUtf8AtTheFirstByteOfAFrame)
{
    EXPECT_EQ(decode_messages(as_client(), hex("81 02 C0 80")),
              "start(text len=2) violation(invalid_utf8)");
}

TEST(MessageDecoder, ValidatesUtf8AcrossFragmentsAndControlFrames)
{
    EXPECT_EQ(decode_messages(as_client(), hex("01 01 CE 89 00 80 01 BA")),
              "start(text more len=1) text(0xce) end start(ping len=0) ping() start(cont len=1) "
              "text(0xba) end");
}

TEST(MessageDecoder, RejectsInvalidUtf8SplitAcrossFragments)
{
    EXPECT_EQ(decode_messages(as_client(), hex("01 01 ED 80 01 A0")),
              "start(text more len=1) text(0xed) end start(cont len=1) violation(invalid_utf8)");
}

TEST(MessageDecoder, RejectsAMessageEndingInsideASequence)
{
    EXPECT_EQ(decode_messages(as_client(), hex("81 01 CE")),
              "start(text len=1) text(0xce) violation(invalid_utf8)");
}

TEST(MessageDecoder, IgnoredInvalidUtf8IsNotValidated)
{
    EXPECT_EQ(decode_messages(as_client({v::invalid_utf8}), hex("81 03 41 FF CE")),
              "start(text len=3) text(0x41ffce) end");
}

TEST(MessageDecoder, DoesNotValidateBinaryMessages)
{
    EXPECT_EQ(decode_messages(as_client(), hex("82 02 FF CE")),
              "start(binary len=2) binary(0xffce) end");
}

// RFC 6455 §5.5.1 close bodies.

TEST(MessageDecoder, ParsesTheCloseBody)
{
    EXPECT_EQ(decode_messages(as_client(), hex("88 05 03 E8 62 79 65")),
              "start(close len=5) close(1000 bye)");
    EXPECT_EQ(decode_messages(as_client(), hex("88 00")), "start(close len=0) close()");
}

TEST(MessageDecoder, RejectsAOneByteCloseBody)
{
    EXPECT_EQ(decode_messages(as_client(), hex("88 01 03")),
              "start(close len=1) violation(close_payload_too_short)");
    EXPECT_EQ(decode_messages(as_client({v::close_payload_too_short}), hex("88 01 03")),
              "start(close len=1) close(0x03)");
}

TEST(MessageDecoder, RejectsACloseCodeNotAllowedOnTheWire)
{
    EXPECT_EQ(decode_messages(as_server(), hex("88 82 00 00 00 00 03 ED")),
              "start(close masked len=2) violation(invalid_close_code)");
    EXPECT_EQ(decode_messages(as_client({v::invalid_close_code}), hex("88 02 03 ED")),
              "start(close len=2) close(1005)");
}

TEST(MessageDecoder, RejectsACloseReasonThatIsNotUtf8)
{
    EXPECT_EQ(decode_messages(as_client(), hex("88 03 03 E8 FF")),
              "start(close len=3) violation(invalid_close_reason)");
    EXPECT_EQ(decode_messages(as_client({v::invalid_close_reason}), hex("88 03 03 E8 FF")),
              "start(close len=3) close(1000 0xff)");
}

TEST(MessageDecoder, GathersALongControlFrameWhenItsLengthIsIgnored)
{
    const bytes payload(300, 0x5A);
    EXPECT_EQ(decode_messages(as_client({v::control_frame_too_long}),
                              concat({hex("89 7E 01 2C"), payload})),
              "start(ping len=300) ping(" + describe_payload(payload) + ")");
}

// RFC 6455 §10.4 limits, and frame violations passed through.

TEST(MessageDecoder, RejectsAMessageOverTheLimitAtTheFrameThatCrossesIt)
{
    EXPECT_EQ(decode_messages(limited(4), hex("01 03 48 65 6c 80 02 6c 6f")),
              "start(text more len=3) text(Hel) end violation(message_too_big)");
    EXPECT_EQ(decode_messages(limited(5), hex("01 03 48 65 6c 80 02 6c 6f")),
              "start(text more len=3) text(Hel) end start(cont len=2) text(lo) end");
}

TEST(MessageDecoder, IgnoredMessageLimitIsNotReported)
{
    message_options o = limited(1);
    o.frame.ignored.add(v::message_too_big);
    EXPECT_EQ(decode_messages(o, hex("81 02 68 69")), "start(text len=2) text(hi) end");
}

TEST(MessageDecoder, ControlFramesDoNotCountTowardsTheMessageLimit)
{
    EXPECT_EQ(
        decode_messages(limited(1), hex("01 01 41 89 03 61 62 63 80 00")),
        "start(text more len=1) text(A) end start(ping len=3) ping(abc) start(cont len=0) end");
}

TEST(MessageDecoder, PassesFrameViolationsThrough)
{
    EXPECT_EQ(decode_messages(as_server(), hex("81 05 48 65 6c 6c 6f")),
              "violation(unmasked_client_frame)");
}

TEST(MessageDecoder, AMessageInProgressIsReported)
{
    EXPECT_EQ(decode_messages(as_client(), hex("01 01 41")),
              "start(text more len=1) text(A) end incomplete");
}

TEST(MessageDecoder, ResetForgetsTheMessageInProgress)
{
    message_decoder d(message_options{.frame = as_client()});
    bytes first = hex("01 01 41");
    while (d.feed(first).event.kind != message_event_kind::need_more) first.clear();
    EXPECT_TRUE(d.is_in_message());
    d.reset();
    EXPECT_FALSE(d.is_in_message());
    bytes cont = hex("80 00");
    EXPECT_EQ(d.feed(cont).event.kind, message_event_kind::violation_found);
}

}  // namespace
}  // namespace wsh::codec::test
