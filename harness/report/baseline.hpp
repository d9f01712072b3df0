// SPDX-License-Identifier: MIT
// Baselines: the expected verdict of every case for an agent, in the format of an Autobahn
// index.json (durations ignored), so an Autobahn report can serve as one. A run compared with
// a baseline reports only the differences.
#pragma once

#include "report/records.hpp"

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace wsh::report {

struct verdict_change {
    std::string agent, id;
    std::string was_behavior, was_close;  // empty: the case is not in the baseline
    std::string now_behavior, now_close;  // empty: the case did not run
    bool regression = false;              // it now fails (and did not, or not this way)
};

struct baseline_diff {
    std::vector<verdict_change> changes;
    [[nodiscard]] std::size_t regressions() const;
};

// Compares `records` with the baseline document. An agent is looked up by name; a baseline
// holding one agent applies to whatever agent name the run uses. Cases the run did not select
// are not compared.
[[nodiscard]] baseline_diff compare_with_baseline(const record_list& records,
                                                  const nlohmann::json& baseline, bool strict);

// Reads a baseline file; throws std::runtime_error naming the file when it is not usable.
[[nodiscard]] nlohmann::json read_baseline(const std::filesystem::path& file);

// Writes `records` as a baseline (index.json layout without durations).
void write_baseline(const std::filesystem::path& file, const record_list& records);

// One line per change: "REGRESSION 6.4.1: OK / OK -> FAILED / OK" or "improved ...".
void print_baseline_diff(std::FILE* out, const baseline_diff& diff);

}  // namespace wsh::report
