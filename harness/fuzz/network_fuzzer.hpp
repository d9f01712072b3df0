// SPDX-License-Identifier: MIT
// `wsharness fuzz`: black-box fuzzing of a live WebSocket server. The case catalogue's frame
// scripts are the seeds; each input is a seed mutated at frame level by the fuzz kit's mutator
// (fuzz/kit/wsh_frame_mutator.hpp), sent on a fresh connection, followed by a probe ping.
// A finding is saved as a replayable file (the bytes sent after the handshake).
#pragma once

#include "transport/url.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wsh::fuzz {

using bytes = std::vector<std::uint8_t>;
using millis = std::chrono::milliseconds;

struct fuzz_options {
    transport::ws_url url;
    std::chrono::seconds duration{60};
    std::uint64_t seed = 1;          // the same seed gives the same sequence of inputs
    std::string exec;                // shell command that (re)starts the target; empty: none
    unsigned concurrency = 4;        // connections in flight
    millis deadline{1000};           // for the pong (or the close) after an input
    std::filesystem::path out_dir = "reports/fuzz-findings";
    bool stop_at_first = false;      // stop after the first finding
    std::size_t max_findings = 20;
};

enum class finding_kind : std::uint8_t { crash, hang, violation, slowdown };
[[nodiscard]] std::string_view to_string(finding_kind k) noexcept;

struct finding {
    finding_kind kind = finding_kind::crash;
    std::string detail;              // one line
    std::uint64_t iteration = 0;     // which input (for the seed)
    double seconds = 0;              // since the start of the run
    bool reproduced = false;         // the saved input alone triggers it again (crash triage)
    std::vector<std::filesystem::path> files;  // saved inputs
};

struct fuzz_summary {
    std::uint64_t executions = 0;
    double seconds = 0;
    std::vector<finding> findings;
};

// Fuzzes until the time is up (or the first finding with stop_at_first); calls `report` for
// each finding as it is saved. Throws std::runtime_error when the target cannot be reached at
// the start or the exec'd target does not come up.
fuzz_summary run_fuzzer(const fuzz_options& options, const std::function<void(const finding&)>& report);

// What one input did to the target.
struct probe_result {
    enum class verdict : std::uint8_t { ok, closed, refused, hang, violation };
    verdict outcome = verdict::ok;
    std::string detail;
    std::optional<millis> pong_latency;
};

// Sends `input` on a fresh connection (after the opening handshake), then the probe ping, and
// judges what comes back. Then checks that a new connection is still accepted (`refused` if
// not). Used by `wsharness replay`.
probe_result replay_input(const transport::ws_url& url, std::span<const std::uint8_t> input,
                          millis deadline);

}  // namespace wsh::fuzz
