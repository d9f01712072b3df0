// SPDX-License-Identifier: MIT
// `wsharness list [PATTERNS]`: the catalogue as id, RFC section and summary (a dry run).
// `--waits` adds each case's deliberate wait and the floor of a run's wall time.
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
    for (const auto* c : selected) {
        if (o.waits)
            fmt::print("{:<10} {:>6} ms  {}\n", c->id, suite::deliberate_wait(*c).count(), c->summary);
        else
            fmt::print("{:<10} §{:<7} {}\n", c->id, c->section, c->summary);
    }
    if (o.waits) {
        const auto f = suite::floor_of(selected, o.jobs ? o.jobs : suite::default_jobs());
        fmt::print("{} cases, deliberate waits {} ms in total, longest {} ms; floor with {} jobs: "
                   "{} ms\n",
                   selected.size(), f.total.count(), f.longest.count(), f.jobs, f.floor().count());
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
                  "Show each case's deliberate wait (pauses, slow writes) and the floor of a "
                  "run's wall time: max(total / jobs, longest)");
    cmd->add_option("--jobs", o->jobs, "Parallelism the floor assumes (default: as test-server)");
    commands.push_back({cmd, [o] { return list(*o); }});
}

}  // namespace wsh::cli
