// SPDX-License-Identifier: MIT
// Real applications, not echo servers: the sink, push and chat (broadcast) apps of
// tests/interop/node/ tested as they are with --target-profile; their verdicts are stored in
// reports/baselines/ (every non-OK one explained there). Also: the echo profile against a sink
// says which profile to use, `wsharness observe` against the push app, and a violation in what
// a push app sends reported as a finding of the case.
#include "../support/baseline.hpp"
#include "../support/reference_server.hpp"

#include <filesystem>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>

namespace wsh {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string app(const std::string& name) { return test::source_dir() + "/tests/interop/node/" + name; }

void require_node_ws()
{
    ASSERT_TRUE(fs::exists(test::source_dir() + "/tests/interop/node/node_modules/ws"))
        << "Node's ws is not installed: run scripts/install-node-deps";
}

fs::path scratch(const std::string& name, int port)
{
    return fs::temp_directory_path() / ("wsharness-profile-" + name + "-" + std::to_string(port));
}

// The catalogue (`cases`) against an app with a profile gets exactly the stored verdicts of
// reports/baselines/<name>.json.
void app_matches_baseline(std::vector<std::string> app_argv, const std::string& profile, const std::string& name,
                          const std::string& cases)
{
    require_node_ws();
    auto server = test::start_server(std::move(app_argv));
    ASSERT_GT(server.port, 0);
    auto out = scratch(name, server.port);
    std::vector<std::string> argv{test::wsharness_binary(), "test-server", server.url(), "--agent", name,
                                  "--target-profile", profile, "--out", out.string()};
    if (!cases.empty()) argv.insert(argv.end(), {"--cases", cases});
    // The apps do not negotiate permessage-deflate: 12.x/13.x (216 cases of 1000 messages) would
    // all be UNIMPLEMENTED; category 25 stays in and is UNIMPLEMENTED but for 25.1.3.
    argv.insert(argv.end(), {"--exclude", "12.*,13.*"});
    test::child_process run(argv);
    std::string output;
    run.wait(240s, &output);
    std::ifstream got_file(out / "index.json");
    std::ifstream want_file(test::source_dir() + "/reports/baselines/" + name + ".json");
    ASSERT_TRUE(got_file && want_file) << output;
    auto got = nlohmann::json::parse(got_file)[name];
    auto want = nlohmann::json::parse(want_file)[name];
    ASSERT_EQ(got.size(), want.size()) << output;
    for (auto& [id, verdict] : want.items()) {
        ASSERT_TRUE(got.contains(id)) << id;
        EXPECT_TRUE(test::same_up_to_race(id, got[id]["behavior"].get<std::string>(),
                                          verdict["behavior"].get<std::string>()))
            << id << ": got " << got[id]["behavior"] << ", stored " << verdict["behavior"];
        EXPECT_EQ(got[id]["behaviorClose"], verdict["behaviorClose"]) << id;
    }
    // A profile never turns the app's own traffic into a failure: nothing here is FAILED
    // without the stored baseline saying so, and the summary names no wrong profile.
    EXPECT_EQ(output.find("try --target-profile"), std::string::npos) << output;
    fs::remove_all(out);
}

TEST(Profiles, SinkAppGetsItsStoredVerdicts)
{
    app_matches_baseline({"node", app("sink_server.js"), "0"}, "sink", "sink-app", "");
}

TEST(Profiles, PushAppGetsItsStoredVerdicts)
{
    // A snapshot every 50 ms, so that most cases see messages of the app's own.
    app_matches_baseline({"node", app("push_server.js"), "0", "--interval", "50"}, "push", "push-app", "");
}

TEST(Profiles, ChatAppGetsItsStoredVerdicts)
{
    app_matches_baseline({"node", app("chat_server.js"), "0"}, "broadcast", "chat-app", "");
}

// The echo profile against a sink: one line says what is wrong instead of a line per case.
TEST(Profiles, EchoProfileAgainstTheSinkAppNamesTheRightProfile)
{
    require_node_ws();
    auto server = test::start_server({"node", app("sink_server.js"), "0"});
    ASSERT_GT(server.port, 0);
    auto out = scratch("wrong", server.port);
    // --no-probe: the quick probe would stop the run before any case (next test).
    test::child_process run({test::wsharness_binary(), "test-server", server.url(), "--cases",
                             "1.1.1,1.1.2,1.1.3,1.1.4,1.1.5,1.2.1,1.2.2,1.2.3,1.2.4,1.2.5,6.2.*", "--jobs", "16",
                             "--out", out.string(), "--no-probe"});
    std::string output;
    EXPECT_EQ(run.wait(120s, &output), 1) << output;
    EXPECT_NE(output.find("\ntarget never echoes: try --target-profile sink\n"), std::string::npos) << output;
    EXPECT_NE(output.find("echo cases with no echo coming back (1.1.1, 1.1.2,"), std::string::npos) << output;
    EXPECT_EQ(output.find("FAILED 1.1.1"), std::string::npos) << output;
    fs::remove_all(out);
}

// The quick probe: under the echo profile a target that does not echo stops the run before any
// case (exit status 2, one line naming the profile to use), where the cases would wait out their
// timers (category 9 alone: more than 25 minutes). test-server against the sink app, `run --spec`
// against the push app; the reference server still runs; a sink profile against the push app
// only warns.
std::string shell_output(const std::vector<std::string>& argv, int& status, std::chrono::seconds timeout = 60s)
{
    std::string command;
    for (const auto& a : argv) command += "'" + a + "' ";
    test::child_process run({"/bin/sh", "-c", command + "2>&1"});
    std::string output;
    status = run.wait(timeout, &output);
    return output;
}

TEST(Profiles, TheProbeStopsAnEchoRunAgainstAnAppThatDoesNotEcho)
{
    require_node_ws();
    auto sink = test::start_server({"node", app("sink_server.js"), "0"});
    auto push = test::start_server({"node", app("push_server.js"), "0", "--interval", "100"});
    auto reference = test::start_reference_server();
    ASSERT_TRUE(sink.port > 0 && push.port > 0 && reference.port > 0);
    auto dir = scratch("probe", sink.port);
    fs::create_directories(dir);

    // Categories 1 and 9 under the echo profile: without the probe, minutes of case timers.
    int status = -1;
    auto output = shell_output({test::wsharness_binary(), "test-server", sink.url(), "--cases", "1.*,9.*", "--out",
                                (dir / "sink").string()}, status);
    EXPECT_EQ(status, 2) << output;
    EXPECT_NE(output.find("wsharness: wsharness: target never echoes: try --target-profile sink (no echo of the "
                          "probe message in "), std::string::npos) << output;
    EXPECT_NE(output.find(", its Ping got its Pong; --no-probe runs anyway)\n"), std::string::npos) << output;
    EXPECT_EQ(output.find(" cases in "), std::string::npos) << "no case may run: " << output;

    nlohmann::json spec = {{"outdir", (dir / "push").string()},
                           {"servers", {{{"agent", "ticker"}, {"url", push.url()}}}},
                           {"cases", {"1.*", "9.*"}}};
    std::ofstream(dir / "spec.json") << spec.dump();
    output = shell_output({test::wsharness_binary(), "run", "--spec", (dir / "spec.json").string()}, status);
    EXPECT_EQ(status, 2) << output;
    EXPECT_NE(output.find("wsharness: ticker: target never echoes: try --target-profile push, or broadcast if it "
                          "relays clients' messages (no echo of the probe message in "), std::string::npos) << output;
    EXPECT_EQ(output.find(" cases in "), std::string::npos) << "no case may run: " << output;

    output = shell_output({test::wsharness_binary(), "test-server", reference.url(), "--cases", "1.1.*", "--out",
                           (dir / "reference").string()}, status);
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("8 cases in "), std::string::npos) << output;
    EXPECT_EQ(output.find("wsharness: wsharness:"), std::string::npos) << "no warning, no error: " << output;

