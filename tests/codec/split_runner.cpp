// SPDX-License-Identifier: MIT
#include "split_runner.hpp"

#include "codec/frame_encoder.hpp"

#include <cstdio>

namespace wsh::codec::test {
namespace {

// One rendered event; chunk events keep their bytes so consecutive chunks can be joined.
struct record {
    std::string text{};  // for chunks: the prefix, e.g. "data"
    bool is_chunk = false;
    bytes payload{};
};

std::string opcode_name(std::uint8_t op)
{
    switch (op) {
    case 0x0: return "cont";
    case 0x1: return "text";
    case 0x2: return "binary";
    case 0x8: return "close";
    case 0x9: return "ping";
    case 0xA: return "pong";
    default: return "op=" + std::to_string(op);
    }
}

std::string describe_header(const frame_header& h)
{
    std::string s = "start(" + opcode_name(h.opcode);
    if (!h.fin) s += " more";
    if (h.rsv != 0) s += " rsv=" + std::to_string(h.rsv);
    if (h.masked) s += " masked";
    return s + " len=" + std::to_string(h.payload_length) + ")";
}

std::string describe_violation(violation v) { return "violation(" + std::string(name(v)) + ")"; }

record render(const frame_event& e)
{
    switch (e.kind) {
    case frame_event_kind::frame_started: return {describe_header(e.header)};
    case frame_event_kind::payload_chunk:
        return {"data", true, bytes(e.payload.begin(), e.payload.end())};
    case frame_event_kind::frame_finished: return {"end"};
    case frame_event_kind::violation_found: return {describe_violation(e.error)};
    case frame_event_kind::need_more: break;
    }
    return {"need_more"};
}

std::string describe_control(const message_event& e)
{
    std::string s = opcode_name(e.opcode) + "(";
    if (e.opcode == 0x8 && e.close.code) {
        s += std::to_string(*e.close.code);
        if (!e.close.reason.empty()) s += " " + describe_payload(as_bytes(e.close.reason));
    } else {
        s += describe_payload(e.payload);
    }
    return s + ")";
}

record render(const message_event& e)
{
    switch (e.kind) {
    case message_event_kind::frame_started: return {describe_header(e.header)};
    case message_event_kind::data_chunk:
        return {opcode_name(e.opcode), true, bytes(e.payload.begin(), e.payload.end())};
    case message_event_kind::frame_finished: return {"end"};
    case message_event_kind::control_received: return {describe_control(e)};
    case message_event_kind::violation_found: return {describe_violation(e.error)};
    case message_event_kind::need_more: break;
    }
    return {"need_more"};
}

std::string join(const std::vector<record>& records)
{
    std::string out;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const record& r = records[i];
        if (!out.empty()) out += ' ';
        out += r.is_chunk ? r.text + "(" + describe_payload(r.payload) + ")" : r.text;
    }
    return out;
}

void add(std::vector<record>& records, record r)
{
    if (r.is_chunk && !records.empty() && records.back().is_chunk) {
        records.back().payload.insert(records.back().payload.end(), r.payload.begin(),
                                      r.payload.end());
        return;
    }
    records.push_back(std::move(r));
}

bool is_boundary(const frame_decoder& d) { return d.is_at_frame_boundary(); }
bool is_boundary(const message_decoder& d) { return !d.is_in_message(); }
bool is_end(const frame_event& e) { return e.kind == frame_event_kind::need_more; }
bool is_end(const message_event& e) { return e.kind == message_event_kind::need_more; }
bool is_failure(const frame_event& e) { return e.kind == frame_event_kind::violation_found; }
bool is_failure(const message_event& e) { return e.kind == message_event_kind::violation_found; }

// Feeds one chunk until the decoder asks for more; returns false once a violation is seen.
template <class Decoder>
bool feed_chunk(Decoder& d, std::span<std::uint8_t> chunk, std::vector<record>& records)
{
    for (std::size_t guard = 0; guard < 4 * chunk.size() + 16; ++guard) {
        auto step = d.feed(chunk);
        EXPECT_LE(step.consumed, chunk.size());
        chunk = chunk.subspan(step.consumed);
        if (is_end(step.event)) {
            EXPECT_TRUE(chunk.empty()) << "need_more left input unconsumed";
            return true;
        }
        add(records, render(step.event));
        if (is_failure(step.event)) {
            auto again = d.feed(chunk);
            EXPECT_EQ(again.consumed, 0u);
            EXPECT_EQ(render(again.event).text, records.back().text);
            return false;
        }
    }
    ADD_FAILURE() << "decoder made no progress";
    return false;
}

// Decodes `input` cut at each of `cuts` (ascending offsets inside the input).
template <class Decoder, class Options>
std::string run(const Options& options, const bytes& input, const std::vector<std::size_t>& cuts)
{
    Decoder d(options);
    bytes buffer = input;  // the decoder unmasks in place
    std::vector<record> records;
    std::size_t from = 0;
    bool ok = true;
    for (std::size_t i = 0; ok && i <= cuts.size(); ++i) {
        const std::size_t to = i < cuts.size() ? cuts[i] : buffer.size();
        ok = feed_chunk(d, std::span(buffer).subspan(from, to - from), records);
        from = to;
    }
    std::string out = join(records);
    if (ok && !is_boundary(d)) out += out.empty() ? "incomplete" : " incomplete";
    return out;
}

bool is_split_point(std::size_t i, std::size_t size)
{
    constexpr std::size_t edge = 256;
    if (size <= 4096 || i < edge || i + edge > size) return true;
    return i % 251 == 0;
}

template <class Decoder, class Options>
std::string run_all_splits(const Options& options, const bytes& input)
{
    const std::string one_read = run<Decoder>(options, input, {});
    for (std::size_t i = 1; i < input.size(); ++i) {
        if (!is_split_point(i, input.size())) continue;
        EXPECT_EQ(run<Decoder>(options, input, {i}), one_read) << "split at " << i;
    }
    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < input.size(); ++i) every_byte.push_back(i);
    EXPECT_EQ(run<Decoder>(options, input, every_byte), one_read) << "byte by byte";
    return one_read;
}

}  // namespace

