// SPDX-License-Identifier: MIT
// The deliberate wait of a case: the floor of a run's wall time.
#include "suite/waits.hpp"

#include "suite/dsl.hpp"

#include <gtest/gtest.h>

namespace wsh::suite {
namespace {

using namespace std::chrono_literals;
using namespace dsl;

TEST(Waits, TimersAreNotWaits)
{
    test_case c{.id = "1", .script = {send({text(data("Hello"))}), kill_after(1s), close_after(2s)}};
    EXPECT_EQ(deliberate_wait(c), 0ms);
}

TEST(Waits, AMarkedPauseCountsOnlyWhenTheFirstOutcomeExpectsItsMark)
{
    test_case c{.id = "6.4.1",
                .script = {pause(1s, "A"), pause(700ms, "B"), pause(300ms)},
                .outcomes = {{behavior::ok, {timeout_event("A")}},
                             {behavior::non_strict, {timeout_event("A"), timeout_event("B")}}}};
    EXPECT_EQ(deliberate_wait(c), 1300ms);
}

TEST(Waits, SlowWritesWaitAfterEveryPiece)
{
    // "Hello" masked: 2 + 4 + 5 = 11 bytes in pieces of 4: 3 pieces.
    test_case c{.id = "24", .script = {send_step{.frames = {text(data("Hello"))}, .chop = 4, .gap = 50ms}}};
    EXPECT_EQ(deliberate_wait(c), 150ms);
}

TEST(Waits, TheFloorIsTheShareOfEachJobOrTheLongestCase)
{
    test_case a{.id = "a", .script = {pause(1s)}};
    test_case b{.id = "b", .script = {pause(200ms)}};
    EXPECT_EQ(floor_of({&a, &b, &b}, 2).floor(), 1000ms);
    EXPECT_EQ(floor_of({&a, &b, &b}, 2).total, 1400ms);
    EXPECT_EQ(floor_of({&b, &b, &b, &b}, 2).floor(), 400ms);
}

}  // namespace
}  // namespace wsh::suite
