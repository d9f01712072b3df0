// SPDX-License-Identifier: MIT
#include "codec/deflate.hpp"

#include "codec/frame_encoder.hpp"
#include "codec/message_decoder.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <span>
#include <string>

namespace wsh::codec {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes to_bytes(std::string_view s) { return bytes(s.begin(), s.end()); }

// A whole message compressed on its own after `history`: one piece, its flush's tail taken off.
void compress_alone(deflater& d, std::span<const std::uint8_t> message, std::span<const std::uint8_t> history, bytes& out)
{
    const std::size_t start = out.size();
    d.compress_piece(message, history, out);
    end_message(out, start);
}

bytes inflate_all(inflater& in, const bytes& compressed, inflate_status* status = nullptr)
{
    bytes out;
    auto s = in.feed(compressed, out);
    if (s == inflate_status::ok) s = in.finish(out);
    if (status) *status = s;
    return out;
}

// RFC 7692 §7.2.3.1: "Hello" compressed, as in the RFC.
const bytes rfc_hello{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00};

TEST(Deflate, InflatesTheRfcExampleOfHello)
{
    inflater in(15, false, 1024);
    EXPECT_EQ(inflate_all(in, rfc_hello), to_bytes("Hello"));
}

TEST(Deflate, CompressesHelloToTheRfcBytesWithTheTailStripped)
{
    deflater d(15, false);
    bytes out;
    d.compress(to_bytes("Hello"), out);
    EXPECT_EQ(out, rfc_hello);  // §7.2.3.1: sync flush, 00 00 ff ff removed
}

TEST(Deflate, InflatesTheRfcExampleWithAStoredBlock)
{
    // §7.2.3.3: "Hello" in a stored (BTYPE=00) block.
    const bytes stored{0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00};
    inflater in(15, false, 1024);
    EXPECT_EQ(inflate_all(in, stored), to_bytes("Hello"));
}

TEST(Deflate, InflatesTheRfcExampleWithBfinalSetAndKeepsGoing)
{
    // §7.2.3.4: a final block; the appended tail is ignored and the next message still inflates.
    const bytes final_block{0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00};
    inflater in(15, false, 1024);
    EXPECT_EQ(inflate_all(in, final_block), to_bytes("Hello"));
    EXPECT_EQ(inflate_all(in, rfc_hello), to_bytes("Hello"));
}

TEST(Deflate, EmptyMessageIsOneZeroOctet)
{
    deflater d(15, false);
    bytes out;
    d.compress({}, out);
    EXPECT_EQ(out, bytes{0x00});  // §7.2.3.6
    inflater in(15, false, 16);
    EXPECT_TRUE(inflate_all(in, out).empty());
}

TEST(Deflate, ContextTakeoverMakesTheSecondMessageShorterAndItInflatesWithHistory)
{
    // §7.2.3.2: the second "Hello" refers back to the first.
    deflater d(15, false);
    bytes first, second;
    d.compress(to_bytes("Hello"), first);
    d.compress(to_bytes("Hello"), second);
    EXPECT_LT(second.size(), first.size());
    inflater in(15, false, 1024);
    EXPECT_EQ(inflate_all(in, first), to_bytes("Hello"));
    EXPECT_EQ(inflate_all(in, second), to_bytes("Hello"));
}

TEST(Deflate, NoContextTakeoverResetsEveryMessageOnBothSides)
{
    deflater d(15, true);
    bytes first, second;
    d.compress(to_bytes("Hello"), first);
    d.compress(to_bytes("Hello"), second);
    EXPECT_EQ(first, second);
    inflater in(15, true, 1024);
    EXPECT_EQ(inflate_all(in, first), to_bytes("Hello"));
    EXPECT_EQ(inflate_all(in, second), to_bytes("Hello"));
}

TEST(Deflate, AnInflaterWithoutContextTakeoverRejectsAReferenceIntoTheLastMessage)
{
    deflater d(15, false);  // a peer ignoring the agreed no_context_takeover
    bytes first, second;
    const bytes text = to_bytes(std::string(200, 'a') + "0123456789abcdefghijklmnopqrstuvwxyz");
    d.compress(text, first);
    d.compress(text, second);
    inflater in(15, true, 1 << 20);
    EXPECT_EQ(inflate_all(in, first), text);
    inflate_status s{};
    inflate_all(in, second, &s);
    EXPECT_EQ(s, inflate_status::corrupt);
}

TEST(Deflate, EveryWindowSizeRoundTripsThroughAStrictInflater)
{
    std::string text;
    for (int i = 0; i < 4000; ++i) text += "word" + std::to_string(i % 97) + " ";
    for (int bits = 8; bits <= 15; ++bits) {
        deflater d(bits, false);
        inflater in(bits, false, 1 << 20);
        for (int round = 0; round < 3; ++round) {
            bytes c;
            d.compress(to_bytes(text), c);
            inflate_status s{};
            EXPECT_EQ(inflate_all(in, c, &s), to_bytes(text)) << "window bits " << bits;
            EXPECT_EQ(s, inflate_status::ok) << "window bits " << bits;
        }
    }
}

TEST(Deflate, ANarrowInflaterRejectsAReferenceBeyondTheAgreedWindowIntoTheLastMessage)
{
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "x" + std::to_string(i * 7919 % 1000);
    deflater d(15, false);  // a peer ignoring the agreed server_max_window_bits=9
    bytes first, second;
    d.compress(to_bytes(text), first);
    d.compress(to_bytes(text.substr(0, 600)), second);  // lies about 7 KB back
    inflater in(9, false, 1 << 20);
    EXPECT_EQ(inflate_all(in, first), to_bytes(text));
    inflate_status s{};
    inflate_all(in, second, &s);
    EXPECT_EQ(s, inflate_status::corrupt);
}

// compress_piece of a whole message: each message compressed on its own from the history it follows decodes in
// a strict inflater that kept the real history, under every window; it refers back into the
// history (shorter than without), and equal arguments give equal bytes.
TEST(Deflate, MessagesCompressedAloneDecodeWithTheHistoryTheyFollow)
{
    std::string stream;
    for (int i = 0; i < 3000; ++i) stream += "{\"id\":" + std::to_string(i % 61) + ",\"v\":\"" + std::to_string(i * 7 % 13) + "\"} ";
    const std::size_t size = 4096;
    for (int bits : {8, 9, 12, 15}) {
        deflater d(bits, false);
        inflater in(bits, false, 1 << 20);
        bytes previous;
        for (std::size_t at = 0; at + size <= stream.size(); at += size) {
            const bytes message = to_bytes(std::string_view(stream).substr(at, size));
            bytes alone, again, fresh;
            compress_alone(d, message, previous, alone);
            compress_alone(d, message, previous, again);
            EXPECT_EQ(alone, again) << "window bits " << bits;
            inflate_status s{};
            EXPECT_EQ(inflate_all(in, alone, &s), message) << "window bits " << bits << " at " << at;
            EXPECT_EQ(s, inflate_status::ok) << "window bits " << bits << " at " << at;
            if (!previous.empty() && bits == 15) {
                compress_alone(d, message, {}, fresh);
                EXPECT_LT(alone.size(), fresh.size()) << "the history is used";
            }
            previous = message;
        }
    }
}

TEST(Deflate, MessagesCompressedAloneWithoutContextTakeoverIgnoreTheHistory)
{
    const bytes text = to_bytes(std::string(300, 'a') + "0123456789");
    deflater d(15, true);
    bytes with, without;
    compress_alone(d, text, text, with);
    compress_alone(d, text, {}, without);
    EXPECT_EQ(with, without);
    inflater in(15, true, 1024);
    EXPECT_EQ(inflate_all(in, with), text);
    EXPECT_EQ(inflate_all(in, with), text);
}

// compress_piece and store_piece: pieces each compressed on their own (the first after the
// history) or stored, flush tails kept, concatenate into one message that a strict inflater of
// that window decodes; the message's tail comes off once (end_message), and an empty message is
// the octet 0x00. A stored piece over 65535 bytes takes several blocks.
TEST(Deflate, PiecesCompressedOnTheirOwnConcatenateIntoOneMessage)
{
    std::string stream;
    for (int i = 0; i < 2500; ++i) stream += "<li id=\"" + std::to_string(i % 83) + "\">item " + std::to_string(i * 13 % 29) + "</li>";
    for (int bits : {8, 9, 12, 15}) {
        for (bool no_context : {false, true}) {
            deflater d(bits, no_context);
            inflater in(bits, no_context, 1 << 20);
            bytes previous;
            for (std::size_t at = 0, size = 1000; at + size <= stream.size(); at += size, size = size * 3 / 2) {
                const bytes message = to_bytes(std::string_view(stream).substr(at, size));
                bytes c;
                const auto m = std::span<const std::uint8_t>(message);
                d.compress_piece(m.first(size / 3), previous, c);
                EXPECT_EQ(std::memcmp(c.data() + c.size() - 4, deflate_tail, 4), 0) << "the flush is kept";
                store_piece(m.subspan(size / 3, size / 3), c);
                d.compress_piece(m.subspan(2 * (size / 3)), {}, c);
                end_message(c, 0);
                inflate_status s{};
                EXPECT_EQ(inflate_all(in, c, &s), message) << bits << "/" << no_context << " at " << at;
                EXPECT_EQ(s, inflate_status::ok) << bits << "/" << no_context << " at " << at;
                previous = message;
            }
        }
    }
    const bytes big = to_bytes(std::string(35000, 'x') + stream.substr(0, 35000));
    bytes stored;
    store_piece(big, stored);
    EXPECT_EQ(stored.size(), big.size() + 3 * 5) << "three blocks: 65535, the rest, the flush's";
    end_message(stored, 0);
    inflater in(15, true, 1 << 20);
    inflate_status s{};
    EXPECT_EQ(inflate_all(in, stored, &s), big);
    EXPECT_EQ(s, inflate_status::ok);
    deflater d(15, true);
    bytes empty;
    d.compress_piece({}, {}, empty);
    end_message(empty, 0);
    EXPECT_EQ(empty, bytes{0x00});
}

// assume() leaves the history that inflating the message would have left: messages after it
// decode alike on an inflater that inflated everything and on one that assumed some messages,
// and an assumed message the peer never sent makes the next reference decode differently.
TEST(Deflate, AnAssumedMessageAdvancesTheHistoryLikeAnInflatedOne)
{
    std::string stream;
    for (int i = 0; i < 4000; ++i) stream += "<td>" + std::to_string(i * 31 % 97) + "</td><td>row " + std::to_string(i % 7) + "</td> ";
    for (int bits : {9, 12, 15}) {
        for (std::size_t size : {std::size_t{16}, std::size_t{700}, std::size_t{5000}, std::size_t{40000}}) {
            deflater d(bits, false);
            inflater whole(bits, false, 1 << 20), assuming(bits, false, 1 << 20);
            std::size_t at = 0;
            for (int round = 0; round < 12 && at + size <= stream.size(); ++round, at += size) {
                const bytes message = to_bytes(std::string_view(stream).substr(at, size));
                bytes c;
                d.compress(message, c);
                inflate_status s{};
                EXPECT_EQ(inflate_all(whole, c, &s), message) << bits << "/" << size << "/" << round;
                if (round % 3 == 1) {
                    assuming.assume(message);
                    continue;
                }
                EXPECT_EQ(inflate_all(assuming, c, &s), message) << bits << "/" << size << "/" << round;
                EXPECT_EQ(s, inflate_status::ok);
            }
        }
    }
    // A history that was not sent: the reference into it inflates to other bytes, or fails.
    deflater d(15, false);
    inflater in(15, false, 1 << 20);
    const bytes first = to_bytes("the quick brown fox jumps over the lazy dog");
    bytes c1, c2;
    d.compress(first, c1);
    d.compress(first, c2);
    in.assume(to_bytes("a different history of the very same length, padded"));
    inflate_status s{};
    EXPECT_NE(inflate_all(in, c2, &s), first);
    // Without context takeover there is no history to advance.
    inflater fresh(15, true, 1024);
    fresh.assume(first);
    EXPECT_EQ(inflate_all(fresh, c1, &s), first);
}

// The history a message is compressed against must be what the receiver holds: an inflater
// without context takeover (or that never saw the history) rejects it.
TEST(Deflate, AMessageCompressedAloneAgainstAHistoryTheReceiverLacksIsCorrupt)
{
    const bytes history = to_bytes("the quick brown fox jumps over the lazy dog, again and again");
    const bytes message = to_bytes("the quick brown fox jumps over the lazy dog");
    deflater d(15, false);
    bytes c;
    compress_alone(d, message, history, c);
    inflater in(15, true, 1024);
    inflate_status s{};
    inflate_all(in, c, &s);
    EXPECT_EQ(s, inflate_status::corrupt);
}

// zlib can take the last input byte while output is still owed (the rest of a long match):
// the inflater must collect it before it returns, whole or split, or the message comes out
// short (found by the inflate fuzz target: whole and split inflation ended differently).
TEST(Deflate, OutputStillOwedWhenTheInputRunsOutIsCollected)
{
    for (std::size_t n : {16383u, 16384u, 16385u, 20000u, 65536u, 100000u, 300000u}) {
        const bytes zeros(n, 0);
        const bytes c = deflate_message(zeros);
        inflater whole(15, false, 1 << 20);
        EXPECT_EQ(inflate_all(whole, c).size(), n) << n << " bytes, whole";
        inflater bytewise(15, false, 1 << 20);
        bytes out;
        for (auto b : c) ASSERT_EQ(bytewise.feed(std::span(&b, 1), out), inflate_status::ok);
        ASSERT_EQ(bytewise.finish(out), inflate_status::ok);
        EXPECT_EQ(out.size(), n) << n << " bytes, one byte at a time";
        inflater limited(15, false, n - 1);
        inflate_status s{};
        inflate_all(limited, c, &s);
        EXPECT_EQ(s, inflate_status::too_big) << n << " bytes, limit one less";
    }
}

TEST(Deflate, ABombStopsAtTheLimit)
{
    const bytes zeros(8u << 20, 0);
    bytes bomb = deflate_message(zeros);
    EXPECT_LT(bomb.size(), 16u * 1024);
    inflater in(15, false, 1u << 20);
    bytes out;
    EXPECT_EQ(in.feed(bomb, out), inflate_status::too_big);
    EXPECT_EQ(out.size(), 1u << 20);
}

TEST(Deflate, TheHandBuiltBombInflatesToZerosUnderEveryWindow)
{
    const bytes bomb = deflate_zero_bomb(1000);
    EXPECT_LT(bomb.size(), 300u);
    for (int bits = 8; bits <= 15; ++bits) {
        inflater in(bits, false, 1u << 20);
        inflate_status s{};
        EXPECT_EQ(inflate_all(in, bomb, &s), bytes(1 + 258 * 1000, 0)) << bits;
        EXPECT_EQ(s, inflate_status::ok) << bits;
    }
    inflater small(15, false, 4096);
    bytes out;
    EXPECT_EQ(small.feed(deflate_zero_bomb(1u << 20), out), inflate_status::too_big);
    EXPECT_EQ(out.size(), 4096u);
}

TEST(Deflate, GarbageIsCorruptNotACrash)
{
    inflater in(15, false, 1024);
    inflate_status s{};
    inflate_all(in, bytes{0xff, 0xff, 0xff, 0xff, 0x00}, &s);
    EXPECT_EQ(s, inflate_status::corrupt);
}

TEST(Deflate, InflatesTheSameAtEverySplitPoint)
{
    const bytes text = to_bytes("A text that is long enough to be compressed, compressed, compressed.");
    const bytes c = deflate_message(text);
    for (std::size_t cut = 0; cut <= c.size(); ++cut) {
        inflater in(15, false, 1024);
        bytes out;
        ASSERT_EQ(in.feed(std::span(c).first(cut), out), inflate_status::ok);
        ASSERT_EQ(in.feed(std::span(c).subspan(cut), out), inflate_status::ok);
        ASSERT_EQ(in.finish(out), inflate_status::ok);
        EXPECT_EQ(out, text) << "cut at " << cut;
    }
}

// ---- negotiation ----------------------------------------------------------------------------

extension_params params(std::initializer_list<std::pair<std::string, std::optional<std::string>>> p)
{
    return extension_params(p);
}

TEST(DeflateNegotiation, ParsesEveryParameterOfSection71)
{
    auto p = parse_deflate_params(params({{"server_no_context_takeover", {}},
                                          {"client_no_context_takeover", {}},
                                          {"server_max_window_bits", "10"},
                                          {"client_max_window_bits", {}}}),
                                  false);
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->server_no_context_takeover);
    EXPECT_TRUE(p->client_no_context_takeover);
    EXPECT_EQ(p->server_max_window_bits, 10);
    EXPECT_TRUE(p->client_max_window_bits);
    EXPECT_FALSE(p->client_max_window_bits_value);
    EXPECT_EQ(format_deflate(*p), "permessage-deflate; client_no_context_takeover; client_max_window_bits; "
                                  "server_no_context_takeover; server_max_window_bits=10");
}

