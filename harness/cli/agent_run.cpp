// SPDX-License-Identifier: MIT
#include "agent_run.hpp"

#include "cases/catalogue.hpp"
#include "command.hpp"
#include "report/autobahn_json.hpp"
#include "report/baseline.hpp"
#include "report/console.hpp"
#include "report/html.hpp"
#include "report/junit.hpp"
#include "suite/filter.hpp"
#include "suite/probe.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <mutex>
#include <set>
#include <unistd.h>

namespace wsh::cli {
namespace {

std::atomic<bool> stop_requested{false};

void on_stop_signal(int) { stop_requested.store(true); }

bool excluded_for_agent(const suite::test_case& c, const agent_target& t)
{
    return std::any_of(t.agent_exclude.begin(), t.agent_exclude.end(),
                       [&](const std::string& p) { return suite::matches_whole(p, c.id); });
}

std::vector<const suite::test_case*> select_for(const agent_target& t)
{
    auto selected = suite::select_cases(cases::catalogue(), t.include, t.exclude, suite::roles::server);
    std::erase_if(selected, [&](const suite::test_case* c) { return excluded_for_agent(*c, t); });
    return selected;
}


// Records one finished case: its file (the journal), the in-memory lists (the record's index
// fields and the slim result; junit.xml and index.html read the full records back from the
// files at the end, one at a time), index.json. The
// index is rewritten at most every quarter second while cases finish (rewriting it after each
// case made a run quadratic: the second cost of a run's profile) and once after the run; the
// case files, which --resume reads, are written at once.
struct journal {
    const agent_target& target;
    const run_settings& settings;
    agent_outcome& outcome;
    std::map<const suite::test_case*, std::size_t> position;
    std::chrono::steady_clock::time_point index_written{};

    // Returns the result as kept.
    const suite::case_result& add(suite::case_result r, bool write_index)
    {
        {
            auto rec = report::case_record(target.agent, r, position[r.test], true);
            report::write_json_atomically(settings.out / report::case_file_name(target.agent, r.test->id), rec);
            outcome.records.push_back(report::index_fields(rec));
        }
        outcome.results.push_back(slim(std::move(r)));
        const auto now = std::chrono::steady_clock::now();
        if (write_index && now - index_written >= std::chrono::milliseconds(250)) {
            report::update_index_json(settings.out, target.agent, outcome.records);
            index_written = now;
        }
        return outcome.results.back();
    }

