// SPDX-License-Identifier: MIT
// Real third-party clients under `wsharness test-client`, each through a small Autobahn driver
// kept in the repo: Node's ws, Python's websockets, and headless Chromium running the driver
// page served at /driver. Each gets exactly the verdicts stored in reports/baselines/ (every
// non-OK one is explained in reports/baselines/README.md).
#include "client_session.hpp"
#include "tests/support/baseline.hpp"

#include <cstdlib>

namespace wsh {
namespace {

using namespace std::chrono_literals;

// Runs the client-mode cases `selection` selects with `driver` (the URL and agent are appended)
// and compares the verdicts with reports/baselines/<agent>.json. The stored file may hold more
// cases than the run (the *-deflate files hold every small 12/13 case); exactly the ids the run
// gave are compared, and the run must give every stored id it selected.
void client_matches_baseline(const std::string& agent, std::vector<std::string> driver,
                             bool append_url_and_agent, const std::vector<std::string>& selection,
                             std::size_t expected_cases = 0)
{
    test::scratch_dir out("client-baseline-" + agent);
    std::vector<std::string> args{"--once", agent, "--out", out.path.string()};
    args.insert(args.end(), selection.begin(), selection.end());
    auto server = test::start_test_client(args);
    ASSERT_GT(server.port, 0);
    if (append_url_and_agent) {
        driver.push_back(test::base_url(server));
        driver.push_back(agent);
    } else {
        driver.back() = "http://127.0.0.1:" + std::to_string(server.port) + "/driver?agent=" + agent;
    }
    test::child_process client(driver);
    std::string output;
    server.process->wait(240s, &output);
    auto got = test::read_verdicts(out.path / test::agent_dir(agent) / "index.json");
    auto want = test::read_verdicts(test::source_dir() + "/reports/baselines/" + agent + ".json");
    ASSERT_FALSE(want.empty()) << "no baseline reports/baselines/" << agent << ".json";
    ASSERT_FALSE(got.empty()) << output;
    for (const auto& [id, v] : got) {
        auto it = want.find(id);
        ASSERT_NE(it, want.end()) << id << " is not in reports/baselines/" << agent << ".json";
        EXPECT_TRUE(test::same_up_to_race(id, v.first, it->second.first) && v.second == it->second.second)
            << id << ": got " << v.first << " / " << v.second << ", stored " << it->second.first << " / "
            << it->second.second;
    }
    EXPECT_EQ(got.size(), expected_cases ? expected_cases : want.size()) << output;
}

// The whole client-mode catalogue but permessage-deflate (12, 13, 25): all three clients offer it
// by default, and 12/13 move 10.9 GB each way through a driver that runs one case at a time.
void client_matches_baseline(const std::string& agent, std::vector<std::string> driver,
                             bool append_url_and_agent = true)
{
    client_matches_baseline(agent, std::move(driver), append_url_and_agent,
                            {"--exclude", "12.*,13.*,25.*"});
}

// permessage-deflate in client mode: k = 4 of every 12/13 sub-category (1024-byte messages, at
// ws's 1024-byte compression threshold, so every client compresses its echoes) and
// the 6 client-side 25.x cases (25.4.2 is server-only). reports/baselines/<agent>-deflate.json
// holds k = 1-5 and 11 of every sub-category; the driver runs one case at a time, so the test
// keeps to these 18 cases.
constexpr std::size_t deflate_cases = 12 + 6;
std::vector<std::string> deflate_selection()
{
    std::string ids = "25.*";
    for (int category : {12, 13})
        for (int j = 1; j <= (category == 12 ? 5 : 7); ++j)
            ids += "," + std::to_string(category) + "." + std::to_string(j) + ".4";
    return {"--cases", ids};
}

std::vector<std::string> chromium_argv(const test::scratch_dir& profile)
{
    return {"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--user-data-dir=" + profile.path.string(),
            "URL"};
}

TEST(ClientBaseline, NodeWsClientGetsItsStoredVerdicts)
{
    ASSERT_TRUE(std::filesystem::exists(test::source_dir() + "/tests/interop/node/node_modules/ws"))
        << "Node's ws is not installed: run scripts/install-node-deps";
    client_matches_baseline("ws-client", {"node", test::source_dir() + "/tests/interop/node/client_driver.js"});
}

TEST(ClientBaseline, PythonWebsocketsClientGetsItsStoredVerdicts)
{
    client_matches_baseline("websockets-client",
                            {test::debian_python(), test::source_dir() + "/tests/interop/python/client_driver.py"});
}

// Debian's chromium, headless, in a fresh profile, loading the driver page from test-client.
TEST(ClientBaseline, HeadlessChromiumGetsItsStoredVerdicts)
{
    ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium")) << "chromium is not installed: run scripts/install-deps";
    test::scratch_dir profile("chromium-profile");
    std::filesystem::create_directories(profile.path);
    client_matches_baseline("chromium", chromium_argv(profile), false);
}

TEST(ClientBaseline, NodeWsClientWithDeflateGetsItsStoredVerdicts)
{
    ASSERT_TRUE(std::filesystem::exists(test::source_dir() + "/tests/interop/node/node_modules/ws"))
        << "Node's ws is not installed: run scripts/install-node-deps";
    client_matches_baseline("ws-client-deflate", {"node", test::source_dir() + "/tests/interop/node/client_driver.js"},
                            true, deflate_selection(), deflate_cases);
}

TEST(ClientBaseline, PythonWebsocketsClientWithDeflateGetsItsStoredVerdicts)
{
    client_matches_baseline("websockets-client-deflate",
                            {test::debian_python(), test::source_dir() + "/tests/interop/python/client_driver.py"},
                            true, deflate_selection(), deflate_cases);
}

TEST(ClientBaseline, HeadlessChromiumWithDeflateGetsItsStoredVerdicts)
{
    ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium")) << "chromium is not installed: run scripts/install-deps";
    test::scratch_dir profile("chromium-deflate-profile");
    std::filesystem::create_directories(profile.path);
    client_matches_baseline("chromium-deflate", chromium_argv(profile), false, deflate_selection(), deflate_cases);
}

}  // namespace
}  // namespace wsh
