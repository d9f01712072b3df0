// SPDX-License-Identifier: MIT
#include "report/console.hpp"

#include "codec/violation.hpp"
#include "suite/target_profile.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>

namespace wsh::report {

using suite::behavior;
using suite::close_behavior;

bool is_failure(const suite::case_result& r, bool strict)
{
    if (r.v.behavior == behavior::failed || r.v.behavior == behavior::error) return true;
    if (r.v.close == close_behavior::failed || r.v.close == close_behavior::unclean ||
        r.v.close == close_behavior::wrong_code || r.v.close == close_behavior::error)
        return true;
    return strict && (r.v.behavior == behavior::non_strict ||
                      r.v.close == close_behavior::failed_by_client);
}

void print_progress(std::FILE* out, const suite::case_result& r, std::size_t done, std::size_t total)
{
    fmt::print(out, "[{:>{}}/{}] {:<8} {:<13} {:<16} {:.0f} ms\n", done, fmt::formatted_size("{}", total),
               total, r.test->id, suite::to_string(r.v.behavior), suite::to_string(r.v.close),
               r.obs.duration_ms);
    std::fflush(out);
}

namespace {

struct tally {
    std::size_t total = 0, ok = 0, non_strict = 0, info = 0, unimplemented = 0, failed = 0, error = 0;
};

void add(tally& t, const suite::case_result& r, bool strict)
{
    ++t.total;
    if (r.v.behavior == behavior::error) ++t.error;
    else if (is_failure(r, strict)) ++t.failed;
    else if (r.v.behavior == behavior::non_strict || r.v.close == close_behavior::failed_by_client) ++t.non_strict;
    else if (r.v.behavior == behavior::informational) ++t.info;
    else if (r.v.behavior == behavior::unimplemented) ++t.unimplemented;
    else ++t.ok;
}

}  // namespace

namespace {

// Did some message of ours come back (any message the case expects)?
bool got_an_echo(const suite::case_result& r)
{
    for (const auto& e : r.obs.received) {
        if (e.what != suite::event::kind::message) continue;
        for (const auto& out : r.test->outcomes)
            if (std::find(out.events.begin(), out.events.end(), e) != out.events.end()) return true;
    }
    return false;
}

void print_failures(std::FILE* out, const std::vector<suite::case_result>& results, bool strict,
                    const std::optional<profile_mismatch>& mismatch)
{
    for (const auto& r : results) {
        if (!is_failure(r, strict)) continue;
        if (mismatch && std::find(mismatch->ids.begin(), mismatch->ids.end(), r.test->id) != mismatch->ids.end())
            continue;
        // The reason of the half that failed: the behaviour's (FAILED, ERROR, or NON-STRICT under
        // --strict), else the close's.
        bool data_failed = r.v.behavior == behavior::failed || r.v.behavior == behavior::error ||
                           (strict && r.v.behavior == behavior::non_strict);
        fmt::print(out, "{} {}: {} / {}: {} (case: {})\n", r.v.behavior == behavior::error ? "ERROR " : "FAILED",
                   r.test->id, suite::to_string(r.v.behavior), suite::to_string(r.v.close),
                   data_failed ? r.v.result : r.v.result_close, r.test->summary);
    }
    if (!mismatch) return;
    auto shown = std::min<std::size_t>(mismatch->ids.size(), 8);
    fmt::print(out, "FAILED {} echo cases with no echo coming back ({}{})\n", mismatch->ids.size(),
               fmt::join(mismatch->ids.begin(), mismatch->ids.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
               shown < mismatch->ids.size() ? ", ..." : "");
}

void print_findings(std::FILE* out, const std::vector<suite::case_result>& results)
{
    for (const auto& r : results)
        for (const auto& f : r.obs.findings)
            fmt::print(out, "FINDING {}: the target broke {} ({} §{}) at {:.0f} ms\n", r.test->id,
                       codec::name(f.rule), codec::rfc(f.rule), codec::section(f.rule), f.at_ms);
}

}  // namespace

std::optional<profile_mismatch> detect_wrong_profile(const std::vector<suite::case_result>& results)
{
    profile_mismatch m;
    std::size_t echo_cases = 0;
    for (const auto& r : results) {
        if (!r.test || !suite::expects_echo(*r.test) || r.v.behavior == behavior::unimplemented) continue;
        ++echo_cases;
        if (r.v.behavior != behavior::failed || !r.obs.opened || got_an_echo(r)) continue;
        m.ids.push_back(r.test->id);
        m.own_messages += r.obs.unsolicited_messages;
        for (const auto& e : r.obs.received) m.own_messages += e.what == suite::event::kind::message ? 1 : 0;
    }
    if (m.ids.size() < 3 || m.ids.size() * 2 < echo_cases) return std::nullopt;
    m.hint = m.own_messages == 0
                 ? "target never echoes: try --target-profile sink"
                 : fmt::format("target never echoes but sends messages of its own ({} seen): try "
                               "--target-profile push (or broadcast for an app that relays every message)",
                               m.own_messages);
    return m;
}

void print_summary(std::FILE* out, const std::vector<suite::case_result>& results, bool strict,
                   double wall_seconds)
{
    std::map<int, tally> by_category;
    tally all;
    for (const auto& r : results) {
        add(by_category[suite::category_of(r.test->id)], r, strict);
        add(all, r, strict);
    }
    auto row = [&](const std::string& name, const tally& t) {
        fmt::print(out, "{:<48} {:>5} {:>5} {:>10} {:>5} {:>7} {:>6} {:>5}\n", name, t.total, t.ok,
                   t.non_strict, t.info, t.unimplemented, t.failed, t.error);
    };
    fmt::print(out, "\n{:<48} {:>5} {:>5} {:>10} {:>5} {:>7} {:>6} {:>5}\n", "category", "cases", "OK",
               "NON-STRICT", "INFO", "UNIMPL", "FAILED", "ERROR");
    for (const auto& [category, t] : by_category) row(suite::category_name(category), t);
    row("total", all);
    auto mismatch = detect_wrong_profile(results);
    print_failures(out, results, strict, mismatch);
    print_findings(out, results);
    fmt::print(out, "{} cases in {:.1f} s: {} failed\n", all.total, wall_seconds, all.failed + all.error);
    if (mismatch) fmt::print(out, "{}\n", mismatch->hint);
}

run_progress::run_progress(std::FILE* out, const std::vector<const suite::test_case*>& cases, bool live,
                           bool strict)
    : out_(out), live_(live), strict_(strict), total_(cases.size())
{
    for (const auto* c : cases) ++categories_[suite::category_of(c->id)].total;
}

void run_progress::case_finished(const suite::case_result& r)
{
    ++done_;
    bool failed = is_failure(r, strict_);
    failed_ += failed ? 1 : 0;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (live_) {
        fmt::print(out_, "\r\033[K[{}/{}] {} failed, {:.1f} s, last {} {}", done_, total_, failed_, elapsed,
                   r.test->id, suite::to_string(r.v.behavior));
        std::fflush(out_);
        return;
    }
    int category = suite::category_of(r.test->id);
    auto& c = categories_[category];
    ++c.done;
    c.failed += failed ? 1 : 0;
    if (c.done == c.total) {
        fmt::print(out_, "{}: {} cases, {} failed ({}/{} done, {:.1f} s)\n", suite::category_name(category), c.total,
                   c.failed, done_, total_, elapsed);
        std::fflush(out_);
    }
}

void run_progress::finish()
{
    if (live_ && done_ > 0) fmt::print(out_, "\n");
    std::fflush(out_);
}

}  // namespace wsh::report