    // What the console summary and the exit status read of a result once its record is written:
    // the verdicts, findings and, for a FAILED case, the received events (the wrong-profile
    // hint). The wire log and the events of other cases live on in the record only (memory of a
    // run, issue 11), as in a result restored by --resume.
    static suite::case_result slim(suite::case_result r)
    {
        std::vector<suite::wire_record>().swap(r.obs.wirelog);
        if (r.v.behavior != suite::behavior::failed) std::vector<suite::event>().swap(r.obs.received);
        return r;
    }
};

// Finished cases of an earlier run of this agent in `out` (--resume).
std::set<std::string> restore_finished(const agent_target& t, const run_settings& s, agent_outcome& outcome,
                                       const std::vector<const suite::test_case*>& selected)
{
    std::set<std::string> wanted, done;
    for (const auto* c : selected) wanted.insert(c->id);
    if (!s.resume) return done;
    for (auto& rec : report::load_records(s.out, t.agent)) {
        auto id = rec["id"].get<std::string>();
        auto r = report::restore_result(rec, cases::catalogue());
        if (!r || !wanted.count(id)) continue;
        done.insert(id);
        outcome.results.push_back(std::move(*r));
        outcome.records.push_back(report::index_fields(rec));
    }
    return done;
}

std::filesystem::path junit_path(const run_settings& s)
{
    return s.junit.empty() ? s.out / "junit.xml" : std::filesystem::path(s.junit);
}

// `records` holds the index fields; each writer reads the full records from the case files.
void write_reports(const run_settings& s, const report::record_list& records, const std::string& target_stderr)
{
    const auto full = report::record_stream::from_files(s.out, records);
    report::write_junit(junit_path(s), full, {.strict = s.strict, .target_stderr = target_stderr});
    report::write_html(s.out / "index.html", full,
                       {.strict = s.strict, .title = "wsharness report", .target_stderr = target_stderr});
}

// With a baseline only differences count: regressions fail the run, improvements are listed.
int compare_with_baseline(const run_settings& s, const report::record_list& records)
{
    if (s.update_baseline) {
        report::write_baseline(s.baseline, records);
        fmt::print("baseline written: {}\n", s.baseline);
        return exit_ok;
    }
    auto diff = report::compare_with_baseline(records, report::read_baseline(s.baseline), s.strict);
    report::print_baseline_diff(stdout, diff);
    return diff.regressions() ? exit_failed : exit_ok;
}


// The quick probe (one text and a Ping on one connection, a few seconds at most) against the
// profile the run is about to use. A target that does not echo stops an echo-profile run at once
// (the returned line, exit status 2) instead of every echo case waiting out its timers; under the
// other profiles a finding that contradicts the profile is a warning on stderr.
std::optional<std::string> check_profile_by_probe(const transport::ws_url& url, suite::target_profile kind,
                                                  const std::string& agent)
{
    using suite::probe_finding;
    using suite::target_profile;
    auto r = suite::probe_echo({.url = url});
    if (!r.error.empty()) {
        fmt::print(stderr, "wsharness: {}: probe: {} (the run goes on)\n", agent, r.error);
        return std::nullopt;
    }
    if (r.finding == probe_finding::inconclusive) {
        fmt::print(stderr, "wsharness: {}: probe inconclusive: {} (the run goes on)\n", agent, r.detail);
        return std::nullopt;
    }
    const auto waited = fmt::format("{:.1f} s", r.seconds);
    const auto own = fmt::format("{} message{} of its own", r.own_messages, r.own_messages == 1 ? "" : "s");
    const std::string anyway = "; --no-probe runs anyway";
    auto warn = [&](const std::string& text) { fmt::print(stderr, "wsharness: {}: warning: {}\n", agent, text); };
    switch (kind) {
    case target_profile::echo:
        if (r.finding == probe_finding::relays)
            return "target never echoes: try --target-profile broadcast (the probe message came back inside "
                   "a JSON object's \"message\" member" + anyway + ")";
        if (r.finding == probe_finding::own_messages)
            return "target never echoes: try --target-profile push, or broadcast if it relays clients' "
                   "messages (no echo of the probe message in " + waited + ", " + own + anyway + ")";
        if (r.finding == probe_finding::silent && r.pong)
            return "target never echoes: try --target-profile sink (no echo of the probe message in " + waited +
                   ", its Ping got its Pong" + anyway + ")";
        // Neither an echo nor a Pong: a hung or very slow target rather than a sink; the cases judge it.
        if (r.finding == probe_finding::silent)
            warn("the target answered neither the probe message nor its Ping in " + waited + " (the run goes on)");
        return std::nullopt;
    case target_profile::sink:
    case target_profile::push:
        if (r.finding == probe_finding::echoes)
            warn("the target echoed the probe message: --target-profile echo judges more");
        else if (r.finding == probe_finding::relays)
            warn("the target relayed the probe message inside a JSON object: try --target-profile broadcast");
        else if (kind == target_profile::sink && r.finding == probe_finding::own_messages)
            warn("the target sent " + own + " during the probe: try --target-profile push");
        return std::nullopt;
    case target_profile::broadcast:
        if (r.finding == probe_finding::echoes)
            warn("the target echoed the probe message as it is: --target-profile echo judges more");
        else if (r.finding != probe_finding::relays)
            warn("the target did not relay the probe message in " + waited + " (" + own +
                 "): try --target-profile " + (r.own_messages ? "push" : "sink"));
        return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

suite::case_result skipped_result(const suite::test_case& c, const std::string& reason)
{
    suite::case_result r{.test = &c};
    r.v.behavior = suite::behavior::unimplemented;
    r.v.close = suite::close_behavior::informational;
    r.v.result = reason;
    r.v.result_close = reason;
    r.obs.started_unix_ms =
        std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
    return r;
}

const std::atomic<bool>& stop_flag() { return stop_requested; }

void install_stop_handlers()
{
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

agent_outcome run_agent(const agent_target& target, const run_settings& settings)
{
    agent_outcome outcome{.agent = target.agent};
    auto selected = select_for(target);
    if (selected.empty()) {
        outcome.no_cases = true;
        return outcome;
    }
    journal j{target, settings, outcome, {}};
    for (std::size_t i = 0; i < selected.size(); ++i) j.position[selected[i]] = i + 1;
    auto done = restore_finished(target, settings, outcome, selected);
    std::vector<const suite::test_case*> to_run;
    outcome.profiled = std::make_shared<std::deque<suite::test_case>>();
    const auto kind = target.profile.value_or(settings.target);
    for (const auto* c : selected) {
        if (done.count(c->id)) continue;
        if (auto reason = skip_reason(*c, settings.capabilities)) {
            j.add(skipped_result(*c, *reason), false);
            continue;
        }
        if (kind == suite::target_profile::echo) {
            to_run.push_back(c);
            continue;
        }
        auto p = suite::adapt_case(*c, kind);
        if (!p.adapted) {
            j.add(skipped_result(*c, p.unimplemented), false);
            continue;
        }
        const auto* adapted = &outcome.profiled->emplace_back(std::move(*p.adapted));
        j.position[adapted] = j.position[c];
        to_run.push_back(adapted);
    }
    report::update_index_json(settings.out, target.agent, outcome.records);
    if (!done.empty()) fmt::print("{}: resuming, {} finished cases kept, {} to run\n", target.agent, done.size(), to_run.size());
    if (to_run.empty()) return outcome;
    suite::server_run_options o;
    o.url = require_url(target.url);
    o.agent = target.agent;
    o.jobs = settings.jobs;
    // A broadcast app relays every client's messages to every client: only one connection at a
    // time lets a relayed message be known as this case's own.
    if (kind == suite::target_profile::broadcast) o.jobs = 1;
    o.stop = &stop_requested;
    o.session.case_cap = std::chrono::milliseconds(static_cast<long>(settings.timeout * 1000));
    o.session.max_buffer = settings.max_buffer;
    o.session.run_budget = std::make_shared<suite::buffer_budget>(settings.max_run_buffer);
    auto relay = transport::route_through_tls(o.url, settings.tls);  // wss://: TLS beside the engine
    if (!suite::probe_target(o.url, o.connect_timeout, outcome.error)) return outcome;
    if (relay && !relay->probe(o.connect_timeout, outcome.error)) return outcome;
    if (settings.probe) {
        if (auto wrong = check_profile_by_probe(o.url, kind, target.agent)) {
            outcome.error = std::move(*wrong);
            return outcome;
        }
    }
    std::mutex last_lock;
    std::string last_finished;  // the case after which a dead target died, for the report
    if (settings.revive) {
        o.revive = [&](const std::string& id) {
            std::string after;
            {
                std::lock_guard guard(last_lock);
                after = last_finished;
            }
            return settings.revive(after, id);
        };
    }
    report::run_progress progress(stdout, to_run, ::isatty(STDOUT_FILENO) == 1, settings.strict);
    suite::run_against_server(to_run, o, [&](suite::case_result&& r) {
        {
            std::lock_guard guard(last_lock);
            last_finished = r.test->id;
        }
        progress.case_finished(j.add(std::move(r), true));
    });
    report::update_index_json(settings.out, target.agent, outcome.records);
    progress.finish();
    return outcome;
}

int finish_run(const run_settings& settings, std::vector<agent_outcome>& outcomes, double wall_seconds,
               const std::string& target_stderr)
{
    report::record_list records;
    bool failed = false, broken = false, any_case = false;
    for (auto& o : outcomes) {
        records.insert(records.end(), std::make_move_iterator(o.records.begin()),
                       std::make_move_iterator(o.records.end()));
        report::record_list().swap(o.records);
        any_case = any_case || !o.no_cases;
        if (!o.error.empty()) fmt::print(stderr, "wsharness: {}: {}\n", o.agent, o.error);
        broken = broken || !o.error.empty();
        if (outcomes.size() > 1) fmt::print("\nagent {}:", o.agent);
        std::sort(o.results.begin(), o.results.end(),
                  [](const auto& a, const auto& b) { return suite::id_less(a.test->id, b.test->id); });
        if (!o.results.empty()) report::print_summary(stdout, o.results, settings.strict, wall_seconds);
        for (const auto& r : o.results) failed = failed || report::is_failure(r, settings.strict);
    }
    if (!any_case) {
        fmt::print(stderr, "wsharness: the filters selected no case\n");
        return exit_no_cases;
    }
    std::fflush(stdout);  // the summary is out before the reports are written (scripts/bench reads it)
    report::sort_records(records);
    write_reports(settings, records, target_stderr);
    fmt::print("reports: {} {} {}\n", (settings.out / "index.json").string(), junit_path(settings).string(),
               (settings.out / "index.html").string());
    int status = failed ? exit_failed : exit_ok;
    if (!settings.baseline.empty()) status = compare_with_baseline(settings, records);
    if (stop_requested.load()) {
        fmt::print(stderr, "wsharness: interrupted; reports hold the {} finished cases\n", records.size());
        return exit_interrupted;
    }
    return broken ? exit_usage : status;
}

}  // namespace wsh::cli
