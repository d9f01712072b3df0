// SPDX-License-Identifier: MIT
// RFC 7692 permessage-deflate: the compressor and decompressor of one direction (raw deflate,
// sync flush, context takeover, window bits) and the negotiation of its parameters (§7.1).
// Pure: no I/O; zlib is the only dependency.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wsh::codec {

// RFC 7692 §7.2.1: the empty stored block a sync flush ends with; removed by the sender,
// appended by the receiver.
inline constexpr std::uint8_t deflate_tail[4] = {0x00, 0x00, 0xff, 0xff};

// RFC 7692 §7.1.2: LZ77 window sizes a peer may negotiate.
inline constexpr int min_window_bits = 8;
inline constexpr int max_window_bits = 15;

// Compressor of one direction. zlib builds no raw compressor with an 8-bit window, so a window
// of 8 is served by a 9-bit compressor restricted to distance-1 matches (Z_RLE): every match
// then lies within 256 bytes and the output is valid for an 8-bit window.
class deflater {
public:
    // `window_bits` 8..15 (clamped), `no_context_takeover`: every message starts afresh
    // (RFC 7692 §7.1.1), `level` zlib's 0..9.
    deflater(int window_bits, bool no_context_takeover, int level = 6);
    ~deflater();
    deflater(deflater&&) noexcept;
    deflater& operator=(deflater&&) noexcept;

    // RFC 7692 §7.2.1: compresses one whole message with a sync flush and appends it to `out`
    // without the 00 00 FF FF tail. An empty message becomes the single octet 0x00 (§7.2.3.6).
    void compress(std::span<const std::uint8_t> message, std::vector<std::uint8_t>& out);

    // A piece of a message, compressed on its own as if the context held exactly `history`
    // (what the receiver holds before it; only its last window's worth is used, nothing with
    // no_context_takeover), ending with the whole sync flush, 00 00 FF FF kept. The result
    // depends only on the arguments, and the flush's empty stored block leaves the stream
    // between blocks on a byte boundary, with no back-reference of the piece reaching before its
    // start except into `history`. Pieces so made concatenate (RFC 1951 §3.2.3): the pieces of
    // a message, each compressed after what the receiver holds before it (or after nothing),
    // form the message's stream once end_message() takes the last flush's tail off; a whole
    // message is one such piece. Leaves no context for compress(): a connection uses one of the two.
    void compress_piece(std::span<const std::uint8_t> piece, std::span<const std::uint8_t> history,
                        std::vector<std::uint8_t>& out);

private:
    struct state;
    std::unique_ptr<state> state_;
};

// A piece as deflater::compress_piece() makes it, left uncompressed: RFC 1951 §3.2.4 stored
// blocks (up to 65535 bytes each) and the empty stored block of a sync flush, 00 00 FF FF last.
// It costs a copy to make and a copy to inflate.
void store_piece(std::span<const std::uint8_t> piece, std::vector<std::uint8_t>& out);

// RFC 7692 §7.2.1: the compressed message that begins at `start` of `out`, made of pieces
// ending with a sync flush, loses the flush's 00 00 FF FF tail; nothing becomes 0x00 (§7.2.3.6).
void end_message(std::vector<std::uint8_t>& out, std::size_t start);

enum class inflate_status : std::uint8_t {
    ok,         // all input taken, output appended
    too_big,    // the message's inflated size passed the limit: output stops at the limit
    corrupt,    // not valid deflate data (zlib's Z_DATA_ERROR)
};

// Decompressor of one direction. The window is the negotiated one, so a peer that reaches
// into a previous message further back than it agreed to (or at all, after agreeing to
// no_context_takeover) produces `corrupt` ("invalid distance too far back"). zlib checks the
// window only against history plus what one call writes, so the input goes to zlib in blocks
// of 4 KiB cut at fixed offsets of the message: the result never depends on how the message
// was split into frames or reads.
class inflater {
public:
    // `window_bits` 8..15 (clamped); `limit`: largest inflated message; `no_context_takeover`:
    // the peer resets its context after every message (the history is dropped here too).
    inflater(int window_bits, bool no_context_takeover, std::uint64_t limit);
    ~inflater();
    inflater(inflater&&) noexcept;
    inflater& operator=(inflater&&) noexcept;

    // Inflates the next compressed bytes of the current message and appends the result to
    // `out`. Never grows `out` past `limit` bytes of this message. After too_big or corrupt
    // the message is lost: call finish() or discard the inflater.
    [[nodiscard]] inflate_status feed(std::span<const std::uint8_t> input, std::vector<std::uint8_t>& out);

