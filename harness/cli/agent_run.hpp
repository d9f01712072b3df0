// SPDX-License-Identifier: MIT
// The server-testing pipeline shared by `test-server` and `run --spec`: select, skip by
// profile, resume from the journal, run, write every report, compare with a baseline, and
// decide the exit status.
#pragma once

#include "profile.hpp"
#include "report/records.hpp"
#include "suite/runner.hpp"
#include "transport/tls_relay.hpp"
#include "suite/target_profile.hpp"

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wsh::cli {

// 128 + SIGINT: the run was interrupted (SIGINT or SIGTERM); reports hold the finished cases.
inline constexpr int exit_interrupted = 130;

struct run_settings {
    std::filesystem::path out;
    bool strict = false;
    unsigned jobs = 0;
    double timeout = 0;         // hard cap per case in seconds; 0: from the case
    profile capabilities;
    suite::target_profile target = suite::target_profile::echo;  // --target-profile
    bool resume = false;        // keep the agent's finished cases in `out`, run the rest
    bool probe = true;          // the quick echo probe before the run (--no-probe: off)
    std::string junit;          // default <out>/junit.xml
    std::string baseline;
    bool update_baseline = false;
    transport::tls_client_options tls;  // wss:// targets
    std::uint64_t max_buffer = suite::default_max_buffer;          // bytes kept per connection
    std::uint64_t max_run_buffer = suite::default_max_run_buffer;  // over the connections in flight
    // With --exec: restarts a target that died. Gets the last finished case and the case that
    // found the target gone; returns the note for the report, nullopt if not restarted.
    std::function<std::optional<std::string>(const std::string& after, const std::string& next)> revive;
};

struct agent_target {
    std::string agent;
    std::string url;
    std::vector<std::string> include, exclude;  // Autobahn prefix patterns
    std::vector<std::string> agent_exclude;     // fully anchored (exclude-agent-cases)
    std::optional<suite::target_profile> profile;  // overrides run_settings::target
};

struct agent_outcome {
    std::string agent;
    std::vector<suite::case_result> results;  // finished earlier (resume), skipped and run
    // The cases as the target profile judges them; results point into it.
    std::shared_ptr<std::deque<suite::test_case>> profiled;
    report::record_list records;  // each case's index fields (report::index_fields); the rest is in its file
    std::string error;       // set when the target could not be tested
    bool no_cases = false;   // the filters selected nothing
};

// Set by SIGINT/SIGTERM once install_stop_handlers() ran; a second signal kills at once.
[[nodiscard]] const std::atomic<bool>& stop_flag();
void install_stop_handlers();

// The result of a case that is not run: UNIMPLEMENTED with `reason` (a --profile gap, or a
// case the --target-profile cannot judge), as junit.xml's <skipped> and the HTML show it.
[[nodiscard]] suite::case_result skipped_result(const suite::test_case& c, const std::string& reason);

[[nodiscard]] agent_outcome run_agent(const agent_target& target, const run_settings& settings);

// Writes index.json (per agent, already current), junit.xml and index.html for `outcomes`,
// prints the summary and the baseline differences; returns the exit status.
// Takes the outcomes' records (moved into the reports) and sorts their results; junit.xml and
// index.html read each case's full record from its file in `settings.out`.
[[nodiscard]] int finish_run(const run_settings& settings, std::vector<agent_outcome>& outcomes,
                             double wall_seconds, const std::string& target_stderr = "");

}  // namespace wsh::cli
