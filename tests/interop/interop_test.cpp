// SPDX-License-Identifier: MIT
// The reference peer against real third-party implementations: Node's `ws` and Python's
// `websockets`, each as a client of `wsharness serve` and as a server for `wsharness drive`;
// and the category-1 catalogue against both libraries' echo servers.
#include "../support/baseline.hpp"
#include "../support/reference_server.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace wsh {
namespace {

using namespace std::chrono_literals;

std::string node_script(const std::string& name) { return test::source_dir() + "/tests/interop/node/" + name; }
std::string python_script(const std::string& name) { return test::source_dir() + "/tests/interop/python/" + name; }

void require_node_ws()
{
    ASSERT_TRUE(std::filesystem::exists(test::source_dir() + "/tests/interop/node/node_modules/ws"))
        << "Node's ws is not installed: run scripts/install-node-deps";
}

// Runs a third-party echo client against the reference server; it exits 0 when text, binary,
// a 70 000-byte message, ping/pong and a clean close all worked.
void client_against_reference_server(std::vector<std::string> client)
{
    auto server = test::start_reference_server();
    ASSERT_GT(server.port, 0);
    client.push_back(server.url());
    test::child_process c(client);
    std::string output;
    EXPECT_EQ(c.wait(30s, &output), 0) << output;
    EXPECT_NE(output.find("ok close"), std::string::npos) << output;
}

// Runs the reference driver against a third-party mini fuzzing server, which exits 0 only if
// every case was echoed and closed correctly.
void driver_against_server(std::vector<std::string> server_argv, const std::string& fault = "none",
                           int expected_status = 0)
{
    auto server = test::start_server(std::move(server_argv));
    ASSERT_GT(server.port, 0);
    test::child_process driver({test::wsharness_binary(), "drive", "ws://127.0.0.1:" + std::to_string(server.port),
                                "--agent", "reference", "--fault", fault});
    std::string driver_output;
    EXPECT_EQ(driver.wait(60s, &driver_output), 0) << driver_output;
    std::string server_output;
    EXPECT_EQ(server.process->wait(30s, &server_output), expected_status) << server_output;
}

TEST(Interop, ReferenceServerServesNodeWsClient)
{
    require_node_ws();
    client_against_reference_server({"node", node_script("echo_client.js")});
}

TEST(Interop, ReferenceServerServesPythonWebsocketsClient)
{
    client_against_reference_server({test::debian_python(), python_script("echo_client.py")});
}

TEST(Interop, ReferenceDriverEchoesForNodeWsServer)
{
    require_node_ws();
    driver_against_server({"node", node_script("mini_fuzzingserver.js"), "0"});
}

TEST(Interop, ReferenceDriverEchoesForPythonWebsocketsServer)
{
    driver_against_server({test::debian_python(), python_script("mini_fuzzingserver.py"), "0"});
}

TEST(Interop, DriverFaultIsSeenByNodeWsServer)
{
    require_node_ws();
    driver_against_server({"node", node_script("mini_fuzzingserver.js"), "0"}, "no-pong", 1);
}

// Category 1 against a third-party echo server: every case OK (the stored expectation for
// both libraries; see reports/baselines/).
void category_one_against(std::vector<std::string> server_argv)
{
    auto server = test::start_server(std::move(server_argv));
    ASSERT_GT(server.port, 0);
    test::child_process run({test::wsharness_binary(), "test-server", server.url(), "--cases", "1.*"});
    std::string output;
    EXPECT_EQ(run.wait(120s, &output), 0) << output;
    EXPECT_NE(output.find("16 cases"), std::string::npos) << output;
}

TEST(Interop, CategoryOnePassesAgainstNodeWsEchoServer)
{
    require_node_ws();
    category_one_against({"node", node_script("echo_server.js"), "0"});
}

TEST(Interop, CategoryOnePassesAgainstPythonWebsocketsEchoServer)
{
    category_one_against({test::debian_python(), python_script("echo_server.py"), "0"});
}

// The whole catalogue against a third-party echo server gets exactly the verdicts stored in
// reports/baselines/<name>.json (every non-OK one is explained in reports/baselines/README.md).
// Categories 12 and 13 (10.9 GB of compressed echoes each way) are left out: websockets
// compresses by default and would take minutes; reports/baselines/*-deflate.json holds them.
// A stored file may hold more cases than the run selects (the *-deflate files hold all 216 of
// 12/13): exactly the ids the run gave are compared, and the run must give `expected_cases` of
// them (0: as many as the file holds).
void catalogue_matches_baseline(std::vector<std::string> server_argv, const std::string& name,
                                std::vector<std::string> selection = {"--exclude", "12.*,13.*"},
                                std::size_t expected_cases = 0)
{
    auto server = test::start_server(std::move(server_argv));
    ASSERT_GT(server.port, 0);
    auto out = std::filesystem::temp_directory_path() / ("wsharness-baseline-" + name + "-" + std::to_string(server.port));
    std::vector<std::string> argv{test::wsharness_binary(), "test-server", server.url(), "--agent", name,
                                  "--out", out.string()};
    argv.insert(argv.end(), selection.begin(), selection.end());
    test::child_process run(argv);
    std::string output;
    run.wait(300s, &output);
    std::ifstream got_file(out / "index.json");
    std::ifstream want_file(test::source_dir() + "/reports/baselines/" + name + ".json");
    ASSERT_TRUE(got_file && want_file) << output;
    auto got = nlohmann::json::parse(got_file)[name];
    auto want = nlohmann::json::parse(want_file)[name];
    ASSERT_EQ(got.size(), expected_cases ? expected_cases : want.size()) << output;
    for (auto& [id, verdict] : got.items()) {
        ASSERT_TRUE(want.contains(id)) << id << " is not in reports/baselines/" << name << ".json";
        EXPECT_TRUE(test::same_up_to_race(id, verdict["behavior"].get<std::string>(), want[id]["behavior"].get<std::string>()))
            << id << ": got " << verdict["behavior"] << ", stored " << want[id]["behavior"];
        EXPECT_EQ(verdict["behaviorClose"], want[id]["behaviorClose"]) << id;
    }
    std::filesystem::remove_all(out);
}

TEST(Baseline, NodeWsEchoServerGetsItsStoredVerdicts)
{
    require_node_ws();
    catalogue_matches_baseline({"node", node_script("echo_server.js"), "0"}, "ws");
}

TEST(Baseline, PythonWebsocketsEchoServerGetsItsStoredVerdicts)
{
    catalogue_matches_baseline({test::debian_python(), python_script("echo_server.py"), "0"}, "websockets");
}

// The small cases of 12/13 (k = 1-5 and 11 of every sub-category: 13.6 MB each way per
// sub-category) and category 25: 72 + 7 cases.
constexpr std::size_t small_compression_case_count = 72 + 7;
std::string small_compression_cases()
{
    std::string ids = "25.*";
    for (int category : {12, 13})
        for (int j = 1; j <= (category == 12 ? 5 : 7); ++j)
            for (int k : {1, 2, 3, 4, 5, 11})
                ids += "," + std::to_string(category) + "." + std::to_string(j) + "." + std::to_string(k);
    return ids;
}

// ws with permessage-deflate: as stored in reports/baselines/ws-deflate.json.
TEST(Baseline, NodeWsWithDeflateGetsItsStoredVerdicts)
{
    require_node_ws();
    catalogue_matches_baseline({"node", node_script("echo_server.js"), "0", "--deflate"}, "ws-deflate",
                               {"--cases", small_compression_cases(), "--jobs", "16"}, small_compression_case_count);
}

}  // namespace
}  // namespace wsh
