// SPDX-License-Identifier: MIT
// `wsharness fuzz` against the reference server: each fault planted for it is found within a
// minute for a fixed seed, the saved input replays to the same finding, and the correct server
// gives no finding. The fuzzer starts and stops the server itself (--exec), on loopback.
#include "fuzz/network_fuzzer.hpp"

#include "fuzz/process.hpp"
#include "tests/support/paths.hpp"
#include "transport/asio.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <thread>

namespace wsh {
namespace {

constexpr std::uint64_t seed = 1;

std::uint16_t free_port()
{
    transport::asio::io_context io;
    transport::tcp::acceptor a(io, {transport::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

fuzz::fuzz_options options_for(const std::string& fault, std::uint16_t port, int seconds,
                               std::uint64_t seed = wsh::seed)
{
    fuzz::fuzz_options o;
    o.url = {.host = "127.0.0.1", .port = port};
    o.duration = std::chrono::seconds(seconds);
    o.seed = seed;
    o.exec = test::wsharness_binary() + " serve --port " + std::to_string(port) + " --fault " + fault +
             " >/dev/null 2>&1";
    o.out_dir = std::filesystem::temp_directory_path() / ("wsh-fuzz-test-" + fault);
    o.stop_at_first = true;
    std::filesystem::remove_all(o.out_dir);
    return o;
}

fuzz::finding find_first(const std::string& fault, std::uint16_t port, std::uint64_t seed = wsh::seed)
{
    auto summary = fuzz::run_fuzzer(options_for(fault, port, 60, seed), [](const fuzz::finding&) {});
    EXPECT_EQ(summary.findings.size(), 1u) << fault << ": nothing found in 60 s";
    return summary.findings.empty() ? fuzz::finding{} : summary.findings.front();
}

// Replays the saved inputs, in order, against a fresh server with the same fault; the verdict
// of the first that gives a finding (or of the last).
fuzz::probe_result replay(const fuzz::finding& f, const std::string& fault, std::uint16_t port)
{
    fuzz::target_process server(test::wsharness_binary() + " serve --port " + std::to_string(port) +
                                " --fault " + fault + " >/dev/null 2>&1");
    server.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    fuzz::probe_result r;
    for (const auto& file : f.files) {
        std::ifstream in(file, std::ios::binary);
        fuzz::bytes input{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        r = fuzz::replay_input({.host = "127.0.0.1", .port = port}, input, std::chrono::milliseconds(1000));
        if (r.outcome != fuzz::probe_result::verdict::ok && r.outcome != fuzz::probe_result::verdict::closed) break;
    }
    return r;
}

struct planted {
    std::string fault;
    fuzz::finding_kind kind;
    fuzz::probe_result::verdict replayed;
};

void PrintTo(const planted& p, std::ostream* os) { *os << p.fault; }

class PlantedFault : public testing::TestWithParam<planted> {};

TEST_P(PlantedFault, IsFoundWithinAMinuteAndReplays)
{
    const auto& p = GetParam();
    auto port = free_port();
    auto f = find_first(p.fault, port, seed);
    ASSERT_FALSE(f.files.empty());
    EXPECT_EQ(f.kind, p.kind) << f.detail;
    EXPECT_LT(f.seconds, 60.0);
    EXPECT_TRUE(f.reproduced) << f.detail;
    std::printf("%s: %s after %.1f s, input %llu, seed %llu, %zu file(s)\n", p.fault.c_str(),
                std::string(to_string(f.kind)).c_str(), f.seconds, static_cast<unsigned long long>(f.iteration),
                static_cast<unsigned long long>(seed), f.files.size());
    EXPECT_EQ(replay(f, p.fault, port).outcome, p.replayed);
}

// The leak builds up over connections, and with four in flight which input crosses the limit
// depends on timing; the finding is confirmed by sending the inputs since the (re)start again
// one at a time in input order, so the same seed names the same input on every run.
TEST(NetworkFuzzer, LeakFindingIsTheSameInputOnEveryRunOfASeed)
{
    auto port = free_port();
    for (std::uint64_t s : {seed, seed + 1}) {
        auto a = find_first("leak-on-many-fragments", port, s);
        auto b = find_first("leak-on-many-fragments", port, s);
        ASSERT_FALSE(a.files.empty());
        ASSERT_FALSE(b.files.empty());
        EXPECT_EQ(a.iteration, b.iteration) << "seed " << s << ": " << a.detail << " / " << b.detail;
        EXPECT_EQ(a.files.size(), b.files.size()) << "seed " << s;
        EXPECT_TRUE(a.reproduced && b.reproduced) << a.detail << " / " << b.detail;
    }
}

using verdict = fuzz::probe_result::verdict;
INSTANTIATE_TEST_SUITE_P(
    Faults, PlantedFault,
    testing::Values(planted{"crash-on-rsv2", fuzz::finding_kind::crash, verdict::refused},
                    planted{"hang-on-fragmented-ping", fuzz::finding_kind::hang, verdict::hang},
                    planted{"leak-on-many-fragments", fuzz::finding_kind::crash, verdict::refused}),
    [](const auto& info) {
        std::string name;
        for (char c : info.param.fault) name += c == '-' ? '_' : c;
        return name;
    });

TEST(NetworkFuzzer, FindsNothingInTheCorrectServer)
{
    auto o = options_for("none", free_port(), 8);
    o.deadline = std::chrono::milliseconds(3000);  // ctest runs other suites alongside: no load alarms
    auto summary = fuzz::run_fuzzer(o, [](const fuzz::finding& f) { ADD_FAILURE() << f.detail; });
    EXPECT_GT(summary.executions, 100u);
    EXPECT_TRUE(summary.findings.empty());
}

}  // namespace
}  // namespace wsh
