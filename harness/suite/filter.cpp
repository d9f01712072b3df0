// SPDX-License-Identifier: MIT
#include "suite/filter.hpp"

#include <algorithm>

namespace wsh::suite {
namespace {

// Glob matching of `pattern` against a prefix of `id` (whole: against all of it).
bool glob(std::string_view pattern, std::string_view id, bool whole)
{
    if (pattern.empty()) return !whole || id.empty();
    if (pattern.front() == '*') {
        for (std::size_t i = 0; i <= id.size(); ++i)
            if (glob(pattern.substr(1), id.substr(i), whole)) return true;
        return false;
    }
    if (id.empty()) return false;
    if (pattern.front() != '?' && pattern.front() != id.front()) return false;
    return glob(pattern.substr(1), id.substr(1), whole);
}

bool has_wildcard(std::string_view p) { return p.find_first_of("*?") != std::string_view::npos; }

}  // namespace

bool matches(std::string_view pattern, std::string_view id)
{
    if (!has_wildcard(pattern)) return pattern == id;
    return glob(pattern, id, false);
}

bool matches_whole(std::string_view pattern, std::string_view id)
{
    return glob(pattern, id, true);
}

std::vector<std::string> split_patterns(std::string_view list)
{
    std::vector<std::string> out;
    while (!list.empty()) {
        auto comma = list.find(',');
        auto item = list.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return out;
}

std::vector<const test_case*> select_cases(const std::vector<test_case>& all,
                                           const std::vector<std::string>& include,
                                           const std::vector<std::string>& exclude,
                                           roles target_role)
{
    auto any = [](const std::vector<std::string>& patterns, const std::string& id) {
        return std::any_of(patterns.begin(), patterns.end(),
                           [&](const std::string& p) { return matches(p, id); });
    };
    std::vector<const test_case*> out;
    for (const auto& c : all) {
        if ((static_cast<unsigned>(c.applies_to) & static_cast<unsigned>(target_role)) == 0) continue;
        if (!include.empty() && !any(include, c.id)) continue;
        if (any(exclude, c.id)) continue;
        out.push_back(&c);
    }
    return out;
}

}  // namespace wsh::suite