TEST(DeflateNegotiation, DeclinesUnknownDuplicateAndInvalidParameters)
{
    EXPECT_FALSE(parse_deflate_params(params({{"x_unknown", {}}}), false));
    EXPECT_FALSE(parse_deflate_params(params({{"client_no_context_takeover", {}}, {"client_no_context_takeover", {}}}), false));
    EXPECT_FALSE(parse_deflate_params(params({{"server_max_window_bits", {}}}), false));
    EXPECT_FALSE(parse_deflate_params(params({{"server_max_window_bits", "7"}}), false));
    EXPECT_FALSE(parse_deflate_params(params({{"server_max_window_bits", "16"}}), false));
    EXPECT_FALSE(parse_deflate_params(params({{"server_max_window_bits", "010"}}), false));
    EXPECT_FALSE(parse_deflate_params(params({{"client_max_window_bits", "abc"}}), false));
    EXPECT_FALSE(parse_deflate_params(params({{"server_no_context_takeover", "1"}}), false));
    EXPECT_TRUE(parse_deflate_params(params({{"server_max_window_bits", "8"}}), false));
}

TEST(DeflateNegotiation, AResponseNeedsAValueForClientMaxWindowBits)
{
    EXPECT_FALSE(parse_deflate_params(params({{"client_max_window_bits", {}}}), true));
    EXPECT_TRUE(parse_deflate_params(params({{"client_max_window_bits", "9"}}), true));
}

