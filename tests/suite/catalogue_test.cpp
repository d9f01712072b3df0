// SPDX-License-Identifier: MIT
// The catalogue's shape: Autobahn's case count per category (issue 3), unique ids in Autobahn's
// order, and the metadata every case carries (STYLE.md: RFC section, one-line summary, the RFC
// sentence it checks, requirement level).
#include "cases/catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace wsh {
namespace {



TEST(Catalogue, HasAutobahnsCaseCountPerCategory)
{
    // autobahn-cases.tsv of the research notes: 301 cases in categories 1-7, 9, 10 and 216 in
    // 12 and 13 (both modes).
    const std::map<std::string, std::size_t> autobahn = {
        {"1", 16}, {"2", 11}, {"3", 7},   {"4", 10},  {"5", 20},  {"6", 145},
        {"7", 37}, {"9", 54}, {"10", 1},  {"12", 90}, {"13", 126},
    };
    std::map<std::string, std::size_t> counts;
    for (const auto& c : cases::catalogue()) ++counts[std::to_string(suite::category_of(c.id))];
    for (const auto& [category, n] : autobahn) EXPECT_EQ(counts[category], n) << "category " << category;
    EXPECT_EQ(counts.count("8"), 0u) << "Autobahn has no category 8";
    EXPECT_EQ(counts.count("11"), 0u) << "Autobahn has no category 11";
}

TEST(Catalogue, IdsAreUniqueAndInAutobahnsOrder)
{
    std::set<std::string> seen;
    const auto& all = cases::catalogue();
    for (const auto& c : all) EXPECT_TRUE(seen.insert(c.id).second) << "duplicate id " << c.id;
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return suite::id_less(a.id, b.id);
    }));
}

TEST(Catalogue, EveryCaseCarriesSectionSummaryRequirementAndLevel)
{
    // "5.5.1", "7.4.1", or a section of another RFC named with it: "RFC 7692 §6.1".
    const std::regex section(R"((RFC [0-9]+ §)?[0-9]+(\.[0-9]+)*)");
    for (const auto& c : cases::catalogue()) {
        EXPECT_TRUE(std::regex_match(c.section, section)) << c.id << ": section '" << c.section << "'";
        EXPECT_GE(c.summary.size(), 10u) << c.id << ": summary '" << c.summary << "'";
        EXPECT_EQ(c.summary.find('\n'), std::string::npos) << c.id << ": summary on one line";
        EXPECT_GE(c.requirement.size(), 20u) << c.id << ": requirement '" << c.requirement << "'";
        EXPECT_EQ(c.requirement.find('\n'), std::string::npos) << c.id << ": requirement on one line";
        EXPECT_TRUE(c.requirement_level == suite::level::must || c.requirement_level == suite::level::should ||
                    c.requirement_level == suite::level::may)
            << c.id;
    }
}

}  // namespace
}  // namespace wsh
