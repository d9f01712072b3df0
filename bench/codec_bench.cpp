// SPDX-License-Identifier: MIT
#include "codec/frame_decoder.hpp"
#include "codec/frame_encoder.hpp"
#include "codec/mask.hpp"
#include "codec/message_decoder.hpp"
#include "codec/utf8.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

namespace {

using namespace wsh::codec;

constexpr std::size_t mebibyte = 1 << 20;
constexpr std::array<std::uint8_t, 4> key{0x37, 0xfa, 0x21, 0x3d};

std::vector<std::uint8_t> ascii_text()
{
    std::vector<std::uint8_t> out(mebibyte);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(' ' + i % 95);
    return out;
}

// German, Greek, Japanese and emoji, repeated and cut at a sequence boundary.
std::vector<std::uint8_t> mixed_text()
{
    constexpr std::string_view pieces[] = {
        "Gr\xC3\xB6\xC3\x9F"
        "en\xC3\xA4nderung \xC3\xBC"
        "ber die Stra\xC3\x9F"
        "e. ",
        "\xCE\x9A\xCE\xB1\xCE\xBB\xCE\xB7\xCE\xBC\xCE\xAD\xCF\x81\xCE\xB1 "
        "\xCE\xBA\xCF\x8C\xCF\x83\xCE\xBC\xCE\xB5. ",
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3"
        "\x83\x88\xE3\x80\x82",
        "plain ASCII words in between, ",
        "\xF0\x9F\x98\x80 \xF0\x9F\x8C\x8D ",
    };
    std::vector<std::uint8_t> out;
    out.reserve(mebibyte + 64);
    for (std::size_t i = 0; out.size() < mebibyte; ++i) {
        const auto piece = pieces[i % std::size(pieces)];
        out.insert(out.end(), piece.begin(), piece.end());
    }
    while (out.size() > mebibyte) out.pop_back();
    while ((out.back() & 0xC0) == 0x80 || out.back() >= 0xC0) out.pop_back();
    return out;
}

void bm_memcpy(benchmark::State& state)
{
    std::vector<std::uint8_t> src(mebibyte, 1), dst(mebibyte);
    for (auto _ : state) {
        std::memcpy(dst.data(), src.data(), src.size());
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
BENCHMARK(bm_memcpy);

void bm_apply_mask(benchmark::State& state)
{
    std::vector<std::uint8_t> data(mebibyte, 1);
    const auto offset = static_cast<std::uint64_t>(state.range(0));
    for (auto _ : state) {
        apply_mask(data, key, offset);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(bm_apply_mask)->Arg(0)->Arg(3);

template <class Validate>
void run_utf8(benchmark::State& state, const std::vector<std::uint8_t>& text, Validate validate)
{
    for (auto _ : state) {
        const bool ok = validate(text);
        if (!ok) state.SkipWithError("text is not valid UTF-8");
        benchmark::DoNotOptimize(ok);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

// Arg: the kernel (0 scalar, 1 sse2, 2 avx2); an unsupported one is skipped.
template <std::vector<std::uint8_t> (*Text)()>
void bm_utf8(benchmark::State& state)
{
    const auto kernel = static_cast<utf8_kernel>(state.range(0));
    if (!is_supported(kernel)) {
        state.SkipWithError("kernel not supported by this CPU");
        return;
    }
    state.SetLabel(to_string(kernel));
    run_utf8(state, Text(),
             [kernel](std::span<const std::uint8_t> s) { return is_valid_utf8(s, kernel); });
}
// Streaming: the same text fed in 1400-byte pieces (a TCP segment's worth), as a reader does.
void bm_utf8_mixed_streamed(benchmark::State& state)
{
    run_utf8(state, mixed_text(), [](std::span<const std::uint8_t> s) {
        utf8_validator v;
        for (std::size_t i = 0; i < s.size(); i += 1400)
            v.feed(s.subspan(i, std::min<std::size_t>(1400, s.size() - i)));
        return v.is_complete();
    });
}
// The kernel a validator picks by itself (best_utf8_kernel()).
void bm_utf8_ascii(benchmark::State& state)
{
    run_utf8(state, ascii_text(), [](std::span<const std::uint8_t> s) { return is_valid_utf8(s); });
}
void bm_utf8_mixed(benchmark::State& state)
{
    run_utf8(state, mixed_text(), [](std::span<const std::uint8_t> s) { return is_valid_utf8(s); });
}
BENCHMARK(bm_utf8_ascii);
BENCHMARK(bm_utf8_mixed);
BENCHMARK(bm_utf8_mixed_streamed);
BENCHMARK(bm_utf8<ascii_text>)->Name("bm_utf8_kernel_ascii")->DenseRange(0, 2);
BENCHMARK(bm_utf8<mixed_text>)->Name("bm_utf8_kernel_mixed")->DenseRange(0, 2);

// 65536 unmasked 16-byte text frames (2-byte header, 14-byte payload): 1 MiB.
std::vector<std::uint8_t> small_frames()
{
    std::vector<std::uint8_t> out;
    const auto payload = as_bytes("fourteen bytes");
    while (out.size() < mebibyte) append_frame(out, data_frame(opcode::text), payload);
    return out;
}

template <class Decoder, class Options, class Kind>
void run_decode(benchmark::State& state, Options options, Kind finished)
{
    const auto wire = small_frames();
    std::vector<std::uint8_t> buffer = wire;
    std::size_t frames = 0;
    for (auto _ : state) {
        Decoder d(options);
        std::span<std::uint8_t> rest(buffer);
        for (;;) {
            const auto step = d.feed(rest);
            rest = rest.subspan(step.consumed);
            if (step.event.kind == finished) ++frames;
            if (step.event.kind == Kind::need_more) break;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(frames));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}
constexpr decoder_options client{.local_role = role::client};

void bm_decode_frames(benchmark::State& state)
{
    run_decode<frame_decoder>(state, client, frame_event_kind::frame_finished);
}
void bm_decode_messages(benchmark::State& state)
{
    run_decode<message_decoder>(state, message_options{.frame = client},
                                message_event_kind::frame_finished);
}
BENCHMARK(bm_decode_frames);
BENCHMARK(bm_decode_messages);

}  // namespace

BENCHMARK_MAIN();
