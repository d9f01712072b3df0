// SPDX-License-Identifier: MIT
// junit.xml, the file CI systems read test results from (Jenkins, GitLab, GitHub actions that
// publish JUnit). Validates against reports/schema/junit.xsd.
#pragma once

#include "report/records.hpp"

#include <filesystem>
#include <string>

namespace wsh::report {

struct junit_options {
    bool strict = false;        // NON-STRICT and FAILED BY CLIENT become <failure>
    std::string target_stderr;  // what the target (--exec) wrote on stderr, if anything
};

// One <testsuite> per agent and category ("6 UTF-8 Handling"; the agent is added to the name
// when several agents are in `records`), one <testcase> per record. FAILED -> <failure> with
// the requirement, what was expected, what arrived and the wire bytes; ERROR -> <error>;
// UNIMPLEMENTED (also cases skipped by a profile) -> <skipped>; NON-STRICT -> a <system-out>
// note (a <failure> under strict).
// Reads each full record once, in turn (the testcases of the document, not the records, are held).
void write_junit(const std::filesystem::path& file, const record_stream& records,
                 const junit_options& options = {});
void write_junit(const std::filesystem::path& file, const record_list& records,
                 const junit_options& options = {});

}  // namespace wsh::report
