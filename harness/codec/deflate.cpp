// SPDX-License-Identifier: MIT
#include "codec/deflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace wsh::codec {

// ---- deflater -----------------------------------------------------------------------------

struct deflater::state {
    z_stream z{};
    bool no_context_takeover = false;
    std::size_t window = 0;  // bytes
};

deflater::deflater(int window_bits, bool no_context_takeover, int level) : state_(std::make_unique<state>())
{
    window_bits = std::clamp(window_bits, min_window_bits, max_window_bits);
    // zlib refuses raw deflate with 8 bits; distance-1 matches keep a 9-bit stream valid for 8.
    const int strategy = window_bits == 8 ? Z_RLE : Z_DEFAULT_STRATEGY;
    const int bits = std::max(window_bits, 9);
    state_->no_context_takeover = no_context_takeover;
    state_->window = std::size_t{1} << window_bits;
    // memLevel sizes the hash table (2^(memLevel+7) entries), which zlib rescans each time the
    // window slides: zlib's default 8 suits a 32 KiB window, but with 512 bytes the rescans
    // cost more than the compression (4x slower at 9 bits, measured). A negative window means
    // raw deflate (RFC 7692 §7.2.1).
    const int mem_level = std::clamp(bits - 4, 1, 8);
    if (deflateInit2(&state_->z, std::clamp(level, 0, 9), Z_DEFLATED, -bits, mem_level, strategy) != Z_OK)
        throw std::runtime_error("zlib: deflateInit2 failed");
}

deflater::~deflater()
{
    if (state_) deflateEnd(&state_->z);
}

deflater::deflater(deflater&&) noexcept = default;

deflater& deflater::operator=(deflater&& other) noexcept
{
    if (this != &other) {
        if (state_) deflateEnd(&state_->z);
        state_ = std::move(other.state_);
    }
    return *this;
}

namespace {

// Compresses `data` into `out` with a sync flush, its 00 00 FF FF tail kept.
void deflate_flushed(z_stream& z, std::span<const std::uint8_t> data, std::vector<std::uint8_t>& out)
{
    z.next_in = const_cast<Bytef*>(data.data());  // zlib's API is not const-correct
    z.avail_in = static_cast<uInt>(data.size());
    // deflateBound plus room for the flush markers; the loop grows it if ever too small.
    std::size_t room = data.size() + data.size() / 1000 + 64;
    for (;;) {
        const std::size_t at = out.size();
        out.resize(at + room);
        z.next_out = out.data() + at;
        z.avail_out = static_cast<uInt>(room);
        deflate(&z, Z_SYNC_FLUSH);
        out.resize(out.size() - z.avail_out);
        if (z.avail_out != 0 && z.avail_in == 0) break;
        room = std::max<std::size_t>(room, 4096);
    }
}

}  // namespace

void store_piece(std::span<const std::uint8_t> piece, std::vector<std::uint8_t>& out)
{
    // Each block: a byte holding BFINAL 0 and BTYPE 00 (the stream is on a byte boundary after
    // a flush, so the header's padding fills the byte), LEN and NLEN little-endian, the bytes.
    auto block = [&out](std::span<const std::uint8_t> data) {
        const auto len = static_cast<std::uint16_t>(data.size());
        const auto nlen = static_cast<std::uint16_t>(~len);
        const std::uint8_t header[5] = {0x00, static_cast<std::uint8_t>(len & 0xff), static_cast<std::uint8_t>(len >> 8),
                                        static_cast<std::uint8_t>(nlen & 0xff), static_cast<std::uint8_t>(nlen >> 8)};
        out.insert(out.end(), header, header + 5);
        out.insert(out.end(), data.begin(), data.end());
    };
    for (std::size_t at = 0; at < piece.size(); at += 65535)
        block(piece.subspan(at, std::min<std::size_t>(65535, piece.size() - at)));
    block({});  // the sync flush's marker: 00 00 00 FF FF
}

void end_message(std::vector<std::uint8_t>& out, std::size_t start)
{
    if (out.size() - start >= 4 && std::memcmp(out.data() + out.size() - 4, deflate_tail, 4) == 0)
        out.resize(out.size() - 4);
    if (out.size() == start) out.push_back(0x00);
}

void deflater::compress(std::span<const std::uint8_t> message, std::vector<std::uint8_t>& out)
{
    const std::size_t start = out.size();
    deflate_flushed(state_->z, message, out);
    end_message(out, start);
    if (state_->no_context_takeover) deflateReset(&state_->z);  // RFC 7692 §7.1.1: no shared history
}

