// SPDX-License-Identifier: MIT
#include "fuzz/mutation.hpp"

#include "cases/catalogue.hpp"
#include "codec/frame_encoder.hpp"

#include <string>

namespace wsh::fuzz {
namespace {

// The kit's byte-level fallback, without libFuzzer: a few byte flips, inserts or erasures
// drawn from the generator of the current input.
thread_local std::mt19937 byte_rng;

std::size_t mutate_bytes(std::uint8_t* data, std::size_t size, std::size_t max_size)
{
    for (unsigned n = 1 + byte_rng() % 4; n > 0; --n) {
        unsigned what = byte_rng() % 3;
        if (what == 0 && size > 0) data[byte_rng() % size] ^= std::uint8_t(1u << (byte_rng() % 8));
        if (what == 1 && size < max_size) data[size++] = std::uint8_t(byte_rng());
        if (what == 2 && size > 0) --size;
    }
    return size;
}

}  // namespace
}  // namespace wsh::fuzz

#define WSH_KIT_NO_MUTATOR
#define WSH_KIT_COMPRESSION 0  // the network fuzzer's handshake offers no permessage-deflate
#define WSH_KIT_BYTE_MUTATE ::wsh::fuzz::mutate_bytes
#include "../../fuzz/kit/wsh_frame_mutator.hpp"

namespace wsh::fuzz {

std::vector<bytes> catalogue_seeds()
{
    constexpr std::size_t max_seed = 16384;
    std::vector<bytes> seeds;
    for (const auto& c : cases::catalogue()) {
        // The fuzzer is a client testing a server: cases for clients are no seeds.
        if (c.applies_to == suite::roles::client) continue;
        wsh_kit::stream s;
        auto add = [&](const suite::frame_item& item) {
            if (!item.payload || item.payload->size() > max_seed) return;
            wsh_kit::frame f;
            f.fin = item.spec.fin;
            f.rsv = item.spec.rsv;
            f.opcode = item.spec.opcode;
            f.payload = *item.payload;
            if (item.spec.form == codec::length_form::len16) f.form = wsh_kit::length_form::len16;
            if (item.spec.form == codec::length_form::len64) f.form = wsh_kit::length_form::len64;
            s.frames.push_back(std::move(f));
        };
        for (const auto& step : suite::full_script(c)) {
            if (const auto* send = std::get_if<suite::send_step>(&step))
                for (const auto& item : send->frames) add(item);
            if (const auto* x = std::get_if<suite::exchange_step>(&step)) add(x->frame);
        }
        if (!s.frames.empty()) seeds.push_back(wsh_kit::write_stream(s));
    }
    return seeds;
}

bytes make_input(const std::vector<bytes>& seeds, std::uint64_t seed, std::uint64_t iteration)
{
    std::mt19937 rng(static_cast<std::uint32_t>(seed * 0x9e3779b97f4a7c15ull + iteration));
    byte_rng.seed(rng());
    const bytes& base = seeds[rng() % seeds.size()];
    auto s = wsh_kit::parse_stream(base.data(), base.size());
    for (unsigned n = 1 + rng() % 3; n > 0; --n) wsh_kit::mutate_stream(s, rng);
    for (auto& f : s.frames)
        if (f.masked) f.key = {std::uint8_t(rng()), std::uint8_t(rng()), std::uint8_t(rng()), std::uint8_t(rng())};
    return wsh_kit::write_stream(s);
}

bool ends_at_frame_boundary(std::span<const std::uint8_t> input)
{
    return wsh_kit::parse_stream(input.data(), input.size()).tail.empty();
}

std::string probe_payload(std::uint64_t iteration) { return "wsh-probe-" + std::to_string(iteration); }

bytes probe_ping(std::uint64_t iteration)
{
    std::string payload = probe_payload(iteration);
    codec::frame_spec spec{.opcode = 0x9, .mask = std::array<std::uint8_t, 4>{1, 2, 3, 4}};
    return codec::encode_frame(spec, codec::as_bytes(payload));
}

}  // namespace wsh::fuzz
