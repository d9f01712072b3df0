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
#include <regex>
#include <sstream>
#include <sys/socket.h>
#include <sys/time.h>
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
    // One line per mode for the issue's table (read with ctest -V).
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

// What `wsharness list --waits PATTERN` says of each case's time bound (connect + opening
// handshake + session deadline, from the catalogue) and the default --jobs it assumes.
struct listed_bounds {
    std::vector<long> bound_ms;  // one per case
    unsigned default_jobs = 0;
};

listed_bounds list_bounds(const std::string& pattern)
{
    test::child_process p({test::wsharness_binary(), "list", "--waits", pattern});
    std::string out;
    EXPECT_EQ(p.wait(30s, &out), 0) << out;
    listed_bounds b;
    static const std::regex case_line(R"(^\S+ +\d+ ms  bound +(\d+) ms )");
    static const std::regex jobs_line(R"(floor with (\d+) jobs)");
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_search(line, m, case_line)) b.bound_ms.push_back(std::stol(m[1]));
        else if (std::regex_search(line, m, jobs_line)) b.default_jobs = static_cast<unsigned>(std::stoul(m[1]));
    }
    return b;
}

// The whole run ends within the sum of its cases' bounds divided by the parallelism, plus what
// lanes that pull the next case can add (the rest of the longest case) and 5 s for the process
// (start, probe, reports), whatever the target does. The target here makes every case wait as
// long as it can: its 101 trickles in a byte at a time, then a frame that never ends, and it
// never reads or closes. At --jobs 1 a case that outlived its bound breaks the bound; at the
// default --jobs (two rounds of cases) so would cases that did not run in parallel.
TEST(RunBound, WholeRunEndsWithinSumOfCaseBoundsOverJobs)
{
    auto peer = test::start_server({WSH_HOSTILE_PEER, "trickle"});
    ASSERT_GT(peer.port, 0);
    for (const auto& [pattern, jobs_arg] : std::vector<std::pair<std::string, unsigned>>{{"1.1.1,1.1.2", 1},
                                                                                          {"1.1.1,1.1.2,1.1.3,1.1.4,1.1.5,1.2.1,1.2.2,1.2.3,1.2.4,1.2.5", 0}}) {
        auto listed = list_bounds(pattern);
        ASSERT_FALSE(listed.bound_ms.empty());
        const auto n = listed.bound_ms.size();
        const unsigned jobs = std::min<unsigned>(jobs_arg ? jobs_arg : listed.default_jobs, static_cast<unsigned>(n));
        ASSERT_GT(jobs, 0u);
        long total = 0, longest = 0;
        for (long b : listed.bound_ms) {
            total += b;
            longest = std::max(longest, b);
        }
        const auto ceiling = std::chrono::milliseconds(total / jobs + longest - longest / jobs) + process_slack;
        auto dir = fresh_dir("runbound");
        std::vector<std::string> args{"test-server", peer.url(), "--cases", pattern};
        if (jobs_arg) args.insert(args.end(), {"--jobs", std::to_string(jobs_arg)});
        auto r = run_wsharness(args, dir, 300s);
        EXPECT_EQ(r.status, 1) << r.output;
        EXPECT_EQ(r.cases.size(), n) << r.output;  // every case has its verdict
        for (const auto& [id, rec] : r.cases) EXPECT_EQ(rec["behavior"], "FAILED") << id << ": " << rec.dump();
        EXPECT_LE(r.wall, ceiling) << n << " cases, bounds " << total << " ms in total, jobs " << jobs;
        std::printf("run-bound %-12s %2zu cases  jobs %2u  run %6lld ms  ceiling %6lld ms (bounds %ld ms in total, "
                    "longest %ld ms, + %lld ms)  peak RSS %ld KiB\n",
                    pattern.c_str(), n, jobs, static_cast<long long>(r.wall.count()),
                    static_cast<long long>(ceiling.count()), total, longest,
                    static_cast<long long>(std::chrono::milliseconds(process_slack).count()), r.peak_rss_kib);
        fs::remove_all(dir);
    }
}

