// SPDX-License-Identifier: MIT
// Property: feeding a byte stream in any split of reads yields exactly the events of one read,
// for the frame decoder and the message decoder, in both roles. Payload chunks may be cut at
// other places; per frame their concatenation must be the same.
// Input: the stream, then a trailer choosing the chunk sizes (see split_by_trailer).
#include "../common/check.hpp"

#include "codec/frame_decoder.hpp"
#include "codec/message_decoder.hpp"

#include <string>

namespace {

using namespace wsh::codec;
using wsh::fuzz::require;

// One event with its payload bytes gathered: chunk events of the same kind are merged.
struct record {
    int kind = 0;
    frame_header header{};
    std::uint8_t opcode = 0;
    violation error{};
    std::string payload;
    friend bool operator==(const record&, const record&) = default;
};

void add_event(std::vector<record>& out, int kind, bool is_chunk, const frame_header& h,
               std::uint8_t opcode, violation error, std::span<const std::uint8_t> payload)
{
    if (is_chunk && !out.empty() && out.back().kind == kind) {
        out.back().payload.append(payload.begin(), payload.end());
        return;
    }
    out.push_back({kind, h, opcode, error, std::string(payload.begin(), payload.end())});
}

// Feeds `chunks` of `data` to a fresh Decoder and returns its merged events.
template <class Decoder, class Options, class Record>
std::vector<record> run(std::span<const std::uint8_t> data, const std::vector<std::size_t>& chunks,
                        const Options& options, Record record_event)
{
    wsh::fuzz::bytes buffer(data.begin(), data.end());
    Decoder decoder(options);
    std::vector<record> out;
    std::size_t offset = 0;
    for (auto size : chunks) {
        std::span<std::uint8_t> rest(buffer.data() + offset, size);
        offset += size;
        for (std::size_t calls = 0;; ++calls) {
            require(calls <= 4 * size + 8, "decoder makes progress");
            auto step = decoder.feed(rest);
            rest = rest.subspan(step.consumed);
            if (!record_event(out, step.event)) break;
        }
        if (decoder.is_failed()) break;
    }
    return out;
}

bool record_frame(std::vector<record>& out, const frame_event& e)
{
    if (e.kind == frame_event_kind::need_more) return false;
    add_event(out, int(e.kind), e.kind == frame_event_kind::payload_chunk, e.header, 0, e.error,
              e.payload);
    return e.kind != frame_event_kind::violation_found;
}

bool record_message(std::vector<record>& out, const message_event& e)
{
    if (e.kind == message_event_kind::need_more) return false;
    add_event(out, 100 + int(e.kind), e.kind == message_event_kind::data_chunk, e.header,
              e.opcode, e.error, e.payload);
    return e.kind != message_event_kind::violation_found;
}

void compare(std::span<const std::uint8_t> data, const std::vector<std::size_t>& chunks, role r)
{
    const std::vector<std::size_t> whole{data.size()};
    decoder_options frames{.local_role = r, .max_frame_payload = 1u << 20};
    require(run<frame_decoder>(data, whole, frames, record_frame) ==
                run<frame_decoder>(data, chunks, frames, record_frame),
            "frame decoder: split reads give the events of one read");
    message_options messages{.frame = frames, .max_message = 1u << 20};
    require(run<message_decoder>(data, whole, messages, record_message) ==
                run<message_decoder>(data, chunks, messages, record_message),
            "message decoder: split reads give the events of one read");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto split = wsh::fuzz::split_by_trailer({data, size});
    for (auto r : {role::server, role::client}) compare(split.data, split.chunks, r);
    return 0;
}