    // RFC 7692 §7.2.2: appends the 00 00 FF FF tail, inflates it, ends the message (resetting
    // the context with no_context_takeover). Data after a final (BFINAL) block is ignored and
    // the history is kept for the next message.
    [[nodiscard]] inflate_status finish(std::vector<std::uint8_t>& out);

    [[nodiscard]] std::uint64_t message_size() const noexcept;

    // Takes `message` as the next whole message without inflating it: the caller knows what it
    // inflates to (e.g. the peer echoed compressed bytes that are known to decode to it). The
    // history advances as finish() would have left it. Only between messages (before any
    // feed() of the next one).
    void assume(std::span<const std::uint8_t> message);

private:
    [[nodiscard]] inflate_status inflate_piece(std::span<const std::uint8_t> input, std::vector<std::uint8_t>& out);

    struct state;
    std::unique_ptr<state> state_;
};

// Compresses `message` as one permessage-deflate message of a fresh context (tests, payloads).
[[nodiscard]] std::vector<std::uint8_t> deflate_message(std::span<const std::uint8_t> message,
                                                        int window_bits = 15, int level = 6);

// A deflate bomb built bit by bit, without compressing anything: one dynamic-Huffman block
// holding a zero literal and `matches` copies of (length 258, distance 1), 2 bits each, then
// the empty stored block of a sync flush with its 00 00 FF FF removed. It inflates to
// 1 + 258 * matches zero octets from about matches / 4 bytes, under any window of 8..15 bits.
[[nodiscard]] std::vector<std::uint8_t> deflate_zero_bomb(std::uint64_t matches);

// ---- negotiation (RFC 7692 §7.1) -------------------------------------------------------------

inline constexpr std::string_view permessage_deflate = "permessage-deflate";

// The parameters of one extension element (RFC 6455 §9.1), as the handshake layer parses them.
using extension_params = std::vector<std::pair<std::string, std::optional<std::string>>>;

// RFC 7692 §7.1 parameters of an offer or a response.
struct deflate_params {
    bool server_no_context_takeover = false;
    bool client_no_context_takeover = false;
    std::optional<int> server_max_window_bits;    // 8..15
    bool client_max_window_bits = false;          // present (with or without a value)
    std::optional<int> client_max_window_bits_value;  // 8..15, if a value was given

    friend bool operator==(const deflate_params&, const deflate_params&) = default;
};

// Reads the parameters of an offer (`is_response` false) or a response. nullopt when a
// parameter is unknown, repeated or has an invalid value (§7.1: "the offer is declined" /
// "the client MUST _Fail the WebSocket Connection_"); a response also needs a value with
// client_max_window_bits (§7.1.2.2).
[[nodiscard]] std::optional<deflate_params> parse_deflate_params(const extension_params& params,
                                                                 bool is_response);

// "permessage-deflate; client_no_context_takeover; client_max_window_bits=10"
[[nodiscard]] std::string format_deflate(const deflate_params& p);

// What one direction uses once negotiated.
struct deflate_direction {
    int window_bits = 15;
    bool no_context_takeover = false;
};

// The agreed parameters, seen from both ends.
struct deflate_agreement {
    deflate_params response;  // what the server answered
    [[nodiscard]] deflate_direction client_to_server() const noexcept;
    [[nodiscard]] deflate_direction server_to_client() const noexcept;
};

// What a server asks of the client when it accepts (Autobahn's requestNoContextTakeover and
// requestMaxWindowBits), and what it does itself.
struct deflate_server_policy {
    bool request_client_no_context_takeover = false;
    int request_client_max_window_bits = 0;  // 0: do not ask; needs the offer's client_max_window_bits
    bool server_no_context_takeover = false;  // used even when not asked (§7.1.1.1 allows it)
};

// Server side: the response to one offer, or nullopt if this offer is declined. Honours what
// the client asked of the server (server_no_context_takeover, server_max_window_bits).
[[nodiscard]] std::optional<deflate_params> accept_deflate_offer(const deflate_params& offer,
                                                                 const deflate_server_policy& policy);

// Client side (RFC 7692 §7.1): is `response` a valid answer to one of `offers`? A response may
// add server_no_context_takeover, client_no_context_takeover and server_max_window_bits
// (§7.1.2.1 allows it unasked), must keep what an offer required of the server, and may name
// client_max_window_bits only if that offer did (§7.1.2.2).
[[nodiscard]] bool is_valid_deflate_response(const deflate_params& response,
                                             std::span<const deflate_params> offers);

}  // namespace wsh::codec