    // Another profile: a finding that contradicts it is a warning, and the run goes on.
    output = shell_output({test::wsharness_binary(), "test-server", push.url(), "--target-profile", "sink", "--cases",
                           "2.1", "--out", (dir / "warned").string()}, status);
    EXPECT_NE(output.find("wsharness: wsharness: warning: the target sent "), std::string::npos) << output;
    EXPECT_NE(output.find(" of its own during the probe: try --target-profile push\n"), std::string::npos) << output;
    EXPECT_NE(output.find("1 cases in "), std::string::npos) << output;
    fs::remove_all(dir);
}

TEST(Profiles, ObserveCountsWhatThePushAppSends)
{
    require_node_ws();
    auto server = test::start_server({"node", app("push_server.js"), "0", "--interval", "100"});
    ASSERT_GT(server.port, 0);
    auto messages = fs::temp_directory_path() / ("wsharness-observe-" + std::to_string(server.port) + ".txt");
    std::ofstream(messages) << "buy ACME\nsell GLOBEX\n";
    test::child_process run({test::wsharness_binary(), "observe", server.url(), "--for", "3s", "--send",
                             messages.string(), "--rate", "5"});
    std::string output;
    EXPECT_EQ(run.wait(30s, &output), 0) << output;
    // One snapshot on connect, then one every 100 ms: about 30 in 3 s (at least 10 under load).
    auto at = output.find("received: ");
    ASSERT_NE(at, std::string::npos) << output;
    EXPECT_GE(std::stoi(output.substr(at + 10)), 10) << output;
    EXPECT_NE(output.find("text, 0 binary)"), std::string::npos) << output;
    EXPECT_NE(output.find("sent 2 messages, 19 bytes"), std::string::npos) << output;
    EXPECT_NE(output.find("violations: 0"), std::string::npos) << output;
    fs::remove(messages);
}

