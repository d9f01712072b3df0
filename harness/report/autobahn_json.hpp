// SPDX-License-Identifier: MIT
// Autobahn-compatible JSON reports (shared/spec/autobahn.md §4.1, §4.2): index.json and one
// file per case, with Autobahn's field names, so scripts written for Autobahn keep working.
#pragma once

#include "suite/runner.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace wsh::report {

// "ws@8.18.3" -> "ws_8_18_3" (Autobahn's rule for report file names).
[[nodiscard]] std::string agent_slug(const std::string& agent);
[[nodiscard]] std::string case_file_name(const std::string& agent, const std::string& id);

// The per-case JSON document (autobahn.md §4.2) of one finished case.
[[nodiscard]] nlohmann::json case_record(const std::string& agent, const suite::case_result& r,
                                         std::size_t index, bool tester_is_client);

// Writes <dir>/<agent>_case_<id>.json for one finished case (`index` is its 1-based position).
// The file appears whole or not at all (written beside, then renamed), so a run killed while
// writing leaves no half record for --resume to trust.
void write_case_json(const std::filesystem::path& dir, const std::string& agent,
                     const suite::case_result& r, std::size_t index, bool tester_is_client);

// Writes <dir>/index.json for the results of one agent.
void write_index_json(const std::filesystem::path& dir, const std::string& agent,
                      const std::vector<suite::case_result>& results);

}  // namespace wsh::report
