// SPDX-License-Identifier: MIT
// The per-case JSON files of a report directory are the run's journal: written as each case
// finishes, read back to resume a run and to build index.json, junit.xml and index.html, so a
// resumed run's reports equal those of an uninterrupted one.
#pragma once

#include "suite/runner.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace wsh::report {

using record_list = std::vector<nlohmann::json>;

// Writes `j` (3-space indent, sorted keys: Autobahn's layout) to `file` via a temporary file
// and a rename, so readers see the old file or the new one, never a part.
void write_json_atomically(const std::filesystem::path& file, const nlohmann::json& j);

// The per-case records found in `dir` (all agents, or only `agent`), sorted by agent then by
// id in Autobahn's numeric order. Unreadable files are skipped (a run killed mid-write).
[[nodiscard]] record_list load_records(const std::filesystem::path& dir,
                                       const std::optional<std::string>& agent = std::nullopt);

// Sets the `agent` entry of <dir>/index.json from `records`, keeping other agents' entries.
void update_index_json(const std::filesystem::path& dir, const std::string& agent,
                       const record_list& records);

// Orders records by agent, then by case id (numeric tuple order).
void sort_records(record_list& records);

// A case_result rebuilt from a record (verdicts, reasons, close code, duration), enough for the
// console summary and the exit status; nullopt if the id is not in `catalogue`.
[[nodiscard]] std::optional<suite::case_result> restore_result(
    const nlohmann::json& record, const std::vector<suite::test_case>& catalogue);

// Is this record a failure (same rule as console's is_failure, over the verdict strings)?
[[nodiscard]] bool is_failure(const std::string& behavior, const std::string& close, bool strict);

}  // namespace wsh::report
