// SPDX-License-Identifier: MIT
// Payload builders of the case DSL.
#include "suite/dsl.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wsh::suite::dsl {
namespace {

std::string as_text(const payload& p) { return std::string(p->begin(), p->end()); }

TEST(Dsl, RepeatedCutsThePatternAtTheSize)
{
    EXPECT_EQ(as_text(repeated("abc", 10)), "abcabcabca");
    EXPECT_EQ(as_text(repeated("abc", 2)), "ab");
    EXPECT_EQ(as_text(repeated("abc", 0)), "");
    EXPECT_EQ(repeated("", 3)->size(), 3u);
}

TEST(Dsl, RepeatedMegabytesKeepThePeriod)
{
    const std::string pattern = "BAsd7&jh23";
    const auto p = repeated(pattern, (1 << 20) + 7);
    ASSERT_EQ(p->size(), (1u << 20) + 7);
    for (std::size_t i = 0; i < p->size(); i += 4099)
        ASSERT_EQ((*p)[i], static_cast<std::uint8_t>(pattern[i % pattern.size()])) << i;
    EXPECT_EQ((*p)[p->size() - 1], static_cast<std::uint8_t>(pattern[(p->size() - 1) % 10]));
}

}  // namespace
}  // namespace wsh::suite::dsl