TEST(DeflateNegotiation, ServerAnswersLikeAutobahnsSuiteAsServer)
{
    deflate_params plain;
    deflate_params with_bits;
    with_bits.client_max_window_bits = true;
    // 13.2: requestNoContextTakeover
    auto r = accept_deflate_offer(plain, {.request_client_no_context_takeover = true});
    ASSERT_TRUE(r);
    EXPECT_EQ(format_deflate(*r), "permessage-deflate; client_no_context_takeover");
    // 13.3: requestMaxWindowBits 9 needs client_max_window_bits in the offer
    EXPECT_FALSE(accept_deflate_offer(plain, {.request_client_max_window_bits = 9}));
    r = accept_deflate_offer(with_bits, {.request_client_max_window_bits = 9});
    ASSERT_TRUE(r);
    EXPECT_EQ(format_deflate(*r), "permessage-deflate; client_max_window_bits=9");
    // what the client asked of the server is echoed
    deflate_params asks;
    asks.server_no_context_takeover = true;
    asks.server_max_window_bits = 10;
    r = accept_deflate_offer(asks, {});
    ASSERT_TRUE(r);
    EXPECT_EQ(format_deflate(*r), "permessage-deflate; server_no_context_takeover; server_max_window_bits=10");
}

TEST(DeflateNegotiation, ClientChecksTheResponseAgainstItsOffers)
{
    deflate_params offer;
    offer.client_no_context_takeover = true;
    offer.client_max_window_bits = true;
    deflate_params asks_server = offer;
    asks_server.server_max_window_bits = 9;
    const std::vector<deflate_params> one{asks_server};

    deflate_params response;
    EXPECT_FALSE(is_valid_deflate_response(response, one));  // §7.1.2.1: must accept the limit
    response.server_max_window_bits = 9;
    EXPECT_TRUE(is_valid_deflate_response(response, one));
    response.server_max_window_bits = 10;
    EXPECT_FALSE(is_valid_deflate_response(response, one));  // larger than offered
    // several offers: a plain one makes a plain response valid
    const std::vector<deflate_params> two{asks_server, offer};
    EXPECT_TRUE(is_valid_deflate_response(deflate_params{}, two));
    // §7.1.2.2: client_max_window_bits only if offered
    deflate_params limits_client;
    limits_client.client_max_window_bits = true;
    limits_client.client_max_window_bits_value = 10;
    EXPECT_TRUE(is_valid_deflate_response(limits_client, two));
    EXPECT_FALSE(is_valid_deflate_response(limits_client, std::vector<deflate_params>{deflate_params{}}));
}

