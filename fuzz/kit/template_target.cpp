// SPDX-License-Identifier: MIT
// Template fuzz target for your own WebSocket parser: copy this file, replace the body of
// feed_your_parser with one call into your parser, and build it with
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I<kit dir> this.cpp <your lib>
// Run it with the kit's dictionary and seeds (scripts/fuzz-kit-export DIR copies them there):
//   ./target -dict=DIR/websocket.dict DIR/corpus
// As shipped, the "parser" is wsharness's own frame decoder, so the template builds and runs.
// Property: whatever the bytes, however they are split into reads, the parser does not crash,
// does not read past what it was given, and does not loop forever.
#include "wsh_frame_mutator.hpp"

#include "codec/frame_decoder.hpp"

#include <memory>

namespace {

// Replace with your parser: consume `size` bytes starting at `data`, the next read of a
// connection. Keep state between calls in `parser`.
void feed_your_parser(wsh::codec::frame_decoder& parser, std::uint8_t* data, std::size_t size)
{
    std::span<std::uint8_t> rest(data, size);
    for (int calls = 0; calls < 4096; ++calls) {
        auto step = parser.feed(rest);
        rest = rest.subspan(step.consumed);
        if (step.event.kind == wsh::codec::frame_event_kind::need_more || parser.is_failed()) return;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    wsh::codec::frame_decoder parser;
    wsh_kit::for_each_chunk(data, size, [&](std::size_t at, std::size_t n) {
        // Each read in a buffer of its exact size: ASan reports a one-byte over-read.
        auto read = std::make_unique<std::uint8_t[]>(n);
        std::copy_n(data + at, n, read.get());
        feed_your_parser(parser, read.get(), n);
    });
    return 0;
}