void deflater::compress_piece(std::span<const std::uint8_t> piece, std::span<const std::uint8_t> history,
                              std::vector<std::uint8_t>& out)
{
    z_stream& z = state_->z;
    deflateReset(&z);
    if (!state_->no_context_takeover && !history.empty()) {
        // The receiver's window: at most the last `window` bytes of what was sent.
        const auto tail = history.last(std::min(history.size(), state_->window));
        deflateSetDictionary(&z, tail.data(), static_cast<uInt>(tail.size()));
    }
    deflate_flushed(z, piece, out);
    deflateReset(&z);
}

// ---- inflater -----------------------------------------------------------------------------

struct inflater::state {
    z_stream z{};
    bool no_context_takeover = false;
    std::uint64_t limit = 0;
    std::uint64_t size = 0;   // inflated bytes of the current message
    bool ended = false;       // a BFINAL block ended the deflate stream inside this message
    int window_bits = max_window_bits;
    std::vector<std::uint8_t> pending;  // the compressed bytes of an unfinished block
};

namespace {

// zlib checks a distance against the history plus what the current call has written, so what it
// accepts depends on where its calls begin. Calls are made on blocks of this many compressed
// bytes, cut at fixed offsets of the message: whatever reads the message arrived in, zlib sees
// the same calls and the result is the same (found by the inflate fuzz target).
constexpr std::size_t inflate_block = 4096;

}  // namespace

inflater::inflater(int window_bits, bool no_context_takeover, std::uint64_t limit)
    : state_(std::make_unique<state>())
{
    state_->no_context_takeover = no_context_takeover;
    state_->limit = limit;
    state_->window_bits = std::clamp(window_bits, min_window_bits, max_window_bits);
    if (inflateInit2(&state_->z, -state_->window_bits) != Z_OK)
        throw std::runtime_error("zlib: inflateInit2 failed");
}

inflater::~inflater()
{
    if (state_) inflateEnd(&state_->z);
}

inflater::inflater(inflater&&) noexcept = default;

inflater& inflater::operator=(inflater&& other) noexcept
{
    if (this != &other) {
        if (state_) inflateEnd(&state_->z);
        state_ = std::move(other.state_);
    }
    return *this;
}

std::uint64_t inflater::message_size() const noexcept { return state_->size; }

// One call sequence of zlib over `input` (a whole block, or the last piece of a message).
inflate_status inflater::inflate_piece(std::span<const std::uint8_t> input, std::vector<std::uint8_t>& out)
{
    state& s = *state_;
    z_stream& z = s.z;
    z.next_in = const_cast<Bytef*>(input.data());
    z.avail_in = static_cast<uInt>(input.size());
    while (z.avail_in > 0 && !s.ended) {
        // Never more room than the limit leaves: a bomb stops here, not in an allocation.
        const std::uint64_t left = s.limit - s.size;
        const std::uint64_t past_limit = left == UINT64_MAX ? left : left + 1;
        const std::size_t room = static_cast<std::size_t>(
            std::min<std::uint64_t>(std::max<std::size_t>(input.size() * 4, 16384), past_limit));
        const std::size_t at = out.size();
        out.resize(at + room);
        z.next_out = out.data() + at;
        z.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&z, Z_SYNC_FLUSH);
        const std::size_t produced = room - z.avail_out;
        out.resize(at + produced);
        s.size += produced;
        if (s.size > s.limit) {
            out.resize(out.size() - static_cast<std::size_t>(s.size - s.limit));
            s.size = s.limit;
            return inflate_status::too_big;
        }
        if (rc == Z_STREAM_END) {
            s.ended = true;  // RFC 7692 §7.2.3.3: a final block; what follows is not deflate data
        } else if (rc == Z_BUF_ERROR && produced == 0 && z.avail_in > 0) {
            return inflate_status::corrupt;  // no progress possible
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            return inflate_status::corrupt;
        }
    }
    return inflate_status::ok;
}

inflate_status inflater::feed(std::span<const std::uint8_t> input, std::vector<std::uint8_t>& out)
{
    state& s = *state_;
    while (!input.empty()) {
        if (s.pending.empty() && input.size() >= inflate_block) {
            if (auto status = inflate_piece(input.first(inflate_block), out); status != inflate_status::ok) return status;
            input = input.subspan(inflate_block);
            continue;
        }
        const std::size_t take = std::min(inflate_block - s.pending.size(), input.size());
        s.pending.insert(s.pending.end(), input.begin(), input.begin() + static_cast<std::ptrdiff_t>(take));
        input = input.subspan(take);
        if (s.pending.size() == inflate_block) {
            const auto status = inflate_piece(s.pending, out);
            s.pending.clear();
            if (status != inflate_status::ok) return status;
        }
    }
    return inflate_status::ok;
}