// ---- RSV1 in the message decoder (RFC 7692 §6.1) -----------------------------------------------

message_event first_event_after_start(message_decoder& d, bytes wire)
{
    std::span<std::uint8_t> in(wire);
    message_event last;
    for (;;) {
        auto s = d.feed(in);
        in = in.subspan(s.consumed);
        if (s.event.kind == message_event_kind::violation_found) return s.event;
        if (s.event.kind == message_event_kind::need_more) break;
        last = s.event;
    }
    return last;
}

message_decoder client_decoder(bool negotiated)
{
    message_options o;
    o.frame.local_role = role::client;
    message_decoder d(o);
    if (negotiated) d.set_allowed_rsv(rsv1);
    return d;
}

TEST(DeflateRsv1, FirstFrameOfAMessageIsCompressedAndNotUtf8Checked)
{
    auto d = client_decoder(true);
    frame_spec s = data_frame(opcode::text);
    s.rsv = rsv1;
    bytes payload{0xff, 0xfe, 0x00};  // not UTF-8, but compressed data
    auto e = first_event_after_start(d, encode_frame(s, payload));
    EXPECT_EQ(e.kind, message_event_kind::frame_finished);
    EXPECT_TRUE(e.compressed);
}

TEST(DeflateRsv1, Rsv1OnAContinuationIsAViolation)
{
    auto d = client_decoder(true);
    frame_spec first = data_frame(opcode::text, false);
    first.rsv = rsv1;
    frame_spec next = data_frame(opcode::continuation);
    next.rsv = rsv1;
    bytes wire = encode_frame(first, bytes{0x00});
    auto more = encode_frame(next, bytes{0x00});
    wire.insert(wire.end(), more.begin(), more.end());
    auto e = first_event_after_start(d, wire);
    EXPECT_EQ(e.kind, message_event_kind::violation_found);
    EXPECT_EQ(e.error, violation::compressed_continuation);
}

TEST(DeflateRsv1, Rsv1OnAControlFrameIsAViolation)
{
    auto d = client_decoder(true);
    frame_spec ping = data_frame(opcode::ping);
    ping.rsv = rsv1;
    auto e = first_event_after_start(d, encode_frame(ping, bytes{}));
    EXPECT_EQ(e.kind, message_event_kind::violation_found);
    EXPECT_EQ(e.error, violation::compressed_control_frame);
}

TEST(DeflateRsv1, Rsv1WithoutNegotiationIsAReservedBitViolation)
{
    auto d = client_decoder(false);
    frame_spec s = data_frame(opcode::binary);
    s.rsv = rsv1;
    auto e = first_event_after_start(d, encode_frame(s, bytes{0x00}));
    EXPECT_EQ(e.kind, message_event_kind::violation_found);
    EXPECT_EQ(e.error, violation::reserved_bits_set);
}

}  // namespace
}  // namespace wsh::codec
