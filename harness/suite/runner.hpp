// SPDX-License-Identifier: MIT
// Runs selected cases against a target, one fresh connection per case, N at a time.
#pragma once

#include "suite/case.hpp"
#include "suite/observation.hpp"
#include "suite/session.hpp"
#include "transport/url.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wsh::suite {

struct case_result {
    const test_case* test = nullptr;
    observation obs;
    verdict v;
};

struct server_run_options {
    transport::ws_url url;
    std::string agent = "wsharness";
    unsigned jobs = 0;                  // 0: default (enough to keep the cores busy)
    millis connect_timeout{5000};
    millis open_handshake_timeout{5000};
    session_options session{};
    // Set (e.g. by a SIGINT handler): no new case starts; running ones finish. Cases not started
    // come back with test == nullptr.
    const std::atomic<bool>* stop = nullptr;
    // Called (from any lane, one call at a time is the callee's job) when a case cannot connect
    // to a target that accepted connections before: it may restart the target (--exec) and
    // return a note naming what happened; the case is then retried once. nullopt: not restarted.
    std::function<std::optional<std::string>(const std::string& case_id)> revive;
};

// Called once per finished case, from one thread at a time, in finishing order. The sink takes
// the result: the runner keeps no copy (a run's wire logs are held once, issue 11).
using result_sink = std::function<void(case_result&&)>;

// Default parallelism: a few cases per core (most cases wait on the target, not the CPU).
[[nodiscard]] unsigned default_jobs();

// Can a TCP connection to the target be made? On failure `error` says why in one line.
[[nodiscard]] bool probe_target(const transport::ws_url& url, millis timeout, std::string& error);

// Runs `cases` against the WebSocket server at options.url (wsharness is the client), handing
// each finished case to `sink`.
void run_against_server(const std::vector<const test_case*>& cases, const server_run_options& options,
                        const result_sink& sink);

// The same, keeping every result: they come back in the order of `cases`.
[[nodiscard]] std::vector<case_result> run_against_server(const std::vector<const test_case*>& cases,
                                                          const server_run_options& options);

}  // namespace wsh::suite