// Several connections each under --max-buffer, together over --max-run-buffer: the run's cap
// fails some of them (the verdict says which cap), the process stays under it, and every case
// has its verdict. Each connection of the burst peer keeps about 5.3 MiB (under 8 MiB); four at
// once are about 21 MiB, over the run's 12 MiB.
TEST(RunBuffer, ConnectionsTogetherOverTheRunCap)
{
    auto peer = test::start_server({WSH_HOSTILE_PEER, "burst"});
    ASSERT_GT(peer.port, 0);
    auto dir = fresh_dir("runcap");
    constexpr long run_cap_kib = 12 * 1024;
    auto r = run_wsharness({"test-server", peer.url(), "--cases", "1.1.1,1.1.2,1.1.3,1.1.4", "--jobs", "4",
                            "--max-buffer", "8MiB", "--max-run-buffer", "12MiB"},
                           dir, 60s);
    EXPECT_EQ(r.status, 1) << r.output;
    ASSERT_EQ(r.cases.size(), 4u) << r.output;  // no result lost
    int over_run_cap = 0;
    for (const auto& [id, rec] : r.cases) {
        EXPECT_EQ(rec["behavior"], "FAILED") << id;
        auto text = rec.dump();
        EXPECT_EQ(text.find("per-connection buffer cap"), std::string::npos) << id << ": " << rec["result"];
        if (text.find("the run's buffer cap of 12582912 bytes (--max-run-buffer) was reached") != std::string::npos)
            ++over_run_cap;
        std::printf("run-cap %s behavior %s close %s: %s\n", id.c_str(), rec["behavior"].get<std::string>().c_str(),
                    rec["behaviorClose"].get<std::string>().c_str(), rec["result"].get<std::string>().substr(0, 140).c_str());
    }
    EXPECT_GE(over_run_cap, 1) << "no case says the run's cap was reached";
    EXPECT_LE(r.peak_rss_kib, idle_rss_kib() + 2 * run_cap_kib + 8 * 1024)
        << "peak RSS " << r.peak_rss_kib << " KiB, idle " << idle_rss_kib() << " KiB";
    std::printf("run-cap: %d of 4 cases over the run's cap; run %lld ms; peak RSS %ld KiB (idle %ld)\n", over_run_cap,
                static_cast<long long>(r.wall.count()), r.peak_rss_kib, idle_rss_kib());
    fs::remove_all(dir);
}

// ---- test-client against hostile clients and a flood of connections ------------------------

struct hostile_client {
    std::string mode;
    bool websocket;  // asks for /runCase?case=1 (1.1.1) with the mode as agent: a verdict is due
    std::string answer;  // what test-client answers: a regex matched in the client's line
};

