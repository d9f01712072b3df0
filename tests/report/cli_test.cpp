// SPDX-License-Identifier: MIT
// The reporting features end to end, with `wsharness` against the reference server on
// loopback: kill a run and resume it, interrupt one, a spec file, a baseline, a profile,
// --exec, and the HTML report in headless Chromium.
#include "../support/reference_server.hpp"

#include "report/html.hpp"
#include "report/records.hpp"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <regex>
#include <sstream>
#include <sys/socket.h>
#include <thread>

namespace wsh {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

const std::string slow_cases = "1.*,2.*,3.*,4.*,5.*,6.*,7.*";

fs::path fresh_dir(const std::string& name)
{
    auto dir = fs::temp_directory_path() / ("wsharness-cli-test-" + name + "-" + std::to_string(::getpid()));
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

// `wsharness ARGS` behind a shell that prints the wsharness pid first (exec keeps the pid).
std::unique_ptr<test::child_process> start_with_pid(const std::string& args, pid_t& pid)
{
    auto p = std::make_unique<test::child_process>(std::vector<std::string>{
        "/bin/sh", "-c", "echo $$; exec '" + test::wsharness_binary() + "' " + args});
    auto line = p->read_line(10s);
    pid = line ? std::stoi(*line) : -1;
    return p;
}

std::size_t count_case_files(const fs::path& dir)
{
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        auto name = e.path().filename().string();  // not the .json.tmpN files being written
        n += name.find("_case_") != std::string::npos && e.path().extension() == ".json" ? 1 : 0;
    }
    return n;
}

bool wait_for_case_files(const fs::path& dir, std::size_t n)
{
    for (int i = 0; i < 3000 && count_case_files(dir) < n; ++i) std::this_thread::sleep_for(10ms);
    return count_case_files(dir) >= n;
}

std::map<std::string, std::string> started_by_id(const fs::path& dir)
{
    std::map<std::string, std::string> out;
    for (const auto& r : report::load_records(dir)) out[r["id"]] = r["started"];
    return out;
}

TEST(ReportCli, KilledRunResumesWithoutRerunningOrLosingCases)
{
    auto server = test::start_reference_server();
    auto dir = fresh_dir("resume");
    pid_t pid = -1;
    auto run = start_with_pid("test-server " + server.url() + " --jobs 1 --cases '" + slow_cases + "' --out " +
                              dir.string(), pid);
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(wait_for_case_files(dir, 20));
    ::kill(pid, SIGKILL);
    run->wait(10s);
    auto before = started_by_id(dir);
    ASSERT_GE(before.size(), 20u);
    test::child_process resume({test::wsharness_binary(), "test-server", server.url(), "--cases", slow_cases,
                                "--resume", dir.string()});
    std::string output;
    EXPECT_EQ(resume.wait(120s, &output), 0) << output;
    EXPECT_NE(output.find("resuming, " + std::to_string(before.size()) + " finished cases kept"), std::string::npos)
        << output;
    auto after = started_by_id(dir);
    for (const auto& [id, started] : before) EXPECT_EQ(after[id], started) << id << " was run again";
    auto index = json::parse(read_text(dir / "index.json"))["wsharness"];
    EXPECT_EQ(index.size(), after.size());
    EXPECT_NE(output.find(std::to_string(after.size()) + " cases in"), std::string::npos) << output;
    fs::remove_all(dir);
}

TEST(ReportCli, InterruptStopsStartingCasesAndWritesReports)
{
    auto server = test::start_reference_server();
    auto dir = fresh_dir("sigint");
    pid_t pid = -1;
    auto run = start_with_pid("test-server " + server.url() + " --jobs 1 --cases '" + slow_cases + "' --out " +
                              dir.string(), pid);
    ASSERT_TRUE(wait_for_case_files(dir, 10));
    ::kill(pid, SIGINT);
    std::string output;
    EXPECT_EQ(run->wait(60s, &output), 130) << output;
    auto index = json::parse(read_text(dir / "index.json"))["wsharness"];
    EXPECT_EQ(index.size(), count_case_files(dir));
    EXPECT_TRUE(fs::exists(dir / "junit.xml"));
    EXPECT_TRUE(fs::exists(dir / "index.html"));
    fs::remove_all(dir);
}

bool port_is_free(int port)
{
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
}

// The example spec as is (ports 9001 and 9002). Only when another run on this machine holds
// those ports does the test use a copy with the reference servers' free ports instead.
std::string example_spec(const fs::path& dir, const test::running_server& a, const test::running_server& b)
{
    auto spec = test::source_dir() + "/reports/examples/fuzzingclient.json";
    if (a.port == 9001 && b.port == 9002) return spec;
    auto text = std::regex_replace(read_text(spec), std::regex(":9001"), ":" + std::to_string(a.port));
    std::ofstream(dir / "fuzzingclient.json") << std::regex_replace(text, std::regex(":9002"), ":" + std::to_string(b.port));
    return (dir / "fuzzingclient.json").string();
}

TEST(ReportCli, ExampleSpecRunsAsIsWithAgentExclusions)
{
    bool fixed = port_is_free(9001) && port_is_free(9002);
    auto a = test::start_server({test::wsharness_binary(), "serve", "--port", fixed ? "9001" : "0"});
    auto b = test::start_server({test::wsharness_binary(), "serve", "--port", fixed ? "9002" : "0"});
    ASSERT_GT(a.port, 0);
    ASSERT_GT(b.port, 0);
    auto dir = fresh_dir("spec");
    auto spec = example_spec(dir, a, b);
    test::child_process run({"/bin/sh", "-c", "cd '" + dir.string() + "' && exec '" + test::wsharness_binary() +
                                                  "' run --spec '" + spec + "' 2>&1"});
    std::string output;
    // The verdicts themselves are other tests' business; here the run must complete (0 or 1).
    int status = run.wait(240s, &output);
    EXPECT_TRUE(status == 0 || status == 1) << output;
    EXPECT_NE(output.find("option 'failByDrop'"), std::string::npos) << "spec options are reported";
    auto index = json::parse(read_text(dir / "reports/servers/index.json"));
    ASSERT_TRUE(index.contains("reference") && index.contains("reference-behind-proxy")) << index.dump();
    EXPECT_TRUE(index["reference"].contains("6.4.1"));
    EXPECT_FALSE(index["reference-behind-proxy"].contains("6.4.1")) << "exclude-agent-cases";
    EXPECT_TRUE(index["reference-behind-proxy"].contains("6.3.1"));
    for (const auto& agent : {"reference", "reference-behind-proxy"})
        for (const auto& [id, v] : index[agent].items()) EXPECT_NE(id.rfind("9.", 0), 0u) << id;
    fs::remove_all(dir);
}

TEST(ReportCli, SpecWithUnknownKeyIsReported)
{
    auto dir = fresh_dir("badspec");
    std::ofstream(dir / "spec.json") << R"({"servers": [{"url": "ws://127.0.0.1:1/", "agnet": "x"}],
                                          "cases": ["1.1.1"], "outdir": ")" + dir.string() + R"(", "colour": 1})";
    test::child_process run({"/bin/sh", "-c", "exec '" + test::wsharness_binary() + "' run --spec '" +
                                                  (dir / "spec.json").string() + "' 2>&1"});
    std::string output;
    EXPECT_EQ(run.wait(30s, &output), 2) << output;
    EXPECT_NE(output.find("unknown key 'colour'"), std::string::npos) << output;
    EXPECT_NE(output.find("unknown key 'agnet'"), std::string::npos) << output;
    fs::remove_all(dir);
}

