// SPDX-License-Identifier: MIT
#include "codec/frame_decoder.hpp"

#include "codec/frame_encoder.hpp"
#include "split_runner.hpp"

#include <gtest/gtest.h>

namespace wsh::codec::test {
namespace {

using v = violation;

bytes filled(std::size_t n, std::uint8_t value = 0xAB) { return bytes(n, value); }

// RFC 6455 §5.7 examples.

TEST(FrameDecoder, DecodesUnmaskedHelloFromTheRfc)
{
    EXPECT_EQ(decode_frames(as_client(), hex("81 05 48 65 6c 6c 6f")),
              "start(text len=5) data(Hello) end");
}

TEST(FrameDecoder, DecodesMaskedHelloFromTheRfc)
{
    EXPECT_EQ(decode_frames(as_server(), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")),
              "start(text masked len=5) data(Hello) end");
}

TEST(FrameDecoder, DecodesFragmentedHelloFromTheRfc)
{
    EXPECT_EQ(decode_frames(as_client(), hex("01 03 48 65 6c 80 02 6c 6f")),
              "start(text more len=3) data(Hel) end start(cont len=2) data(lo) end");
}

TEST(FrameDecoder, DecodesUnmaskedPingFromTheRfc)
{
    EXPECT_EQ(decode_frames(as_client(), hex("89 05 48 65 6c 6c 6f")),
              "start(ping len=5) data(Hello) end");
}

TEST(FrameDecoder, DecodesMaskedPongFromTheRfc)
{
    EXPECT_EQ(decode_frames(as_server(), hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58")),
              "start(pong masked len=5) data(Hello) end");
}

TEST(FrameDecoder, Decodes256ByteBinaryWithSixteenBitLengthFromTheRfc)
{
    const bytes payload = filled(256);
    EXPECT_EQ(decode_frames(as_client(), concat({hex("82 7E 01 00"), payload})),
              "start(binary len=256) data(" + describe_payload(payload) + ") end");
}

TEST(FrameDecoder, Decodes64KiBBinaryWithSixtyFourBitLengthFromTheRfc)
{
    bytes payload(65536);
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 7);
    EXPECT_EQ(decode_frames(as_client(), concat({hex("82 7F 00 00 00 00 00 01 00 00"), payload})),
              "start(binary len=65536) data(" + describe_payload(payload) + ") end");
}

// Framing.

TEST(FrameDecoder, EmptyFrameYieldsStartThenEnd)
{
    EXPECT_EQ(decode_frames(as_client(), hex("81 00 82 00")),
              "start(text len=0) end start(binary len=0) end");
}

TEST(FrameDecoder, MaskedEmptyFrameConsumesItsKey)
{
    EXPECT_EQ(decode_frames(as_server(), hex("88 80 01 02 03 04")),
              "start(close masked len=0) end");
}

TEST(FrameDecoder, IncompleteHeaderAsksForMore)
{
    EXPECT_EQ(decode_frames(as_client(), hex("82 7E 01")), "incomplete");
}

TEST(FrameDecoder, IncompletePayloadEndsMidFrame)
{
    EXPECT_EQ(decode_frames(as_client(), hex("81 05 48 65")),
              "start(text len=5) data(He) incomplete");
}

TEST(FrameDecoder, SixteenBitLengthOf126IsMinimal)
{
    EXPECT_EQ(decode_frames(as_client(), concat({hex("82 7E 00 7E"), filled(126, 0)})),
              "start(binary len=126) data(" + describe_payload(filled(126, 0)) + ") end");
}

TEST(FrameDecoder, NegotiatedRsv1IsAccepted)
{
    decoder_options o = as_client();
    o.allowed_rsv = rsv1;
    EXPECT_EQ(decode_frames(o, hex("C1 01 41")), "start(text rsv=4 len=1) data(A) end");
}

// RFC 6455 §5.2 reserved bits and opcodes.

TEST(FrameDecoder, RejectsRsv1WithoutExtension)
{
    EXPECT_EQ(decode_frames(as_client(), hex("C1 01 41")), "violation(reserved_bits_set)");
}

TEST(FrameDecoder, RejectsRsv2AndRsv3WhenOnlyRsv1IsNegotiated)
{
    decoder_options o = as_client();
    o.allowed_rsv = rsv1;
    EXPECT_EQ(decode_frames(o, hex("A1 01 41")), "violation(reserved_bits_set)");
    EXPECT_EQ(decode_frames(o, hex("91 01 41")), "violation(reserved_bits_set)");
}

TEST(FrameDecoder, ReportsReservedBitsAfterTheFirstByte)
{
    EXPECT_EQ(decode_frames(as_client(), hex("F1")), "violation(reserved_bits_set)");
}

TEST(FrameDecoder, IgnoredReservedBitsAreNotReported)
{
    EXPECT_EQ(decode_frames(as_client({v::reserved_bits_set}), hex("F1 01 41")),
              "start(text rsv=7 len=1) data(A) end");
}

TEST(FrameDecoder, RejectsReservedNonControlOpcode)
{
    EXPECT_EQ(decode_frames(as_client(), hex("83")), "violation(reserved_opcode)");
    EXPECT_EQ(decode_frames(as_server(), hex("87 80 00 00 00 00")), "violation(reserved_opcode)");
}

TEST(FrameDecoder, RejectsReservedControlOpcode)
{
    EXPECT_EQ(decode_frames(as_client(), hex("8B 00")), "violation(reserved_opcode)");
    EXPECT_EQ(decode_frames(as_client(), hex("8F 00")), "violation(reserved_opcode)");
}

TEST(FrameDecoder, IgnoredReservedOpcodeIsDecoded)
{
    EXPECT_EQ(decode_frames(as_client({v::reserved_opcode}), hex("83 01 41 8B 00")),
              "start(op=3 len=1) data(A) end start(op=11 len=0) end");
}

// RFC 6455 §5.5 control frames.

TEST(FrameDecoder, RejectsFragmentedPing)
{
    EXPECT_EQ(decode_frames(as_client(), hex("09 00")), "violation(fragmented_control_frame)");
}

TEST(FrameDecoder, RejectsFragmentedCloseAsServer)
{
    EXPECT_EQ(decode_frames(as_server(), hex("08 80 00 00 00 00")),
              "violation(fragmented_control_frame)");
}

TEST(FrameDecoder, IgnoredFragmentedControlFrameIsDecoded)
{
    EXPECT_EQ(decode_frames(as_client({v::fragmented_control_frame}), hex("09 01 41")),
              "start(ping more len=1) data(A) end");
}

TEST(FrameDecoder, RejectsPingOf126BytesAtTheLengthByte)
{
    EXPECT_EQ(decode_frames(as_client(), hex("89 7E")), "violation(control_frame_too_long)");
}

TEST(FrameDecoder, RejectsMaskedCloseOf127ByteLengthMarker)
{
    EXPECT_EQ(decode_frames(as_server(), hex("88 FF")), "violation(control_frame_too_long)");
}

TEST(FrameDecoder, AcceptsPingOf125Bytes)
{
    EXPECT_EQ(decode_frames(as_client(), concat({hex("89 7D"), filled(125)})),
              "start(ping len=125) data(" + describe_payload(filled(125)) + ") end");
}

TEST(FrameDecoder, IgnoredControlFrameLengthAllowsExtendedLength)
{
    EXPECT_EQ(decode_frames(as_client({v::control_frame_too_long}),
                            concat({hex("89 7E 00 7E"), filled(126)})),
              "start(ping len=126) data(" + describe_payload(filled(126)) + ") end");
}

// RFC 6455 §5.1 masking direction.

TEST(FrameDecoder, ServerRejectsUnmaskedClientFrame)
{
    EXPECT_EQ(decode_frames(as_server(), hex("81 05 48 65 6c 6c 6f")),
              "violation(unmasked_client_frame)");
}

TEST(FrameDecoder, ServerIgnoringMaskCheckAcceptsUnmaskedFrame)
{
    EXPECT_EQ(decode_frames(as_server({v::unmasked_client_frame}), hex("81 05 48 65 6c 6c 6f")),
              "start(text len=5) data(Hello) end");
}

TEST(FrameDecoder, ClientRejectsMaskedServerFrame)
{
    EXPECT_EQ(decode_frames(as_client(), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")),
              "violation(masked_server_frame)");
}

TEST(FrameDecoder, ClientIgnoringMaskCheckUnmasksMaskedFrame)
{
    EXPECT_EQ(
        decode_frames(as_client({v::masked_server_frame}), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")),
        "start(text masked len=5) data(Hello) end");
}

// RFC 6455 §5.2 payload length encoding.

TEST(FrameDecoder, RejectsSixteenBitLengthBelow126)
{
    EXPECT_EQ(decode_frames(as_client(), hex("82 7E 00 7D")), "violation(non_minimal_length)");
    EXPECT_EQ(decode_frames(as_server(), hex("82 FE 00 00")), "violation(non_minimal_length)");
}

TEST(FrameDecoder, RejectsSixtyFourBitLengthUpTo65535)
{
    EXPECT_EQ(decode_frames(as_client(), hex("82 7F 00 00 00 00 00 00 FF FF")),
              "violation(non_minimal_length)");
    EXPECT_EQ(decode_frames(as_client(), hex("82 7F 00 00 00 00 00 00 00 05")),
              "violation(non_minimal_length)");
}

TEST(FrameDecoder, IgnoredNonMinimalLengthIsDecoded)
{
    EXPECT_EQ(decode_frames(as_client({v::non_minimal_length}),
                            hex("82 7E 00 01 41 82 7F 00 00 00 00 00 00 00 01 42")),
              "start(binary len=1) data(A) end start(binary len=1) data(B) end");
}

TEST(FrameDecoder, RejectsSixtyFourBitLengthWithTopBitSet)
{
    EXPECT_EQ(decode_frames(as_client(), hex("82 7F 80 00 00 00 00 00 00 00")),
              "violation(length_top_bit_set)");
}

TEST(FrameDecoder, IgnoredTopBitIsDecodedAsAHugeLength)
{
    EXPECT_EQ(
        decode_frames(as_client({v::length_top_bit_set}), hex("82 7F 80 00 00 00 00 00 00 00 41")),
        "start(binary len=9223372036854775808) data(A) incomplete");
}

// RFC 6455 §10.4 limits.

TEST(FrameDecoder, RejectsPayloadOverTheLimitBeforeThePayloadArrives)
{
    decoder_options o = as_client();
    o.max_frame_payload = 4;
    EXPECT_EQ(decode_frames(o, hex("82 05")), "violation(payload_too_big)");
    EXPECT_EQ(decode_frames(o, hex("82 04 01 02 03 04")),
              "start(binary len=4) data(0x01020304) end");
}

TEST(FrameDecoder, RejectsExtendedPayloadOverTheLimit)
{
    decoder_options o = as_server();
    o.max_frame_payload = 1000;
    EXPECT_EQ(decode_frames(o, hex("82 FE 03 E9")), "violation(payload_too_big)");
}

TEST(FrameDecoder, IgnoredPayloadLimitIsNotReported)
{
    decoder_options o = as_client({v::payload_too_big});
    o.max_frame_payload = 0;
    EXPECT_EQ(decode_frames(o, hex("82 01 41")), "start(binary len=1) data(A) end");
}

// Decoder state.

TEST(FrameDecoder, StopsAtTheFirstViolationEvenWithMoreInput)
{
    EXPECT_EQ(decode_frames(as_client(), hex("81 01 41 83 00 81 01 42")),
              "start(text len=1) data(A) end violation(reserved_opcode)");
}

TEST(FrameDecoder, ReportsTheFirstByteViolationBeforeTheSecondByteOne)
{
    EXPECT_EQ(decode_frames(as_server(), hex("C9 7E")), "violation(reserved_bits_set)");
}

TEST(FrameDecoder, ResetStartsOverAfterAViolation)
{
    frame_decoder d(as_client());
    bytes bad = hex("83");
    EXPECT_EQ(d.feed(bad).event.kind, frame_event_kind::violation_found);
    EXPECT_TRUE(d.is_failed());
    d.reset();
    EXPECT_FALSE(d.is_failed());
    EXPECT_TRUE(d.is_at_frame_boundary());
    bytes good = hex("81 00");
    EXPECT_EQ(d.feed(good).event.kind, frame_event_kind::frame_started);
}

}  // namespace
}  // namespace wsh::codec::test
