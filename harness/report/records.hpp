// SPDX-License-Identifier: MIT
// The per-case JSON files of a report directory are the run's journal: written as each case
// finishes, read back to resume a run and to build index.json, junit.xml and index.html, so a
// resumed run's reports equal those of an uninterrupted one.
#pragma once

#include "suite/runner.hpp"

#include <filesystem>
#include <functional>
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

// The fields of a record that index.json, baselines and the verdict counts read: agent, id,
// behavior, behaviorClose, duration and remoteCloseCode. A run keeps these of every case and
// leaves the rest (wire logs, events) in the case's file (memory of a run, issue 11).
[[nodiscard]] nlohmann::json index_fields(const nlohmann::json& record);

// A run's records as the report writers read them: `index()` holds at least the index fields of
// every record, in report order; `visit` hands over each full record, in the same order, one at
// a time.
class record_stream {
public:
    using visitor = std::function<void(const nlohmann::json&)>;

    // Records held whole in memory (`records` must outlive the stream).
    [[nodiscard]] static record_stream in_memory(const record_list& records) { return {records, std::nullopt}; }
    // Each record read from its per-case file in `dir` (the journal) when visited; a file that
    // is missing, unreadable or holds another case stands in by its entry of `index`.
    [[nodiscard]] static record_stream from_files(std::filesystem::path dir, const record_list& index)
    {
        return {index, std::move(dir)};
    }

    [[nodiscard]] const record_list& index() const { return *index_; }
    void visit(const visitor& f) const;

private:
    record_stream(const record_list& index, std::optional<std::filesystem::path> dir)
        : index_(&index), dir_(std::move(dir)) {}

    const record_list* index_;
    std::optional<std::filesystem::path> dir_;
};

// Orders records by agent, then by case id (numeric tuple order).
void sort_records(record_list& records);

// A case_result rebuilt from a record (verdicts, reasons, close code, duration), enough for the
// console summary and the exit status; nullopt if the id is not in `catalogue`.
[[nodiscard]] std::optional<suite::case_result> restore_result(
    const nlohmann::json& record, const std::vector<suite::test_case>& catalogue);

// Is this record a failure (same rule as console's is_failure, over the verdict strings)?
[[nodiscard]] bool is_failure(const std::string& behavior, const std::string& close, bool strict);

}  // namespace wsh::report
