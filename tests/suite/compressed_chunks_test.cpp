// SPDX-License-Identifier: MIT
// Messages assembled from a payload's compressed chunks (12.x/13.x) decode to the message the
// case sends, in every window, with and without context takeover, across the wrap-around at the
// end of the payload, in text sliced on code points as in binary.
#include "suite/compressed_chunks.hpp"

#include "cases/compression_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace wsh::suite {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes inflate_message(codec::inflater& in, const bytes& compressed, codec::inflate_status* status)
{
    bytes out;
    auto s = in.feed(compressed, out);
    if (s == codec::inflate_status::ok) s = in.finish(out);
    *status = s;
    return out;
}

// Text with two- and three-byte characters, so chunk boundaries fall inside characters and a
// message's byte length differs from its length in code points. The payloads live as long as the
// process, as the catalogue's do: compressed_chunks::of keeps its chunks by the payload's address.
payload_source make_text_source()
{
    payload_source s{.name = "text", .text = true};
    const std::string words[] = {"Grüße ", "aus ", "Köln ", "und ", "€ ", "Straße, ", "{\"k\":17} ", "ok "};
    for (std::uint32_t i = 0; s.data.size() < 70'000; ++i) {
        const std::string& w = words[(i * 7 + i / 5) % std::size(words)];
        s.data.insert(s.data.end(), w.begin(), w.end());
    }
    for (std::size_t at = 0; at < s.data.size(); ++at)
        if ((s.data[at] & 0xc0) != 0x80) s.code_points.push_back(static_cast<std::uint32_t>(at));
    return s;
}

// Binary: stretches that repeat and stretches that do not compress.
payload_source make_binary_source()
{
    payload_source s{.name = "binary"};
    std::uint32_t x = 12345;
    for (std::size_t i = 0; i < 90'001; ++i) {
        x = x * 1103515245 + 12345;
        s.data.push_back((i / 5000) % 2 ? static_cast<std::uint8_t>(x >> 24) : static_cast<std::uint8_t>(i % 251 / 3));
    }
    return s;
}

const payload_source& text_source()
{
    static const payload_source s = make_text_source();
    return s;
}

const payload_source& binary_source()
{
    static const payload_source s = make_binary_source();
    return s;
}

void expect_messages_decode(const payload_source& source, std::size_t size, int bits, bool no_context)
{
    const auto chunks = compressed_chunks::of(source, bits);
    codec::deflater d(bits, no_context, 1);
    codec::inflater in(bits, no_context, 1 << 20);
    bytes previous;
    // Enough rounds to wrap around the end of the payload at least once.
    const std::size_t rounds = source.units() / size + 3;
    for (std::size_t round = 0; round < rounds; ++round) {
        const bytes message = source.slice(round, size);
        bytes compressed, again;
        chunks->assemble(round, size, d, previous, compressed);
        chunks->assemble(round, size, d, previous, again);
        EXPECT_EQ(compressed, again) << "equal arguments, equal bytes";
        codec::inflate_status s{};
        EXPECT_TRUE(inflate_message(in, compressed, &s) == message)
            << source.name << " size " << size << " bits " << bits << " no_context " << no_context << " round " << round;
        ASSERT_EQ(s, codec::inflate_status::ok)
            << source.name << " size " << size << " bits " << bits << " no_context " << no_context << " round " << round;
        previous = message;
    }
}

TEST(CompressedChunks, AssembledMessagesDecodeInEveryWindowWithAndWithoutContext)
{
    const auto& text = text_source();
    const auto& binary = binary_source();
    for (int bits : {8, 9, 12, 15}) {
        for (bool no_context : {false, true}) {
            expect_messages_decode(text, 2 * compressed_chunks::chunk_bytes, bits, no_context);
            expect_messages_decode(binary, 2 * compressed_chunks::chunk_bytes + 777, bits, no_context);
        }
    }
    // A message longer than the payload wraps around more than once.
    expect_messages_decode(binary, 200'000, 15, false);
}

// Whole chunks are copied, not compressed again: every chunk a message covers whole is in its
// bytes as made, and one set of chunks per payload and window serves every caller.
TEST(CompressedChunks, WholeChunksAreCopiedFromOneSetPerPayloadAndWindow)
{
    const auto& binary = binary_source();
    const auto chunks = compressed_chunks::of(binary, 15);
    EXPECT_EQ(chunks, compressed_chunks::of(binary, 15));
    EXPECT_NE(chunks, compressed_chunks::of(binary, 9));
    EXPECT_EQ(chunks->chunk_count(), (binary.data.size() + compressed_chunks::chunk_bytes - 1) / compressed_chunks::chunk_bytes);

    // Message 0 of 3 chunks and a byte starts at a chunk boundary: its first three chunks are
    // the first chunks made alone (compared through a set made afresh).
    const compressed_chunks fresh(binary, 15);
    codec::deflater d(15, true, 1);
    bytes message;
    chunks->assemble(0, 3 * compressed_chunks::chunk_bytes + 1, d, {}, message);
    bytes whole;
    fresh.assemble(0, 3 * compressed_chunks::chunk_bytes, d, {}, whole);
    // `whole` lost its last flush tail; the longer message keeps it before its last piece.
    ASSERT_GT(message.size(), whole.size());
    EXPECT_TRUE(std::equal(whole.begin(), whole.end(), message.begin()));
}

// Chunks that do not compress are stored: each costs two block headers (its own and the flush's
// marker), 10 bytes.
TEST(CompressedChunks, AChunkThatDoesNotShrinkIsStored)
{
    payload_source noise{.name = "noise"};
    std::uint32_t x = 99;
    for (std::size_t i = 0; i < 3 * compressed_chunks::chunk_bytes + 100; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.data.push_back(static_cast<std::uint8_t>(x));
    }
    const compressed_chunks chunks(noise, 15);
    EXPECT_EQ(chunks.stored_bytes(), noise.data.size() + 10 * chunks.chunk_count());
    EXPECT_LT(compressed_chunks(text_source(), 15).stored_bytes(), text_source().data.size() / 2);
}

// The catalogue's five payloads: the first messages of the largest 12.x size decode.
TEST(CompressedChunks, TheCataloguePayloadsAssembleIntoTheirMessages)
{
    for (const auto& source : {cases::json_text(), cases::bitmap_binary(), cases::german_prose(),
                               cases::html_text(), cases::pdf_binary()}) {
        const auto chunks = compressed_chunks::of(*source, 15);
        codec::deflater d(15, true, 1);
        codec::inflater in(15, true, 1 << 20);
        for (std::size_t round = 0; round < 4; ++round) {
            bytes compressed;
            chunks->assemble(round, 131072, d, {}, compressed);
            codec::inflate_status s{};
            EXPECT_TRUE(inflate_message(in, compressed, &s) == source->slice(round, 131072)) << source->name << " " << round;
            EXPECT_EQ(s, codec::inflate_status::ok) << source->name << " " << round;
        }
    }
}

}  // namespace
}  // namespace wsh::suite
