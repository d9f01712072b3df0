// SPDX-License-Identifier: MIT
// Case patterns with Autobahn's semantics (shared/spec/autobahn.md §3.4).
#include "suite/filter.hpp"

#include <gtest/gtest.h>

namespace wsh::suite {
namespace {

TEST(Filter, PatternWithoutWildcardMatchesOneIdLiterally)
{
    EXPECT_TRUE(matches("1.1.1", "1.1.1"));
    EXPECT_FALSE(matches("1.1.1", "1.1.10"));
}

TEST(Filter, WildcardPatternsArePrefixAnchoredLikeAutobahn)
{
    EXPECT_TRUE(matches("1.*", "1.2.8"));
    EXPECT_FALSE(matches("1.*", "10.1.1"));
    EXPECT_TRUE(matches("1*", "10.1.1"));
    EXPECT_TRUE(matches("12.*.1", "12.1.10"));
    EXPECT_TRUE(matches("6.4.?", "6.4.3"));
}

TEST(Filter, WholeMatchingIsAnchoredAtBothEnds)
{
    EXPECT_FALSE(matches_whole("12.*.1", "12.1.10"));
    EXPECT_TRUE(matches_whole("12.*.1", "12.3.1"));
}

TEST(Filter, SplitsCommaSeparatedLists)
{
    EXPECT_EQ(split_patterns("1.*, 2.1,,3.*"), (std::vector<std::string>{"1.*", "2.1", "3.*"}));
}

TEST(Filter, SelectionIsIncludeMinusExcludeInCatalogueOrder)
{
    std::vector<test_case> all{{.id = "1.1.1"}, {.id = "1.1.2"}, {.id = "2.1"}};
    auto s = select_cases(all, {"1.*"}, {"1.1.2"}, roles::server);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0]->id, "1.1.1");
    EXPECT_EQ(select_cases(all, {}, {}, roles::server).size(), 3u);
}

TEST(Filter, IdsSortAsNumberTuples)
{
    EXPECT_TRUE(id_less("1.1.2", "1.1.10"));
    EXPECT_TRUE(id_less("9.1.1", "10.1.1"));
    EXPECT_EQ(category_of("6.4.10"), 6);
}

}  // namespace
}  // namespace wsh::suite