TEST(Profiles, ObserveReportsAFrameThePushAppMustNotSend)
{
    require_node_ws();
    auto server = test::start_server({"node", app("push_server.js"), "0", "--interval", "100", "--rsv1-after", "3"});
    ASSERT_GT(server.port, 0);
    // --stop-at-violation: the connection is failed at once, as RFC 6455 asks of an endpoint.
    test::child_process run({test::wsharness_binary(), "observe", server.url(), "--for", "3s", "--stop-at-violation"});
    std::string output;
    EXPECT_EQ(run.wait(30s, &output), 1) << output;
    EXPECT_NE(output.find(" s: the target broke reserved_bits_set\n"), std::string::npos)
        << "the connection ends at the violation, not when --for is over: " << output;
    EXPECT_NE(output.find("violations: 1; wsharness failed the connection: --stop-at-violation"), std::string::npos)
        << output;
    EXPECT_NE(output.find("FINDING: the target broke reserved_bits_set"), std::string::npos) << output;
}

// By default a violation is recorded and the observation goes on for --for: an app that sends a
// text frame that is not UTF-8 after every second snapshot (and one frame with RSV1 set) is
// watched to the end, every violation counted, the first --keep-violations kept; --json holds it all.
TEST(Profiles, ObserveGoesOnAfterViolationsAndWritesJson)
{
    require_node_ws();
    auto server = test::start_server({"node", app("push_server.js"), "0", "--interval", "50", "--bad-utf8-every", "2",
                                      "--rsv1-after", "3"});
    ASSERT_GT(server.port, 0);
    auto file = fs::temp_directory_path() / ("wsharness-observe-" + std::to_string(server.port) + ".json");
    test::child_process run({test::wsharness_binary(), "observe", server.url(), "--for", "2s", "--keep-violations", "4",
                             "--json", file.string()});
    std::string output;
    EXPECT_EQ(run.wait(30s, &output), 1) << output;
    std::ifstream in(file);
    ASSERT_TRUE(in) << output;
    auto j = nlohmann::json::parse(in);
    EXPECT_EQ(j["url"], server.url());
    EXPECT_EQ(j["end"], "the observation time is over") << j.dump(1);
    const auto& v = j["violations"];
    // A bad frame after every second snapshot: one on connect, then one every 50 ms for 2 s
    // (at least 6 violations even on a loaded machine).
    EXPECT_GE(v["count"].get<int>(), 6) << j.dump(1);
    ASSERT_EQ(v["kept"].size(), 4u) << j.dump(1);
    EXPECT_EQ(v["not_kept"].get<int>(), v["count"].get<int>() - 4) << j.dump(1);
    EXPECT_TRUE(v["connection_failed_by"].is_null()) << j.dump(1);
    EXPECT_EQ(v["kept"][0]["violation"], "invalid_utf8");
    EXPECT_EQ(v["kept"][0]["section"], "8.1");
    EXPECT_EQ(v["kept"][0]["close_code"], 1007);
    EXPECT_EQ(v["kept"][1]["violation"], "reserved_bits_set");
    EXPECT_EQ(v["kept"][2]["violation"], "invalid_utf8");
    // Every snapshot and every bad frame after the first violation was still decoded and counted.
    const auto& got = j["received"];
    EXPECT_GE(got["messages"].get<int>(), 2 * v["count"].get<int>() - 1) << j.dump(1);
    EXPECT_EQ(got["size_min"], 2) << j.dump(1);  // the bad frame's payload
    EXPECT_GT(got["messages_per_second"].get<double>(), 0) << j.dump(1);
    EXPECT_NE(output.find("(the first 4 kept)"), std::string::npos) << output;
    fs::remove(file);
}