inflate_status inflater::finish(std::vector<std::uint8_t>& out)
{
    state& s = *state_;
    inflate_status status = inflate_status::ok;
    s.pending.insert(s.pending.end(), std::begin(deflate_tail), std::end(deflate_tail));
    if (!s.ended) status = inflate_piece(s.pending, out);
    s.pending.clear();
    z_stream& z = s.z;
    if (s.no_context_takeover) {
        inflateReset(&z);
    } else if (s.ended) {
        // The stream ended, the history goes on: keep the window as the next dictionary.
        std::vector<std::uint8_t> window(std::size_t{1} << s.window_bits);
        uInt length = 0;
        inflateGetDictionary(&z, window.data(), &length);
        inflateReset(&z);
        if (length > 0) inflateSetDictionary(&z, window.data(), length);
    }
    s.ended = false;
    s.size = 0;
    return status;
}

void inflater::assume(std::span<const std::uint8_t> message)
{
    state& s = *state_;
    if (s.no_context_takeover || message.empty()) return;  // finish() would have reset, or added nothing
    // For raw inflate zlib adds a dictionary to the window it has (updatewindow), keeping the last
    // window's worth: the same history as inflating `message` would leave.
    inflateSetDictionary(&s.z, message.data(), static_cast<uInt>(message.size()));
}

std::vector<std::uint8_t> deflate_message(std::span<const std::uint8_t> message, int window_bits, int level)
{
    deflater d(window_bits, true, level);
    std::vector<std::uint8_t> out;
    d.compress(message, out);
    return out;
}

// ---- the bomb -------------------------------------------------------------------------------

namespace {

// RFC 1951 §3.1.1: data elements are packed from the least significant bit; Huffman codes
// start with their most significant bit.
class bit_writer {
public:
    void bits(std::uint32_t value, int count)
    {
        for (int i = 0; i < count; ++i) bit((value >> i) & 1u);
    }
    void code(std::uint32_t code, int length)
    {
        for (int i = length - 1; i >= 0; --i) bit((code >> i) & 1u);
    }
    std::vector<std::uint8_t> take() { return std::move(out_); }

private:
    void bit(std::uint32_t b)
    {
        if (used_ == 0) out_.push_back(0);
        out_.back() |= static_cast<std::uint8_t>(b << used_);
        used_ = (used_ + 1) % 8;
    }
    std::vector<std::uint8_t> out_;
    int used_ = 0;
};

}  // namespace

std::vector<std::uint8_t> deflate_zero_bomb(std::uint64_t matches)
{
    bit_writer w;
    w.bits(0, 1);   // BFINAL = 0
    w.bits(2, 2);   // BTYPE = 10, dynamic Huffman (RFC 1951 §3.2.7)
    w.bits(29, 5);  // HLIT: 286 literal/length codes (up to 285 = length 258)
    w.bits(0, 5);   // HDIST: one distance code
    w.bits(14, 4);  // HCLEN: 18 code length codes, up to the one for length 1
    // Code length code lengths in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
    // symbol 18 (a run of zeros) gets 1 bit, the lengths 1 and 2 get 2 bits each.
    constexpr int order_lengths[18] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2};
    for (int l : order_lengths) w.bits(static_cast<std::uint32_t>(l), 3);
    // Canonical codes: 18 -> 0, length 1 -> 10, length 2 -> 11.
    auto zeros = [&](std::uint32_t n) {
        w.code(0, 1);
        w.bits(n - 11, 7);  // symbol 18: 11..138 zeros
    };
    auto length_two = [&] { w.code(0b11, 2); };
    auto length_one = [&] { w.code(0b10, 2); };
    // Literal/length lengths: 0 -> 2, 1..255 -> 0, 256 -> 2, 257..284 -> 0, 285 -> 1;
    // distance lengths: 0 -> 1.
    length_two();
    zeros(138);
    zeros(117);
    length_two();
    zeros(28);
    length_one();
    length_one();
    // Canonical codes: 285 -> 0, literal 0 -> 10, end of block 256 -> 11; distance 0 -> 0.
    w.code(0b10, 2);
    for (std::uint64_t i = 0; i < matches; ++i) w.code(0, 2);  // length 258, distance 1
    w.code(0b11, 2);
    w.bits(0, 3);  // the sync flush's empty stored block header; its 00 00 FF FF is removed
    return w.take();
}