// `list` prints one "§" per section: bare RFC 6455 sections get one, sections that name their
// RFC ("RFC 7692 §6.1") already carry theirs.
TEST(ReportCli, ListPrintsOneSectionSign)
{
    test::child_process run({test::wsharness_binary(), "list", "1.1.1,25.1.1"});
    std::string output;
    EXPECT_EQ(run.wait(30s, &output), 0) << output;
    EXPECT_NE(output.find("1.1.1      §5.6"), std::string::npos) << output;
    EXPECT_NE(output.find("25.1.1     RFC 7692 §6.1"), std::string::npos) << output;
    EXPECT_EQ(output.find("§RFC"), std::string::npos) << output;
    EXPECT_EQ(output.find("§§"), std::string::npos) << output;
}

// Bad arguments: one line on stderr naming what was wrong, nothing on stdout, exit status 2.
TEST(ReportCli, BadArgumentsGiveOneLineAndExitStatus2)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "A subcommand is required"},
        {"bogus", "unknown subcommand 'bogus' (one of: test-server,"},
        {"--bogus", "unknown option '--bogus'"},
        {"serve --port 70000", "--port"},
        {"serve --fault nope", "unknown fault 'nope'"},
        {"serve --bogus", "--bogus"},
        {"test-server", "url is required"},
        {"test-server http://127.0.0.1:1/", "bad URL"},
        {"test-server ws://127.0.0.1:1/ --jobs x", "--jobs"},
        {"drive", "drive needs the server URL"},
        {"list --waits --jobs -1", "--jobs"},
    };
    for (const auto& [args, says] : cases) {
        test::child_process run({"/bin/sh", "-c", "exec '" + test::wsharness_binary() + "' " + args +
                                                      " 2>&1 >/dev/null"});
        std::string output;
        EXPECT_EQ(run.wait(30s, &output), 2) << args << ": " << output;
        EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << args << ": " << output;
        EXPECT_EQ(output.rfind("wsharness: ", 0), 0u) << args << ": " << output;
        EXPECT_NE(output.find(says), std::string::npos) << args << ": " << output;
    }
    test::child_process version({test::wsharness_binary(), "--version"});
    std::string output;
    EXPECT_EQ(version.wait(30s, &output), 0);
    EXPECT_TRUE(std::regex_match(output, std::regex("wsharness [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << output;
}

TEST(ReportCli, FuzzingserverSpecRunsTestClient)
{
    auto dir = fresh_dir("clientspec");
    std::ofstream(dir / "fuzzingserver.json") << R"({"url": "ws://127.0.0.1:0", "outdir": ")" + dir.string() +
                                                     R"(", "options": {"failByDrop": false}, "cases": ["1.1.*"],
                                                     "exclude-cases": ["1.1.8"], "exclude-agent-cases": {}})";
    auto server = test::start_server({test::wsharness_binary(), "run", "--spec", (dir / "fuzzingserver.json").string()});
    ASSERT_GT(server.port, 0);
    test::child_process driver({test::wsharness_binary(), "drive", "ws://127.0.0.1:" + std::to_string(server.port),
                                "--agent", "me"});
    std::string output;
    EXPECT_EQ(driver.wait(60s, &output), 0) << output;
    for (int i = 0; i < 100 && !fs::exists(dir / "me/index.json"); ++i) std::this_thread::sleep_for(50ms);
    auto index = json::parse(read_text(dir / "me/index.json"));
    EXPECT_EQ(index["me"].size(), 7u) << index.dump();
    fs::remove_all(dir);
}

