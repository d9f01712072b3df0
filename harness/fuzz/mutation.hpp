// SPDX-License-Identifier: MIT
// The network fuzzer's inputs: the catalogue's scripts as frame streams, mutated with the fuzz
// kit's frame-level mutator, deterministically for a seed.
#pragma once

#include "fuzz/network_fuzzer.hpp"

#include <random>
#include <string>

namespace wsh::fuzz {

// Every case's frames, in order, masked (the fuzzer is a client), as written on the wire.
[[nodiscard]] std::vector<bytes> catalogue_seeds();

// Input number `iteration` of the run with `seed`: a seed stream with one to three frame-level
// mutations. Depends only on (seed, iteration).
[[nodiscard]] bytes make_input(const std::vector<bytes>& seeds, std::uint64_t seed, std::uint64_t iteration);

// True when `input` is whole frames (a probe ping sent after it is read as a frame).
[[nodiscard]] bool ends_at_frame_boundary(std::span<const std::uint8_t> input);

// The probe: a masked ping whose payload names the input.
[[nodiscard]] std::string probe_payload(std::uint64_t iteration);
[[nodiscard]] bytes probe_ping(std::uint64_t iteration);

}  // namespace wsh::fuzz
