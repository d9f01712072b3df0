// SPDX-License-Identifier: MIT
// The time a case waits on purpose: the floor of a run's wall time (issue 11 / scripts/bench).
#pragma once

#include "suite/case.hpp"

#include <vector>

namespace wsh::suite {

// What a case spends waiting on purpose against a correct target that answers at once: its
// pauses (a pause with a mark only if the case's first outcome expects the mark, i.e. a correct
// target keeps the connection open through it), and the pauses between the pieces of slow
// writes. Timers (kill_after, close_after) are not waits: they only bound a target that does
// not act.
[[nodiscard]] millis deliberate_wait(const test_case& c);

// The same over the case's script only, without building its sends (test_case::make_sends:
// category 9's megabytes, whose sends wait nowhere): cheap enough to order a run by.
[[nodiscard]] millis scripted_wait(const test_case& c);

struct wait_floor {
    millis total{0};    // sum over the cases
    millis longest{0};  // the longest single case
    unsigned jobs = 1;
    // A run of these cases on `jobs` connections cannot be faster than this.
    [[nodiscard]] millis floor() const { return std::max(total / jobs, longest); }
};

[[nodiscard]] wait_floor floor_of(const std::vector<const test_case*>& cases, unsigned jobs);

}  // namespace wsh::suite
