// SPDX-License-Identifier: MIT
// Property: for any bytes, the frame decoder in either role (and the message decoder above it)
// never crashes, never reads past its input, always makes progress, keeps every payload view
// inside the buffer it was given, and a finished frame delivered exactly its declared length.
// Input: the raw byte stream, fed in one exact-size heap buffer (ASan sees one-byte over-reads).
#include "../common/check.hpp"

#include "codec/frame_decoder.hpp"
#include "codec/message_decoder.hpp"

namespace {

using namespace wsh::codec;
using wsh::fuzz::require;

bool is_inside(std::span<const std::uint8_t> view, std::span<const std::uint8_t> buffer)
{
    return view.empty() || (view.data() >= buffer.data() &&
                            view.data() + view.size() <= buffer.data() + buffer.size());
}

void decode_frames(std::span<const std::uint8_t> input, role r)
{
    wsh::fuzz::bytes buffer(input.begin(), input.end());
    frame_decoder decoder({.local_role = r, .max_frame_payload = 1u << 20});
    std::span<std::uint8_t> rest(buffer);
    std::uint64_t delivered = 0;
    for (std::size_t calls = 0;; ++calls) {
        require(calls <= 4 * buffer.size() + 8, "frame decoder makes progress");
        auto step = decoder.feed(rest);
        require(step.consumed <= rest.size(), "frame decoder consumes at most its input");
        const auto& e = step.event;
        if (e.kind == frame_event_kind::payload_chunk) {
            require(is_inside(e.payload, rest), "payload view lies inside the input");
            delivered += e.payload.size();
        }
        if (e.kind == frame_event_kind::frame_started) delivered = 0;
        if (e.kind == frame_event_kind::frame_finished)
            require(delivered == e.header.payload_length, "finished frame has its declared length");
        rest = rest.subspan(step.consumed);
        if (e.kind == frame_event_kind::need_more || e.kind == frame_event_kind::violation_found) break;
    }
}

void decode_messages(std::span<const std::uint8_t> input, role r)
{
    wsh::fuzz::bytes buffer(input.begin(), input.end());
    message_options options;
    options.frame.local_role = r;
    options.frame.max_frame_payload = 1u << 20;
    options.max_message = 1u << 20;
    message_decoder decoder(options);
    std::span<std::uint8_t> rest(buffer);
    for (std::size_t calls = 0;; ++calls) {
        require(calls <= 4 * buffer.size() + 8, "message decoder makes progress");
        auto step = decoder.feed(rest);
        require(step.consumed <= rest.size(), "message decoder consumes at most its input");
        const auto& e = step.event;
        if (e.kind == message_event_kind::control_received)
            require(e.payload.size() <= max_control_payload, "control payload is at most 125 bytes");
        rest = rest.subspan(step.consumed);
        if (e.kind == message_event_kind::need_more || e.kind == message_event_kind::violation_found)
            break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::span<const std::uint8_t> input(data, size);
    for (auto r : {role::server, role::client}) {
        decode_frames(input, r);
        decode_messages(input, r);
    }
    return 0;
}