// ---- negotiation --------------------------------------------------------------------------

namespace {

std::optional<int> parse_bits(std::string_view text)
{
    // RFC 7692 §7.1.2.1: 1*DIGIT, no leading zero, 8..15.
    if (text.empty() || text.size() > 2 || text.front() == '0') return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (value < min_window_bits || value > max_window_bits) return std::nullopt;
    return value;
}

// Applies one parameter; false if unknown or its value is not allowed.
bool apply(deflate_params& p, const std::string& name, const std::optional<std::string>& value,
           bool is_response)
{
    if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
        if (value) return false;  // §7.1.1: no value
        (name.front() == 's' ? p.server_no_context_takeover : p.client_no_context_takeover) = true;
        return true;
    }
    if (name == "server_max_window_bits") {
        if (!value) return false;  // §7.1.2.1: a value is required
        p.server_max_window_bits = parse_bits(*value);
        return p.server_max_window_bits.has_value();
    }
    if (name == "client_max_window_bits") {
        p.client_max_window_bits = true;
        if (!value) return !is_response;  // §7.1.2.2: a response MUST give a value
        p.client_max_window_bits_value = parse_bits(*value);
        return p.client_max_window_bits_value.has_value();
    }
    return false;  // §7.1: an unknown parameter declines the offer / fails the response
}

}  // namespace

std::optional<deflate_params> parse_deflate_params(const extension_params& params, bool is_response)
{
    deflate_params p;
    for (std::size_t i = 0; i < params.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j)
            if (params[j].first == params[i].first) return std::nullopt;  // §7.1: no duplicates
        if (!apply(p, params[i].first, params[i].second, is_response)) return std::nullopt;
    }
    return p;
}

std::string format_deflate(const deflate_params& p)
{
    // Autobahn's order: what the client allows, then what it asks of the server.
    std::string s(permessage_deflate);
    if (p.client_no_context_takeover) s += "; client_no_context_takeover";
    if (p.client_max_window_bits) {
        s += "; client_max_window_bits";
        if (p.client_max_window_bits_value) s += "=" + std::to_string(*p.client_max_window_bits_value);
    }
    if (p.server_no_context_takeover) s += "; server_no_context_takeover";
    if (p.server_max_window_bits) s += "; server_max_window_bits=" + std::to_string(*p.server_max_window_bits);
    return s;
}

deflate_direction deflate_agreement::client_to_server() const noexcept
{
    return {response.client_max_window_bits_value.value_or(max_window_bits),
            response.client_no_context_takeover};
}

deflate_direction deflate_agreement::server_to_client() const noexcept
{
    return {response.server_max_window_bits.value_or(max_window_bits), response.server_no_context_takeover};
}

std::optional<deflate_params> accept_deflate_offer(const deflate_params& offer,
                                                   const deflate_server_policy& policy)
{
    deflate_params r;
    if (policy.request_client_max_window_bits != 0) {
        // §7.1.2.2: only a client that offered client_max_window_bits may be limited.
        if (!offer.client_max_window_bits) return std::nullopt;
        r.client_max_window_bits = true;
        r.client_max_window_bits_value = policy.request_client_max_window_bits;
    }
    r.client_no_context_takeover = policy.request_client_no_context_takeover;
    r.server_no_context_takeover = offer.server_no_context_takeover || policy.server_no_context_takeover;
    r.server_max_window_bits = offer.server_max_window_bits;  // §7.1.2.1: the same value
    return r;
}

bool is_valid_deflate_response(const deflate_params& response, std::span<const deflate_params> offers)
{
    return std::any_of(offers.begin(), offers.end(), [&](const deflate_params& o) {
        // §7.1.1.1: an offer's server_no_context_takeover is accepted by repeating it.
        if (o.server_no_context_takeover && !response.server_no_context_takeover) return false;
        // §7.1.2.1: an offer's server_max_window_bits is accepted with the same or a smaller value.
        if (o.server_max_window_bits &&
            (!response.server_max_window_bits || *response.server_max_window_bits > *o.server_max_window_bits))
            return false;
        // §7.1.2.2: client_max_window_bits only in answer to an offer that had it.
        if (response.client_max_window_bits && !o.client_max_window_bits) return false;
        return true;
    });
}

}  // namespace wsh::codec
