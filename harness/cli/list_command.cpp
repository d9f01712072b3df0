// SPDX-License-Identifier: MIT
// `wsharness list [PATTERNS]`: the catalogue as id, RFC section and summary (a dry run).
#include "command.hpp"

#include "cases/catalogue.hpp"
#include "suite/filter.hpp"

#include <fmt/format.h>
#include <memory>

namespace wsh::cli {

void add_list(CLI::App& app, command_list& commands)
{
    auto pattern = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("list", "List the catalogue (id, RFC section, summary)");
    cmd->add_option("pattern", *pattern, "Comma-separated id patterns");
    commands.push_back({cmd, [pattern] {
                            auto selected = suite::select_cases(cases::catalogue(), suite::split_patterns(*pattern),
                                                                {}, suite::roles::both);
                            for (const auto* c : selected)
                                fmt::print("{:<10} §{:<7} {}\n", c->id, c->section, c->summary);
                            return selected.empty() ? exit_no_cases : exit_ok;
                        }});
}

}  // namespace wsh::cli