// The push profile skips the app's messages, but every frame still goes through the strict codec:
// the bad frame is a finding of the case, in the case's report and on the console.
TEST(Profiles, AViolationInThePushAppsOwnMessagesIsAFindingOfTheCase)
{
    require_node_ws();
    auto server = test::start_server({"node", app("push_server.js"), "0", "--rsv1-after", "1"});
    ASSERT_GT(server.port, 0);
    auto out = scratch("finding", server.port);
    test::child_process run({test::wsharness_binary(), "test-server", server.url(), "--cases", "1.1.1",
                             "--target-profile", "push", "--agent", "badpush", "--out", out.string()});
    std::string output;
    EXPECT_EQ(run.wait(60s, &output), 1) << output;
    EXPECT_NE(output.find("FINDING 1.1.1: the target broke reserved_bits_set"), std::string::npos) << output;
    std::ifstream file(out / "badpush_case_1_1_1.json");
    ASSERT_TRUE(file) << output;
    auto record = nlohmann::json::parse(file);
    ASSERT_EQ(record["findings"].size(), 1u) << record.dump(1);
    EXPECT_EQ(record["findings"][0]["violation"], "reserved_bits_set");
    fs::remove_all(out);
}

// test-client: a client that runs every case but never answers a message. With the sink profile
// it passes; judged as an echo client it fails with the one-line hint.
const std::string client_cases = "1.1.1,1.1.2,1.2.1,2.1,2.2,2.5,3.1,4.1.1,5.3,5.6,6.2.1,6.3.1,7.1.1";

// Runs the sink client driver against test-client; `inspect` sees the report folder (--out).
std::string client_run(const std::string& profile, const std::string& agent, std::string& output,
                       const std::string& cases = client_cases,
                       const std::function<void(const fs::path&)>& inspect = {})
{
    auto out = scratch("client-" + agent, 0);
    auto server = test::start_server({test::wsharness_binary(), "test-client", "--listen", "127.0.0.1:0", "--once",
                                      agent, "--cases", cases, "--target-profile", profile, "--out", out.string(),
                                      "--quiet"});
    if (server.port <= 0) return "no port";
    test::child_process client({"node", app("sink_client_driver.js"), "ws://127.0.0.1:" + std::to_string(server.port),
                                agent});
    int status = server.process->wait(120s, &output);
    if (inspect) inspect(out);
    fs::remove_all(out);
    return std::to_string(status);
}

