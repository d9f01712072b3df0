// SPDX-License-Identifier: MIT
// Case selection by id patterns, with Autobahn's semantics (shared/spec/autobahn.md §3.4).
#pragma once

#include "suite/case.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace wsh::suite {

// A pattern without wildcards matches one id literally. With `*` (any run) or `?` (one
// character) it matches ids that *start* with a match, as Autobahn does: "1*" also selects
// 10.x, 12.x and 13.x, "12.*.1" selects 12.1.1 and 12.1.10.
[[nodiscard]] bool matches(std::string_view pattern, std::string_view id);
// Fully anchored matching, used by exclude-agent-cases.
[[nodiscard]] bool matches_whole(std::string_view pattern, std::string_view id);

// Splits "1.*,2.1" into patterns.
[[nodiscard]] std::vector<std::string> split_patterns(std::string_view list);

// (selected - excluded), in catalogue order. An empty `include` selects everything.
[[nodiscard]] std::vector<const test_case*> select_cases(const std::vector<test_case>& all,
                                                         const std::vector<std::string>& include,
                                                         const std::vector<std::string>& exclude,
                                                         roles target_role);

}  // namespace wsh::suite
