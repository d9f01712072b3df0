// SPDX-License-Identifier: MIT
#include "report/console.hpp"

#include <fmt/format.h>
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
    for (const auto& r : results) {
        if (!is_failure(r, strict)) continue;
        bool data_failed = r.v.behavior == behavior::failed || r.v.behavior == behavior::error;
        fmt::print(out, "{} {}: {} / {}: {}\n", r.v.behavior == behavior::error ? "ERROR " : "FAILED",
                   r.test->id, suite::to_string(r.v.behavior), suite::to_string(r.v.close),
                   data_failed ? r.v.result : r.v.result_close);
    }
    fmt::print(out, "{} cases in {:.1f} s: {} failed\n", all.total, wall_seconds, all.failed + all.error);
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
