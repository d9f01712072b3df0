// SPDX-License-Identifier: MIT
// Testing clients: wsharness as Autobahn's fuzzingserver (shared/spec/autobahn.md §3.3). A
// client's own test driver connects to the URL protocol (/getCaseCount, /runCase, ...) and
// echoes; every case runs on the connection it opens, with wsharness as the server.
#pragma once

#include "suite/case.hpp"
#include "suite/runner.hpp"
#include "suite/session.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wsh::suite {

struct client_run_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 9001;                // 0: any free port
    std::vector<const test_case*> cases;      // the selected cases; numbered 1..N in id order
    std::optional<std::string> once_agent;    // stop after this agent's /updateReports
    millis open_handshake_timeout{5000};
    session_options session{.tester_is_client = false};
    unsigned threads = 0;                     // 0: one per core
    std::string browser_page;                 // served for a plain GET of /driver
    // Connections open at once. At the cap a new one closes the oldest that has not sent its
    // request yet, or is itself closed when every one has: a flood of connections neither
    // exhausts file descriptors nor locks a driver out. Request heads: 16 KiB at most, within
    // open_handshake_timeout. Memory: session.max_buffer and session.run_budget.
    std::size_t max_connections = 256;
};

// The results of one agent, by case number (1-based).
using agent_results = std::map<std::size_t, case_result>;

// What the fuzzing server tells its owner. Each hook is called from one thread at a time.
struct client_run_hooks {
    std::function<void(std::uint16_t port)> listening;
    std::function<void(const std::string& agent, const case_result& r, std::size_t number)> case_done;
    // /updateReports?agent=A: every result of A so far, in case order.
    std::function<void(const std::string& agent, const std::vector<case_result>& results)> update_reports;
    std::function<void(const std::string& line)> log;  // requests refused, protocol notes
};

// Serves until /stopServer, SIGINT/SIGTERM, shutdownOnComplete, or the --once agent's
// /updateReports. Returns the results of every agent. Throws std::runtime_error when it
// cannot listen.
std::map<std::string, agent_results> serve_clients(const client_run_options& options,
                                                   const client_run_hooks& hooks);

// ---- the URL protocol, exposed for tests ------------------------------------------------

// A parsed request target: path and percent-decoded query parameters.
struct protocol_request {
    std::string path;
    std::map<std::string, std::string> params;
    std::string error;  // a repeated parameter or broken escape; empty when fine
};

[[nodiscard]] protocol_request parse_target(std::string_view target);

// Cases in Autobahn's order (sorted by id tuple, duplicates dropped).
[[nodiscard]] std::vector<const test_case*> in_autobahn_order(std::vector<const test_case*> cases);

// The HTML page served at GET /driver (?agent=NAME): the driver loop in the browser.
[[nodiscard]] std::string_view browser_driver_page();

// Text of /getCaseInfo: {"id": ..., "description": ...}.
[[nodiscard]] std::string case_info_json(const test_case& c);

}  // namespace wsh::suite