int run_against(const test::running_server& server, const std::vector<std::string>& extra, std::string& output)
{
    std::vector<std::string> argv = {test::wsharness_binary(), "test-server", server.url()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    test::child_process run(argv);
    return run.wait(120s, &output);
}

TEST(ReportCli, BaselineReportsOnlyDifferences)
{
    auto dir = fresh_dir("baseline");
    auto ws = test::source_dir() + "/reports/baselines/ws.json";
    auto good = test::start_reference_server();
    std::string output;
    EXPECT_EQ(run_against(good, {"--cases", "1.*,6.3.*", "--out", dir.string(), "--baseline", ws}, output), 0)
        << output;
    EXPECT_NE(output.find("baseline: no difference"), std::string::npos) << output;
    auto bad = test::start_reference_server("no-utf8-validation");
    EXPECT_EQ(run_against(bad, {"--cases", "1.*,6.3.*", "--out", dir.string(), "--baseline", ws}, output), 1)
        << output;
    EXPECT_NE(output.find("REGRESSION wsharness 6.3.1: OK / OK -> FAILED / FAILED"), std::string::npos) << output;
    auto mine = (dir / "mine.json").string();
    EXPECT_EQ(run_against(bad, {"--cases", "1.*,6.3.*", "--out", dir.string(), "--baseline", mine,
                                "--update-baseline"}, output), 0) << output;
    EXPECT_EQ(run_against(bad, {"--cases", "1.*,6.3.*", "--out", dir.string(), "--baseline", mine}, output), 0)
        << output;
    fs::remove_all(dir);
}

TEST(ReportCli, ProfileTurnsDeclaredGapsIntoSkips)
{
    auto dir = fresh_dir("profile");
    auto bad = test::start_reference_server("no-utf8-validation");
    std::string output;
    EXPECT_EQ(run_against(bad, {"--cases", "6.*", "--out", dir.string(), "--profile", "no-utf8-validation"}, output),
              0) << output;
    auto record = json::parse(read_text(dir / "wsharness_case_6_3_1.json"));
    EXPECT_EQ(record["behavior"], "UNIMPLEMENTED");
    EXPECT_NE(read_text(dir / "junit.xml").find("<skipped message=\"profile no-utf8-validation"), std::string::npos);
    EXPECT_EQ(run_against(bad, {"--cases", "1.*", "--profile", "no-such-thing"}, output), 2) << output;
    fs::remove_all(dir);
}

int free_port()
{
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

TEST(ReportCli, ExecStartsWaitsForAndStopsTheTarget)
{
    auto dir = fresh_dir("exec");
    auto port = std::to_string(free_port());
    auto command = "echo target-says-hello >&2; sleep 0.3; exec '" + test::wsharness_binary() + "' serve --port " + port;
    test::child_process run({test::wsharness_binary(), "test-server", "ws://127.0.0.1:" + port + "/", "--cases",
                             "1.1.*", "--out", dir.string(), "--exec", command});
    std::string output;
    EXPECT_EQ(run.wait(60s, &output), 0) << output;
    EXPECT_NE(read_text(dir / "junit.xml").find("<system-err>target-says-hello"), std::string::npos);
    test::child_process probe({test::wsharness_binary(), "test-server", "ws://127.0.0.1:" + port + "/", "--cases",
                               "1.1.1", "--out", dir.string()});
    EXPECT_EQ(probe.wait(30s, &output), 2) << "the target was stopped: " << output;
    fs::remove_all(dir);
}

std::string chromium(const std::vector<std::string>& args, const fs::path& profile_dir)
{
    std::string command = "chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
                          "--disable-component-update --disable-sync --no-first-run --user-data-dir='" +
                          profile_dir.string() + "'";
    for (const auto& a : args) command += " '" + a + "'";
    test::child_process p({"/bin/sh", "-c", command + " 2>&1"});
    std::string output;
    p.wait(120s, &output);
    return output;
}

TEST(ReportCli, HtmlReportWorksInHeadlessChromium)
{
    if (std::system("command -v chromium >/dev/null") != 0) GTEST_SKIP() << "chromium not installed";
    auto dir = fs::temp_directory_path() / "wsharness-html-report";  // kept for humans: screenshot.png
    fs::remove_all(dir);
    auto bad = test::start_reference_server("no-utf8-validation");
    std::string output;
    EXPECT_EQ(run_against(bad, {"--cases", "1.*,2.*,6.3.*,7.1.*", "--out", dir.string()}, output), 1) << output;
    auto url = "file://" + (dir / "index.html").string();
    auto dom = chromium({"--dump-dom", url + "#selftest"}, dir / "chromium-profile");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(dom, m, std::regex(R"(<pre id="selftest">([^<]*)</pre>)"))) << dom.substr(0, 2000);
    auto seen = json::parse(std::regex_replace(m[1].str(), std::regex("&quot;"), "\""));
    EXPECT_TRUE(seen["errors"].empty()) << seen.dump();
    EXPECT_EQ(dom.find("Uncaught"), std::string::npos);
    std::map<std::string, int> want;
    auto index = json::parse(read_text(dir / "index.json"));
    for (const auto& [id, v] : index["wsharness"].items())
        ++want[report::verdict_class(v, false)];
    for (const auto& [verdict, n] : seen["counts"].items()) EXPECT_EQ(n.get<int>(), want[verdict]) << verdict;
    EXPECT_GT(want["FAILED"], 0);
    EXPECT_EQ(seen["failedShown"], want["FAILED"]) << "clicking the FAILED count filters the cases";
    EXPECT_EQ(seen["okShown"], want["OK"]);
    chromium({"--window-size=1280,1600", "--screenshot=" + (dir / "screenshot.png").string(), url},
             dir / "chromium-profile");
    EXPECT_TRUE(fs::exists(dir / "screenshot.png")) << "screenshot in " << dir;
    fs::remove_all(dir / "chromium-profile");
}

}  // namespace
}  // namespace wsh
