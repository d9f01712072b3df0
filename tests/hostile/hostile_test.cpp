// SPDX-License-Identifier: MIT
// Issue 10: wsharness against targets that are silent, broken, flooding or crashing. Each test
// runs the real binary against a scripted hostile peer (hostile_peer.cpp) or a crashing
// reference server and checks the verdict, that the run ended within the case's time bound (a
// bound against hangs, not a speed goal) and that the process stayed under its memory cap.
#include "../support/reference_server.hpp"

#include "report/records.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <thread>

namespace wsh {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

// 1.1.1's own bound: connect and handshake (5 s each at most, the handshake's the one that can
// run out) plus its derived session deadline (2 s margin + 1 s kill timer + 1 s close wait +
// 1 s drop wait). The process gets 5 s more to start and write its reports.
constexpr auto case_bound = 5s + 5s;
constexpr auto process_slack = 5s;
// --max-buffer for these runs. The peak RSS allowed is that of the same binary listing one case
// (the catalogue is built either way: about 100 MiB, most of it category 9's payloads) plus the
// cap, once more for the message buffer's growth, and 8 MiB for everything else.
constexpr long cap_kib = 8 * 1024;

long idle_rss_kib()
{
    static long idle = [] {
        test::child_process p({test::wsharness_binary(), "list", "1.1.1"});
        p.wait(30s);
        return p.peak_rss_kib();
    }();
    return idle;
}

fs::path fresh_dir(const std::string& name)
{
    auto dir = fs::temp_directory_path() / ("wsharness-hostile-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string read_text(const fs::path& file)
{
    std::ifstream in(file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct run_outcome {
    int status = -1;
    std::chrono::milliseconds wall{0};
    long peak_rss_kib = 0;
    std::string output;
    std::map<std::string, json> cases;  // id -> the case's record
};

run_outcome run_wsharness(std::vector<std::string> args, const fs::path& out, std::chrono::seconds limit)
{
    std::vector<std::string> argv{test::wsharness_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--out", out.string()});
    // Hostile targets are judged case by case: the quick echo probe (which stops an echo run
    // against a target that floods or never echoes, and is one more connection) stays off.
    if (!args.empty() && (args[0] == "test-server" || args[0] == "run")) argv.push_back("--no-probe");
    run_outcome r;
    auto start = std::chrono::steady_clock::now();
    test::child_process p(argv);
    r.status = p.wait(limit, &r.output);
    r.wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    r.peak_rss_kib = p.peak_rss_kib();
    for (auto& rec : report::load_records(out)) r.cases[rec["id"].get<std::string>()] = rec;
    return r;
}

struct hostile_mode {
    std::string name;
    std::string verdict;  // behavior of 1.1.1
    std::string reason;   // a part of its result text
};

void PrintTo(const hostile_mode& m, std::ostream* os) { *os << m.name; }

class HostilePeer : public ::testing::TestWithParam<hostile_mode> {};

TEST_P(HostilePeer, CaseEndsWithVerdictInTimeAndUnderMemoryCap)
{
    const auto& mode = GetParam();
    auto peer = test::start_server({WSH_HOSTILE_PEER, mode.name});
    ASSERT_GT(peer.port, 0);
    auto dir = fresh_dir(mode.name);
    auto r = run_wsharness({"test-server", peer.url(), "--cases", "1.1.1", "--jobs", "1", "--max-buffer", "8MiB"},
                           dir, 60s);
    EXPECT_EQ(r.status, 1) << r.output;
    ASSERT_EQ(r.cases.count("1.1.1"), 1u) << r.output;
    const auto& rec = r.cases["1.1.1"];
    EXPECT_EQ(rec["behavior"], mode.verdict) << rec.dump();
    EXPECT_NE(rec.dump().find(mode.reason), std::string::npos) << rec.dump();
    EXPECT_LE(r.wall, case_bound + 5s + process_slack) << "the run took " << r.wall.count() << " ms";
    EXPECT_LE(r.peak_rss_kib, idle_rss_kib() + 2 * cap_kib + 8 * 1024)
        << "peak RSS " << r.peak_rss_kib << " KiB, idle " << idle_rss_kib() << " KiB";
    // One line per mode for the table (read with ctest -V).
    std::printf("hostile-peer %-18s behavior %-7s close %-7s case %6.0f ms  run %5lld ms  peak RSS %6ld KiB "
                "(idle %ld)\n",
                mode.name.c_str(), rec["behavior"].get<std::string>().c_str(),
                rec["behaviorClose"].get<std::string>().c_str(), rec["duration"].get<double>(),
                static_cast<long long>(r.wall.count()), r.peak_rss_kib, idle_rss_kib());
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Modes, HostilePeer,
    ::testing::Values(
        hostile_mode{"silent", "FAILED", "no complete HTTP head within the handshake timeout"},
        hostile_mode{"no-head-end", "FAILED", "no complete HTTP head within the handshake timeout"},
        hostile_mode{"endless-headers", "FAILED", "header section larger than"},
        hostile_mode{"fin-mid-handshake", "FAILED", "connection closed during the opening handshake"},
        hostile_mode{"garbage-after-101", "FAILED", "target broke"},
        hostile_mode{"half-open", "FAILED", "expected [text message of 0 bytes"},
        hostile_mode{"rst-mid-frame", "FAILED", "expected [text message of 0 bytes"},
        hostile_mode{"flood", "FAILED", "over the per-connection buffer cap of 8388608 bytes"},
        hostile_mode{"huge-length", "FAILED", "payload_too_big"},
        hostile_mode{"endless-fragments", "FAILED", "message_too_big"}),
    [](const auto& info) {
        auto name = info.param.name;
        std::erase(name, '-');
        return name;
    });

int free_port()
{
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

// The reference server with crash-on-rsv2 aborts on 3.2 (RSV2 set): 3.2 gets its verdict from
// the connection it had, the later cases are ERROR and say why.
TEST(CrashingTarget, CaseInFlightGetsVerdictRestAreErrorWithReason)
{
    auto server = test::start_reference_server("crash-on-rsv2");
    auto dir = fresh_dir("crash");
    auto r = run_wsharness({"test-server", server.url(), "--cases", "3.1,3.2,3.3,3.4", "--jobs", "1"}, dir, 60s);
    EXPECT_EQ(r.status, 1) << r.output;
    ASSERT_EQ(r.cases.size(), 4u) << r.output;
    EXPECT_EQ(r.cases["3.1"]["behavior"], "OK");
    EXPECT_NE(r.cases["3.2"]["behavior"], "ERROR") << r.cases["3.2"].dump();
    for (auto id : {"3.3", "3.4"}) {
        EXPECT_EQ(r.cases[id]["behavior"], "ERROR") << id;
        EXPECT_NE(r.cases[id]["result"].get<std::string>().find("no longer accepts connections"), std::string::npos)
            << r.cases[id]["result"];
    }
    fs::remove_all(dir);
}

// With --exec the dead target is started again before the next case and the run goes on; the
// console and the next case's report name the case after which it died.
TEST(CrashingTarget, ExecRestartsTheTargetAndNamesTheCase)
{
    auto dir = fresh_dir("crash-exec");
    auto port = std::to_string(free_port());
    auto r = run_wsharness({"test-server", "ws://127.0.0.1:" + port + "/", "--cases", "3.1,3.2,3.3,3.4", "--jobs", "1",
                            "--exec", "'" + test::wsharness_binary() + "' serve --port " + port + " --fault crash-on-rsv2"},
                           dir, 90s);
    std::string err = read_text(dir / "target-stderr.txt");
    ASSERT_EQ(r.cases.size(), 4u) << r.output;
    for (const auto& [id, rec] : r.cases) EXPECT_NE(rec["behavior"], "ERROR") << id << ": " << rec["result"];
    auto note = r.cases["3.3"]["wirelog"].dump();
    EXPECT_NE(note.find("the target died after case 3.2"), std::string::npos) << note;
    EXPECT_NE(r.cases["3.4"]["wirelog"].dump().find("the target died after case 3.3"), std::string::npos);
    fs::remove_all(dir);
}

// Same target, same build, same cases: the same verdicts run after run, at the default --jobs
// and at --jobs 1 (a few categories here; the full catalogue 10 times by hand, see the note).
TEST(Determinism, SameVerdictsInConsecutiveRuns)
{
    auto server = test::start_reference_server();
    const std::string cases = "1.1.*,2.*,3.*,4.*,5.*,7.1.*,24.2.*";
    std::map<std::string, std::string> first;
    for (const std::string jobs : {"0", "1"}) {
        for (int run = 0; run < 3; ++run) {
            auto dir = fresh_dir("determinism");
            std::vector<std::string> args{"test-server", server.url(), "--cases", cases};
            if (jobs != "0") args.insert(args.end(), {"--jobs", jobs});
            auto r = run_wsharness(args, dir, 120s);
            std::map<std::string, std::string> verdicts;
            for (const auto& [id, rec] : r.cases)
                verdicts[id] = rec["behavior"].get<std::string>() + "/" + rec["behaviorClose"].get<std::string>();
            ASSERT_GT(verdicts.size(), 50u) << r.output;
            if (first.empty()) first = verdicts;
            EXPECT_EQ(verdicts, first) << "jobs " << jobs << " run " << run;
            fs::remove_all(dir);
        }
    }
}

// SIGTERM while the case in flight hangs on a silent target: that case still ends within its
// deadline with a verdict, the reports are written, the status says interrupted (130), and
// --resume runs only the rest (here against a working server).
TEST(Interrupt, SigtermDuringHangingCaseThenResume)
{
    auto peer = test::start_server({WSH_HOSTILE_PEER, "silent"});
    auto dir = fresh_dir("sigterm");
    test::child_process run({"/bin/sh", "-c", "echo $$; exec '" + test::wsharness_binary() + "' test-server " +
                                                  peer.url() + " --cases 1.1.1,1.1.2,1.1.3 --jobs 1 --no-probe --out " + dir.string()});
    auto pid = run.read_line(10s);
    ASSERT_TRUE(pid);
    // The first connection is wsharness's probe, the second 1.1.1's: in flight, never answered.
    ASSERT_TRUE(peer.process->wait_for("accepted", 30s));
    ASSERT_TRUE(peer.process->wait_for("accepted", 30s));
    auto start = std::chrono::steady_clock::now();
    ::kill(std::stoi(*pid), SIGTERM);
    std::string output;
    EXPECT_EQ(run.wait(30s, &output), 130) << output;
    EXPECT_LE(std::chrono::steady_clock::now() - start, case_bound + process_slack);
    auto before = report::load_records(dir);
    ASSERT_EQ(before.size(), 1u) << output;
    EXPECT_EQ(before[0]["id"], "1.1.1");
    EXPECT_EQ(before[0]["behavior"], "FAILED");
    EXPECT_TRUE(fs::exists(dir / "junit.xml"));
    auto server = test::start_reference_server();
    test::child_process resume({test::wsharness_binary(), "test-server", server.url(), "--cases", "1.1.1,1.1.2,1.1.3",
                                "--resume", dir.string()});
    EXPECT_EQ(resume.wait(60s, &output), 1) << output;  // 1.1.1 stays FAILED
    EXPECT_NE(output.find("resuming, 1 finished cases kept, 2 to run"), std::string::npos) << output;
    auto index = json::parse(read_text(dir / "index.json"))["wsharness"];
    EXPECT_EQ(index.size(), 3u);
    EXPECT_EQ(index["1.1.2"]["behavior"], "OK");
    fs::remove_all(dir);
}

}  // namespace
}  // namespace wsh
