// SPDX-License-Identifier: MIT
// index.html: one self-contained file (no external URL): a summary matrix by category and
// verdict, filters by verdict and category, and every case with its description, expectation,
// requirement, verdict, timings and wire log (hex and decoded frames).
#pragma once

#include "report/records.hpp"

#include <filesystem>
#include <string>

namespace wsh::report {

struct html_options {
    bool strict = false;
    std::string title = "wsharness report";
    std::string target_stderr;
};

// The verdict class a record counts under in the summaries (console, HTML): ERROR, FAILED,
// NON-STRICT, INFORMATIONAL, UNIMPLEMENTED or OK.
[[nodiscard]] std::string verdict_class(const nlohmann::json& record, bool strict);

// The page renders itself from the records embedded in it. Opened with "#selftest" it also
// clicks its own FAILED filter and writes what it saw into <pre id="selftest"> (for tests);
// opened with "#case-<agent>-<id>" it shows that case alone, opened.
// Each full record is read once, in turn, and written out as it comes.
void write_html(const std::filesystem::path& file, const record_stream& records,
                const html_options& options = {});
void write_html(const std::filesystem::path& file, const record_list& records,
                const html_options& options = {});

}  // namespace wsh::report