bytes hex(std::string_view text)
{
    bytes out;
    int high = -1;
    for (char c : text) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0) continue;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + v));
            high = -1;
        }
    }
    return out;
}

bytes concat(std::initializer_list<bytes> parts)
{
    bytes out;
    for (const bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

bytes text_bytes(std::string_view text) { return bytes(text.begin(), text.end()); }

std::string describe_payload(std::span<const std::uint8_t> payload)
{
    bool printable = payload.size() <= 40;
    for (std::uint8_t b : payload) printable = printable && b >= 0x20 && b < 0x7F;
    if (printable) return std::string(payload.begin(), payload.end());
    if (payload.size() <= 16) {
        std::string s = "0x";
        char buf[3];
        for (std::uint8_t b : payload) {
            std::snprintf(buf, sizeof buf, "%02x", b);
            s += buf;
        }
        return s;
    }
    std::uint32_t h = 2166136261u;
    for (std::uint8_t b : payload) h = (h ^ b) * 16777619u;
    return "<" + std::to_string(payload.size()) + " bytes #" + std::to_string(h) + ">";
}

decoder_options as_server(violation_set ignored)
{
    return {.local_role = role::server, .ignored = ignored};
}

decoder_options as_client(violation_set ignored)
{
    return {.local_role = role::client, .ignored = ignored};
}

std::string decode_frames(const decoder_options& options, const bytes& input)
{
    return run_all_splits<frame_decoder>(options, input);
}

std::string decode_messages(const message_options& options, const bytes& input)
{
    return run_all_splits<message_decoder>(options, input);
}

std::string decode_messages(const decoder_options& options, const bytes& input)
{
    return decode_messages(message_options{.frame = options}, input);
}

}  // namespace wsh::codec::test