std::string read_all(const fs::path& file)
{
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Profiles, TestClientJudgesASinkClientWithTheSinkProfile)
{
    require_node_ws();
    // 9.7.1 (a request/response round) cannot be judged under the sink profile: it is not served,
    // and the reports hold it as UNIMPLEMENTED with the reason, as test-server's do.
    std::string output;
    const std::string reason = "sink profile: request/response rounds need a target that answers every message";
    EXPECT_EQ(client_run("sink", "sink-client", output, client_cases + ",9.7.1", [&](const fs::path& out) {
                  const auto dir = out / "sink_client";  // the agent's slug
                  std::ifstream index_file(dir / "index.json");
                  ASSERT_TRUE(index_file) << output;
                  auto index = nlohmann::json::parse(index_file)["sink-client"];
                  EXPECT_EQ(index.size(), 14u) << index.dump(1);
                  EXPECT_EQ(index["9.7.1"]["behavior"], "UNIMPLEMENTED") << index.dump(1);
                  EXPECT_EQ(index["1.1.1"]["behavior"], "OK") << index.dump(1);
                  std::ifstream case_file(dir / "sink_client_case_9_7_1.json");
                  ASSERT_TRUE(case_file);
                  auto record = nlohmann::json::parse(case_file);
                  EXPECT_EQ(record["result"], reason);
                  EXPECT_EQ(record["case"], 14);  // numbered after the 13 served cases
                  auto junit = read_all(dir / "junit.xml");
                  auto at = junit.find("<testcase name=\"9.7.1 ");
                  ASSERT_NE(at, std::string::npos) << junit;
                  EXPECT_EQ(junit.find("<skipped message=\"" + reason + "\""), junit.find("<skipped", at)) << junit;
                  EXPECT_NE(junit.find("skipped=\"1\""), std::string::npos) << junit;
                  auto html = read_all(dir / "index.html");
                  EXPECT_NE(html.find(reason), std::string::npos);
              }), "0") << output;
    EXPECT_NE(output.find("13 of 13 cases run, 1 UNIMPLEMENTED under the profile (not served)"), std::string::npos)
        << output;
    EXPECT_NE(output.find("14 cases in"), std::string::npos) << output;
    EXPECT_NE(output.find(" 0 failed"), std::string::npos) << output;
    EXPECT_EQ(output.find("try --target-profile"), std::string::npos) << output;
    std::string echo_output;
    EXPECT_EQ(client_run("echo", "echo-judged-sink-client", echo_output), "1") << echo_output;
    EXPECT_NE(echo_output.find("\ntarget never echoes: try --target-profile sink\n"), std::string::npos) << echo_output;
}

// A spec file names each server's profile ("target-profile"); a profile that does not exist is
// a one-line usage error (exit status 2).
TEST(Profiles, SpecFileGivesEachServerItsProfile)
{
    require_node_ws();
    auto sink = test::start_server({"node", app("sink_server.js"), "0"});
    ASSERT_GT(sink.port, 0);
    auto dir = scratch("spec", sink.port);
    fs::create_directories(dir);
    nlohmann::json spec = {{"outdir", (dir / "reports").string()},
                           {"servers", {{{"agent", "sink"}, {"url", sink.url()}, {"target-profile", "sink"}}}},
                           {"cases", {"1.1.1", "1.1.2", "2.1", "5.3", "6.2.1"}}};
    std::ofstream(dir / "spec.json") << spec.dump();
    test::child_process run({test::wsharness_binary(), "run", "--spec", (dir / "spec.json").string()});
    std::string output;
    EXPECT_EQ(run.wait(60s, &output), 0) << output;
    EXPECT_NE(output.find("5 cases in"), std::string::npos) << output;
    EXPECT_EQ(output.find("try --target-profile"), std::string::npos) << output;

    spec["servers"][0]["target-profile"] = "chat";
    std::ofstream(dir / "bad.json") << spec.dump();
    test::child_process bad({"/bin/sh", "-c", test::wsharness_binary() + " run --spec " + (dir / "bad.json").string() + " 2>&1"});
    std::string bad_output;
    EXPECT_EQ(bad.wait(30s, &bad_output), 2) << bad_output;
    EXPECT_NE(bad_output.find("spec: unknown 'target-profile' \"chat\" for server 'sink' (echo, sink, push, broadcast)"), std::string::npos)
        << bad_output;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace wsh
