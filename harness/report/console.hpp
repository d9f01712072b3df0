// SPDX-License-Identifier: MIT
// Console output: a line per finished case (progress), a summary table by category, and one
// line per failure with its reason.
#pragma once

#include "suite/runner.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wsh::report {

// Does this result fail the run? FAILED, ERROR, and close verdicts FAILED/UNCLEAN/WRONG CODE;
// under `strict` also NON-STRICT and FAILED BY CLIENT (a SHOULD of RFC 6455 §7.1.1).
[[nodiscard]] bool is_failure(const suite::case_result& r, bool strict);

void print_progress(std::FILE* out, const suite::case_result& r, std::size_t done, std::size_t total);
// The table by category, then one line per failure and per finding (a rule the target broke in
// what it sent); a wrong target profile is summed up in one line instead of a line per case.
void print_summary(std::FILE* out, const std::vector<suite::case_result>& results, bool strict,
                   double wall_seconds);

// A target judged as an echo endpoint that does not echo (a sink, push or broadcast app): the
// echo cases that failed with no echo of ours coming back, and which profile to try. Set only
// when at least 3 such cases and half of all echo cases failed that way.
struct profile_mismatch {
    std::vector<std::string> ids;      // the echo cases that got no echo
    std::uint64_t own_messages = 0;    // messages of the target's own seen in them
    std::string hint;                  // "target never echoes: try --target-profile sink"
};
[[nodiscard]] std::optional<profile_mismatch> detect_wrong_profile(const std::vector<suite::case_result>& results);

// Progress of a run. On a terminal (`live`): one line rewritten in place with cases done/total,
// failures so far and the elapsed time. Otherwise (CI logs): one plain line per category, when
// its last case finishes.
class run_progress {
public:
    run_progress(std::FILE* out, const std::vector<const suite::test_case*>& cases, bool live, bool strict);
    void case_finished(const suite::case_result& r);
    void finish();  // ends the live line

private:
    struct category_state {
        std::size_t total = 0, done = 0, failed = 0;
    };
    std::FILE* out_;
    bool live_, strict_;
    std::size_t total_ = 0, done_ = 0, failed_ = 0;
    std::map<int, category_state> categories_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace wsh::report