// Opens a TCP connection to 127.0.0.1:port; -1 if it cannot.
int open_connection(int port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// test-client for the one agent "driver" on a free port: per-connection cap 8 MiB, run cap
// `run_cap`, reports under `dir`.
test::running_server start_capped_test_client(const std::string& cases, const std::string& run_cap,
                                              const std::filesystem::path& dir)
{
    return test::start_server({test::wsharness_binary(), "test-client", "--listen", "127.0.0.1:0", "--cases", cases,
                               "--once", "driver", "--max-buffer", "8MiB", "--max-run-buffer", run_cap, "--out",
                               dir.string()});
}

// One test-client session meets every hostile client at once (each must end with a verdict or
// a refusal within its bound, test-client staying up), then a flood of connections (300 held
// open, more than the 256-connection cap, 200 opened and dropped, half of them with a reset),
// and while the flood is held the reference driver runs the session: every case OK, and
// test-client exits by --once with status 0, under its memory cap.
// A well-behaved `wsharness drive` run against the test-client `server` (started with
// `--once driver --out dir`): both exit 0, every one of its `cases` is OK/OK, and test-client's
// peak RSS stayed within idle + 2 x the run cap + 8 MiB. Returns how long the driver took.
std::chrono::milliseconds expect_driver_completes(test::child_process& server, const std::string& port_text,
                                                  const fs::path& dir, std::size_t cases, long run_cap_kib)
{
    const auto start = std::chrono::steady_clock::now();
    test::child_process driver({test::wsharness_binary(), "drive", "ws://127.0.0.1:" + port_text, "--agent", "driver"});
    auto done = test::wait_all({&driver, &server}, 60s);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::string drive_out;
    driver.wait(1s, &drive_out);
    EXPECT_EQ(done[0], 0) << drive_out;
    EXPECT_EQ(done[1], 0) << "test-client --once driver";
    auto index = json::parse(read_text(dir / "driver" / "index.json"))["driver"];
    EXPECT_EQ(index.size(), cases) << index.dump();
    for (const auto& [id, v] : index.items()) {
        EXPECT_EQ(v["behavior"], "OK") << id;
        EXPECT_EQ(v["behaviorClose"], "OK") << id;
    }
    EXPECT_LE(server.peak_rss_kib(), idle_rss_kib() + 2 * run_cap_kib + 8 * 1024)
        << "peak RSS " << server.peak_rss_kib() << " KiB, idle " << idle_rss_kib() << " KiB";
    return took;
}

TEST(TestClientHostile, HostileClientsAndFloodThenDriverCompletes)
{
    auto dir = fresh_dir("test-client");
    constexpr long run_cap_kib = 32 * 1024;
    auto started = start_capped_test_client("1.1.1,1.1.2,1.1.3", "32MiB", dir);
    ASSERT_GT(started.port, 0);
    test::child_process& server = *started.process;
    const int port = started.port;
    const std::string port_text = std::to_string(port);

    // The request head must be complete within 5 s; a case ends by its deadline (1.1.1's: 5 s).
    constexpr auto head_bound = 5s, case_bound_server = 5s;
    const std::vector<hostile_client> clients{
        {"silent", false, "answer 'nothing'; ended by test-client"},
        // A refusal the client may not get to read: test-client closes with its request unread.
        {"endless-headers", false, "(answer 'HTTP/1.1 400 Bad Request'|answer 'nothing'); ended by test-client"},
        {"huge-request", false, "(answer 'HTTP/1.1 400 Bad Request'|answer 'nothing'); ended by test-client"},
        {"garbage", false, "answer 'HTTP/1.1 400 Bad Request'; ended by test-client"},
        {"fin-mid-request", false, "answer 'HTTP/1.1 400 Bad Request'; ended by test-client"},
        {"rst-mid-frame", true, "101; reset by the client"},
        {"length-2-63", true, "101; answer 'frames: text 0, close 1002'; ended by test-client"},
        {"huge-length", true, "101; answer 'frames: text 0, close 1009'; ended by test-client"},
        // Over the message cap (1009) or, as the wire log counts too, the buffer cap (1008).
        {"endless-fragments", true, "101; answer 'frames: text 0, close 100[89]'; ended by test-client"},
        {"flood", true, "101; answer 'frames: text 0, close 1008'; ended by test-client"},
    };
    std::vector<std::unique_ptr<test::child_process>> procs;
    std::vector<test::child_process*> raw;
    for (const auto& c : clients) {
        procs.push_back(std::make_unique<test::child_process>(
            std::vector<std::string>{WSH_HOSTILE_PEER, "client", c.mode, port_text}));
        raw.push_back(procs.back().get());
    }
    auto statuses = test::wait_all(raw, 60s, {&server});
    std::map<std::string, std::string> lines;
    for (std::size_t i = 0; i < clients.size(); ++i) {
        std::string out;
        procs[i]->wait(1s, &out);
        lines[clients[i].mode] = out;
        EXPECT_EQ(statuses[i], 0) << clients[i].mode << ": " << out;
        EXPECT_TRUE(std::regex_search(out, std::regex(clients[i].answer))) << out;
        std::smatch m;
        static const std::regex after(R"(after (\d+) ms)");
        if (std::regex_search(out, m, after)) {
            auto bound = clients[i].websocket ? head_bound + case_bound_server : head_bound;
            EXPECT_LE(std::chrono::milliseconds(std::stol(m[1])), bound + 2s) << out;
        }
    }
    // The verdicts of the hostile agents' cases (test-client's line per finished case).
    std::map<std::string, std::string> verdicts;
    for (const auto& c : clients)
        if (c.websocket) verdicts[c.mode] = "";
    for (auto deadline = std::chrono::steady_clock::now() + 15s;
         std::chrono::steady_clock::now() < deadline &&
         std::any_of(verdicts.begin(), verdicts.end(), [](const auto& v) { return v.second.empty(); });) {
        auto line = server.read_line(1s);
        if (!line) continue;
        for (auto& [agent, v] : verdicts)
            if (line->rfind(agent + ": ", 0) == 0) v = *line;
    }
    for (const auto& c : clients) {
        std::string verdict = c.websocket ? verdicts[c.mode] : "(no case: refused or closed)";
        if (c.websocket) {
            EXPECT_NE(verdict.find("1.1.1    FAILED"), std::string::npos) << c.mode << ": " << verdict;
        }
        std::printf("hostile-client %-18s | %s | %s\n", c.mode.c_str(), verdict.c_str(), lines[c.mode].c_str());
    }

    // The flood, held while the driver runs.
    std::vector<int> held;
    for (int i = 0; i < 300; ++i)
        if (int fd = open_connection(port); fd >= 0) held.push_back(fd);
    for (int i = 0; i < 200; ++i) {
        int fd = open_connection(port);
        if (fd < 0) continue;
        if (i % 2) {
            linger l{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        ::close(fd);
    }
    EXPECT_EQ(held.size(), 300u);
    auto took = expect_driver_completes(server, port_text, dir, 3, run_cap_kib);
    for (int fd : held) ::close(fd);
    std::printf("test-client flood: 300 held + 200 dropped; driver done in %lld ms, 3 of 3 OK; test-client peak RSS "
                "%ld KiB (idle %ld)\n",
                static_cast<long long>(took.count()), server.peak_rss_kib(), idle_rss_kib());
    fs::remove_all(dir);
}

// Asks test-client for an agent's reports (/updateReports, Autobahn's URL protocol: an upgrade
// request, answered when the agent's cases have ended and its reports are written) and waits
// until test-client has closed the connection.
bool update_reports(int port, const std::string& agent)
{
    int fd = open_connection(port);
    if (fd < 0) return false;
    std::string request = "GET /updateReports?agent=" + agent + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                          std::to_string(port) +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                          "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    bool sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
    timeval wait{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    std::string got;
    char buffer[4096];
    for (ssize_t n; sent && (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) got.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return got.rfind("HTTP/1.1 101", 0) == 0;
}

// test-client's run cap (--max-run-buffer): four hostile clients at once each send 40 binary
// messages of 64 KiB (about 5.3 MiB kept per connection, under --max-buffer 8MiB; about 21 MiB
// together, over the run's 12 MiB). The connections that meet the run's cap are failed with
// Close 1008 and their verdicts say so; none meets the per-connection cap; every case has its
// verdict in the agent's reports; test-client stays up under its cap, and the reference driver
// then runs the whole session: every case OK, test-client exits 0 by --once.
TEST(TestClientRunBuffer, ClientsTogetherOverTheRunCapThenDriverCompletes)
{
    auto dir = fresh_dir("test-client-runcap");
    constexpr long run_cap_kib = 12 * 1024;
    const std::vector<std::string> ids{"1.1.1", "1.1.2", "1.1.3", "1.1.4"};
    auto started = start_capped_test_client("1.1.1,1.1.2,1.1.3,1.1.4", "12MiB", dir);
    ASSERT_GT(started.port, 0);
    test::child_process& server = *started.process;
    const int port = started.port;
    const std::string port_text = std::to_string(port);

    std::vector<std::unique_ptr<test::child_process>> procs;
    std::vector<test::child_process*> raw;
    for (std::size_t i = 1; i <= ids.size(); ++i) {
        procs.push_back(std::make_unique<test::child_process>(
            std::vector<std::string>{WSH_HOSTILE_PEER, "client", "burst", port_text, std::to_string(i)}));
        raw.push_back(procs.back().get());
    }
    auto statuses = test::wait_all(raw, 60s, {&server});
    std::vector<std::string> lines(ids.size());
    std::vector<bool> closed_1008(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        procs[i]->wait(1s, &lines[i]);
        EXPECT_EQ(statuses[i], 0) << lines[i];
        EXPECT_TRUE(std::regex_search(lines[i], std::regex("101; answer 'frames: text \\d+, close 10\\d\\d'; ended by test-client")))
            << lines[i];
        closed_1008[i] = lines[i].find("close 1008") != std::string::npos;
        // The request head within 5 s, 1.1.x's deadline 5 s, 2 s to spare.
        std::smatch m;
        static const std::regex after(R"(after (\d+) ms)");
        if (std::regex_search(lines[i], m, after)) {
            EXPECT_LE(std::stol(m[1]), 12000) << lines[i];
        }
    }
    ASSERT_TRUE(update_reports(port, "burst")) << "no answer to /updateReports?agent=burst";
    auto records = report::load_records(dir / "burst");
    std::map<std::string, json> cases;
    for (auto& rec : records) cases[rec["id"].get<std::string>()] = rec;
    ASSERT_EQ(cases.size(), ids.size()) << "a result is missing";  // no result lost
    int over_run_cap = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto& rec = cases[ids[i]];
        const auto result = rec["result"].get<std::string>();
        EXPECT_EQ(rec["behavior"], "FAILED") << ids[i];
        EXPECT_EQ(result.find("per-connection buffer cap"), std::string::npos) << ids[i] << ": " << result;
        const bool says_run_cap =
            result.find("the run's buffer cap of 12582912 bytes (--max-run-buffer) was reached") != std::string::npos;
        over_run_cap += says_run_cap;
        // The run's cap fails the connection as the server side does: Close 1008.
        EXPECT_EQ(says_run_cap, closed_1008[i]) << ids[i] << ": " << result << "\n" << lines[i];
        std::printf("test-client run-cap %s behavior %s close %s: %s | %s", ids[i].c_str(),
                    rec["behavior"].get<std::string>().c_str(), rec["behaviorClose"].get<std::string>().c_str(),
                    result.substr(0, 100).c_str(), lines[i].c_str());
    }
    EXPECT_GE(over_run_cap, 1) << "no case says the run's cap was reached";

    // The well-behaved driver afterwards.
    (void)expect_driver_completes(server, port_text, dir, ids.size(), run_cap_kib);
    std::printf("test-client run-cap: %d of 4 cases over the run's cap; driver 4 of 4 OK; test-client peak RSS %ld KiB "
                "(idle %ld)\n",
                over_run_cap, server.peak_rss_kib(), idle_rss_kib());
    fs::remove_all(dir);
}

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
