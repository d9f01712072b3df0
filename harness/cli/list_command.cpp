// SPDX-License-Identifier: MIT
// `wsharness list [PATTERNS]`: the catalogue as id, RFC section and summary (a dry run).
// `--waits` adds each case's deliberate wait and its time bound, the floor of a run's wall time
// and its ceiling against a target that makes every case wait as long as it can.
#include "command.hpp"

#include "cases/catalogue.hpp"
#include "suite/filter.hpp"
#include "suite/runner.hpp"
#include "suite/waits.hpp"

#include <fmt/format.h>
#include <memory>

namespace wsh::cli {
namespace {

struct list_options {
    std::string pattern;
    bool waits = false;
    unsigned jobs = 0;
};

int list(const list_options& o)
{
    auto selected = suite::select_cases(cases::catalogue(), suite::split_patterns(o.pattern), {},
                                        suite::roles::both);
    // A case's bound: connect, opening handshake, then its session deadline (test-server's
    // defaults; --timeout replaces the deadline).
    const suite::server_run_options defaults;
    auto bound = [&](const suite::test_case& c) {
        return defaults.connect_timeout + defaults.open_handshake_timeout + suite::derive_deadline(c, defaults.session);
    };
    suite::millis bound_total{0}, bound_longest{0};
    for (const auto* c : selected) {
        if (o.waits) {
            const auto b = bound(*c);
            bound_total += b;
            bound_longest = std::max(bound_longest, b);
            fmt::print("{:<10} {:>6} ms  bound {:>6} ms  {}\n", c->id, suite::deliberate_wait(*c).count(), b.count(),
                       c->summary);
        } else
            // RFC 6455 sections are stored bare ("5.5.1"); others name their RFC and carry their
            // own "§" ("RFC 7692 §6.1").
            fmt::print("{:<10} {:<8} {}\n", c->id,
                       c->section.empty() || c->section.front() < '0' || c->section.front() > '9'
                           ? std::string(c->section)
                           : "§" + std::string(c->section),
                       c->summary);
    }
    if (o.waits) {
        const auto f = suite::floor_of(selected, o.jobs ? o.jobs : suite::default_jobs());
        fmt::print("{} cases, deliberate waits {} ms in total, longest {} ms; floor with {} jobs: "
                   "{} ms\n",
                   selected.size(), f.total.count(), f.longest.count(), f.jobs, f.floor().count());
        // Lanes pull the next case when one ends, so no lane ends later than total / jobs plus
        // the rest of the longest case.
        const auto ceiling = bound_total / f.jobs + bound_longest - bound_longest / f.jobs;
        fmt::print("bounds {} ms in total, longest {} ms; ceiling with {} jobs: {} ms\n", bound_total.count(),
                   bound_longest.count(), f.jobs, ceiling.count());
    }
    return selected.empty() ? exit_no_cases : exit_ok;
}

}  // namespace

void add_list(CLI::App& app, command_list& commands)
{
    auto o = std::make_shared<list_options>();
    auto* cmd = app.add_subcommand("list", "List the catalogue (id, RFC section, summary)");
    cmd->add_option("pattern", o->pattern, "Comma-separated id patterns");
    cmd->add_flag("--waits", o->waits,
                  "Show each case's deliberate wait (pauses, slow writes) and time bound (connect 5 s + "
                  "handshake 5 s + deadline), the floor of a run's wall time, max(total wait / jobs, "
                  "longest), and its ceiling, total bound / jobs + longest bound - longest / jobs");
    cmd->add_option("--jobs", o->jobs, "Parallelism the floor assumes (default: as test-server)");
    commands.push_back({cmd, [o] { return list(*o); }});
}

}  // namespace wsh::cli
