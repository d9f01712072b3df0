// SPDX-License-Identifier: MIT
// Fixed, synthetic results for the report writers' golden-file tests: one case per verdict
// class, with received events and wire log rows, and no real timing.
#pragma once

#include "suite/dsl.hpp"
#include "suite/runner.hpp"

#include <deque>
#include <vector>

namespace wsh::test {

struct synthetic_run {
    std::deque<suite::test_case> cases;  // stable addresses for case_result::test
    std::vector<suite::case_result> results;
};

inline suite::case_result& add_result(synthetic_run& run, const std::string& id, const std::string& summary,
                                      suite::behavior b, suite::close_behavior c, const std::string& why)
{
    using namespace suite::dsl;
    auto& tc = run.cases.emplace_back();
    tc.id = id;
    tc.section = "5.6";
    tc.summary = summary;
    tc.requirement = "The requirement checked by " + id;
    tc.outcomes = {{.verdict = suite::behavior::ok, .events = {text_message(data("Hello"))}}};
    tc.close = tester_closes();
    auto& r = run.results.emplace_back();
    r.test = &tc;
    r.v = {.behavior = b, .close = c, .result = why, .result_close = why};
    r.obs.started_unix_ms = 1764000000000.0;
    r.obs.duration_ms = 12;
    r.obs.remote_close_code = 1000;
    return r;
}

inline void add_wire(suite::case_result& r)
{
    using k = suite::wire_record::kind;
    r.obs.wirelog.push_back({.what = k::tx_bytes, .length = 3, .head = {0x81, 0x01, 0x41}});
    suite::wire_record frame{.what = k::rx_frame, .length = 1, .head = {0x41}};
    frame.frame.opcode = 1;
    frame.frame.fin = true;
    r.obs.wirelog.push_back(frame);
}

// OK, NON-STRICT, FAILED (with wire bytes), ERROR, UNIMPLEMENTED (skipped by a profile),
// INFORMATIONAL, in two categories.
inline synthetic_run make_synthetic_run()
{
    using suite::behavior;
    using suite::close_behavior;
    synthetic_run run;
    run.cases.clear();
    add_result(run, "1.1.1", "Send a text message", behavior::ok, close_behavior::ok, "Actual events match");
    add_result(run, "1.1.2", "Send a slow text message", behavior::non_strict, close_behavior::ok, "Late but right");
    auto& failed = add_result(run, "6.2.1", "Send invalid UTF-8", behavior::failed, close_behavior::failed,
                              "Expected nothing, got a message");
    failed.obs.received.push_back(suite::dsl::text_message(suite::dsl::data("Hello")));
    add_wire(failed);
    add_result(run, "6.2.2", "Send more invalid UTF-8", behavior::error, close_behavior::error,
               "cannot connect to ws://127.0.0.1:1/");
    add_result(run, "6.3.1", "UTF-8 validation case", behavior::unimplemented, close_behavior::informational,
               "profile no-utf8-validation: the target declares it does not validate UTF-8");
    add_result(run, "6.10.1", "Informational close", behavior::informational, close_behavior::informational,
               "reported without a verdict");
    return run;
}

}  // namespace wsh::test
