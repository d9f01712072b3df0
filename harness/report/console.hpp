// SPDX-License-Identifier: MIT
// Console output: a line per finished case (progress), a summary table by category, and one
// line per failure with its reason.
#pragma once

#include "suite/runner.hpp"

#include <cstdio>
#include <vector>

namespace wsh::report {

// Does this result fail the run? FAILED, ERROR, and close verdicts FAILED/UNCLEAN/WRONG CODE;
// under `strict` also NON-STRICT and FAILED BY CLIENT (a SHOULD of RFC 6455 §7.1.1).
[[nodiscard]] bool is_failure(const suite::case_result& r, bool strict);

void print_progress(std::FILE* out, const suite::case_result& r, std::size_t done, std::size_t total);
void print_summary(std::FILE* out, const std::vector<suite::case_result>& results, bool strict,
                   double wall_seconds);

}  // namespace wsh::report
