// SPDX-License-Identifier: MIT
#include "codec/frame_encoder.hpp"

#include "split_runner.hpp"

#include <gtest/gtest.h>

namespace wsh::codec::test {
namespace {

constexpr std::array<std::uint8_t, 4> rfc_key{0x37, 0xfa, 0x21, 0x3d};

bytes encode(const frame_spec& spec, const bytes& payload) { return encode_frame(spec, payload); }

frame_spec with_form(frame_spec spec, length_form form)
{
    spec.form = form;
    return spec;
}

TEST(FrameEncoder, EncodesTheRfcExamples)
{
    EXPECT_EQ(encode(data_frame(opcode::text), text_bytes("Hello")), hex("81 05 48 65 6c 6c 6f"));
    EXPECT_EQ(encode(data_frame(opcode::text, true, rfc_key), text_bytes("Hello")),
              hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
    EXPECT_EQ(encode(data_frame(opcode::text, false), text_bytes("Hel")), hex("01 03 48 65 6c"));
    EXPECT_EQ(encode(data_frame(opcode::continuation), text_bytes("lo")), hex("80 02 6c 6f"));
    frame_spec pong = data_frame(opcode::pong, true, rfc_key);
    EXPECT_EQ(encode(pong, text_bytes("Hello")), hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"));
    const bytes binary = encode(data_frame(opcode::binary), bytes(256));
    EXPECT_EQ(bytes(binary.begin(), binary.begin() + 4), hex("82 7E 01 00"));
    EXPECT_EQ(binary.size(), 260u);
}

TEST(FrameEncoder, WritesA64BitLengthForA64KiBPayload)
{
    std::array<std::uint8_t, max_header_size> h{};
    EXPECT_EQ(encode_header(data_frame(opcode::binary), 65536, h), 10u);
    EXPECT_EQ(bytes(h.begin(), h.begin() + 10), hex("82 7F 00 00 00 00 00 01 00 00"));
}

TEST(FrameEncoder, RoundTripsEveryLengthFormAndSize)
{
    for (std::uint64_t size : {0, 1, 125, 126, 127, 65535, 65536}) {
        bytes payload(size);
        for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<std::uint8_t>(i * 13);
        for (auto form :
             {length_form::minimal, length_form::len7, length_form::len16, length_form::len64}) {
            const bool is_minimal = form == length_form::minimal ||
                                    (form == length_form::len7 && size < 126) ||
                                    (form == length_form::len16 && size >= 126 && size <= 65535) ||
                                    (form == length_form::len64 && size > 65535);
            if (!is_minimal) continue;
            const std::string expected = "start(binary masked len=" + std::to_string(size) + ")" +
                                         (size ? " data(" + describe_payload(payload) + ")" : "") +
                                         " end";
            const frame_spec spec = with_form(data_frame(opcode::binary, true, rfc_key), form);
            EXPECT_EQ(decode_frames(as_server(), encode(spec, payload)), expected) << size;
        }
    }
}

TEST(FrameEncoder, ForcedNonMinimalFormsDecodeAsNonMinimalLength)
{
    for (std::uint64_t size : {0, 1, 125}) {
        EXPECT_EQ(decode_frames(as_client(),
                                encode(with_form(data_frame(opcode::binary), length_form::len16),
                                       bytes(size))),
                  "violation(non_minimal_length)")
            << size;
    }
    for (std::uint64_t size : {0, 1, 125, 126, 127, 65535}) {
        EXPECT_EQ(decode_frames(as_client(),
                                encode(with_form(data_frame(opcode::binary), length_form::len64),
                                       bytes(size))),
                  "violation(non_minimal_length)")
            << size;
    }
}

TEST(FrameEncoder, ForcedNonMinimalFormsRoundTripWhenTheCheckIsIgnored)
{
    const bytes payload = text_bytes("abc");
    for (auto form : {length_form::len16, length_form::len64}) {
        EXPECT_EQ(decode_frames(as_client({violation::non_minimal_length}),
                                encode(with_form(data_frame(opcode::text), form), payload)),
                  "start(text len=3) data(abc) end");
    }
}

TEST(FrameEncoder, ForcedSevenBitFormKeepsTheLowSevenBits)
{
    frame_spec spec = with_form(data_frame(opcode::binary), length_form::len7);
    spec.declared_length = 200;
    EXPECT_EQ(encode(spec, {}), hex("82 48"));
}

TEST(FrameEncoder, DeclaredLengthOverridesThePayloadSize)
{
    frame_spec spec = data_frame(opcode::text);
    spec.declared_length = 10;
    EXPECT_EQ(encode(spec, text_bytes("ab")), hex("81 0A 61 62"));
    spec.declared_length = 70000;
    EXPECT_EQ(encode(spec, {}), hex("81 7F 00 00 00 00 00 01 11 70"));
}

TEST(FrameEncoder, WritesAnyBitsItIsTold)
{
    frame_spec spec;
    spec.fin = false;
    spec.rsv = rsv1 | rsv2 | rsv3;
    spec.opcode = 0xB;
    EXPECT_EQ(encode(spec, {}), hex("7B 00"));
    EXPECT_EQ(decode_frames(as_client(), encode(spec, {})), "violation(reserved_bits_set)");
}

TEST(FrameEncoder, AppendsFramesOneAfterAnother)
{
    bytes out;
    append_frame(out, data_frame(opcode::text, false, rfc_key), text_bytes("Hel"));
    append_frame(out, data_frame(opcode::continuation, true, rfc_key), text_bytes("lo"));
    EXPECT_EQ(decode_frames(as_server(), out),
              "start(text more masked len=3) data(Hel) end start(cont masked len=2) data(lo) end");
}

TEST(FrameEncoder, DataFrameDefaultsToAValidFinalFrame)
{
    const frame_spec spec = data_frame(opcode::binary);
    EXPECT_TRUE(spec.fin);
    EXPECT_EQ(spec.rsv, 0);
    EXPECT_EQ(spec.opcode, 0x2);
    EXPECT_FALSE(spec.mask);
    EXPECT_EQ(spec.form, length_form::minimal);
    EXPECT_FALSE(spec.declared_length);
    EXPECT_EQ(as_bytes("ab").size(), 2u);
    EXPECT_EQ(as_bytes("ab")[1], 'b');
}

}  // namespace
}  // namespace wsh::codec::test
