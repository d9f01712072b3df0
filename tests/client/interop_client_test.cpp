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

// Runs the whole client-mode catalogue with `driver` (the URL and agent are appended) and
// compares the verdicts with reports/baselines/<agent>.json. permessage-deflate (12, 13, 25) is
// left out: all three clients offer it by default, and 12/13 move 10.9 GB each way through a
// driver that runs one case at a time.
void client_matches_baseline(const std::string& agent, std::vector<std::string> driver,
                             bool append_url_and_agent = true)
{
    test::scratch_dir out("client-baseline-" + agent);
    auto server = test::start_test_client({"--once", agent, "--out", out.path.string(), "--exclude", "12.*,13.*,25.*"});
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
    ASSERT_EQ(got.size(), want.size()) << output;
    for (const auto& [id, v] : want) {
        auto it = got.find(id);
        ASSERT_NE(it, got.end()) << id;
        EXPECT_TRUE(test::same_up_to_race(id, it->second.first, v.first) && it->second.second == v.second)
            << id << ": got " << it->second.first << " / " << it->second.second;
    }
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
    client_matches_baseline("chromium",
                            {"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                             "--disable-background-networking", "--disable-component-update",
                             "--disable-sync", "--no-first-run", "--user-data-dir=" + profile.path.string(),
                             "URL"},
                            false);
}

}  // namespace
}  // namespace wsh
