// SPDX-License-Identifier: MIT
#include "suite/compressed_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace wsh::suite {
namespace {

using bytes = compressed_cache::bytes;

compressed_key key(std::uint64_t start) { return {.start = start, .size = 100}; }

TEST(CompressedCache, ComputesEachKeyOnceAndSharesIt)
{
    compressed_cache cache(1 << 20);
    int made = 0;
    auto make = [&] {
        ++made;
        return bytes(10, 7);
    };
    auto a = cache.get(key(1), make);
    auto b = cache.get(key(1), make);
    auto c = cache.get(key(2), make);
    EXPECT_EQ(made, 2);
    EXPECT_EQ(a, b);
    EXPECT_EQ(*c, bytes(10, 7));
    EXPECT_EQ(cache.hits(), 1u);
    EXPECT_EQ(cache.misses(), 2u);
    // Any parameter makes another key.
    compressed_key other = key(1);
    other.with_history = true;
    (void)cache.get(other, make);
    EXPECT_EQ(made, 3);
}

TEST(CompressedCache, DropsTheLeastRecentlyUsedPastItsCapAndComputesAgain)
{
    compressed_cache cache(250);
    int made = 0;
    auto make = [&] {
        ++made;
        return bytes(100, 1);
    };
    (void)cache.get(key(1), make);
    (void)cache.get(key(2), make);
    (void)cache.get(key(1), make);  // 1 is now the most recent
    (void)cache.get(key(3), make);  // 300 bytes: 2 goes
    EXPECT_EQ(made, 3);
    EXPECT_LE(cache.stored_bytes(), 250u);
    (void)cache.get(key(1), make);
    EXPECT_EQ(made, 3);
    (void)cache.get(key(2), make);
    EXPECT_EQ(made, 4);
}

TEST(CompressedCache, AThreadAskingForAKeyBeingComputedWaitsForIt)
{
    compressed_cache cache(1 << 20);
    std::atomic<int> made{0};
    std::atomic<bool> started{false};
    std::shared_ptr<const bytes> first, second;
    std::thread slow([&] {
        first = cache.get(key(1), [&] {
            started = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            ++made;
            return bytes(5, 5);
        });
    });
    while (!started) std::this_thread::yield();
    second = cache.get(key(1), [&] {
        ++made;
        return bytes(5, 6);
    });
    slow.join();
    EXPECT_EQ(made.load(), 1);
    EXPECT_EQ(first, second);
}

TEST(CompressedCache, AFailedComputationLeavesNoEntry)
{
    compressed_cache cache(1 << 20);
    EXPECT_THROW((void)cache.get(key(1), []() -> bytes { throw std::runtime_error("no"); }), std::runtime_error);
    auto b = cache.get(key(1), [] { return bytes(3, 3); });
    EXPECT_EQ(*b, bytes(3, 3));
}

}  // namespace
}  // namespace wsh::suite
