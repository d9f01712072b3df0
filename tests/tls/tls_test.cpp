// SPDX-License-Identifier: MIT
// wss:// end to end: the whole catalogue over TLS gets the verdicts of the plain run (reference
// server) and of the stored baseline (Node's ws over https); SNI reaches the server; a
// certificate that does not verify is a one-line error with exit status 2; test-client serves
// wss:// to the reference driver with the verdicts of the plain run.
#include "../support/baseline.hpp"
#include "../support/reference_server.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace wsh {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A fresh self-signed certificate (scripts/make-test-cert) in a temporary folder.
struct test_cert {
    fs::path dir;
    explicit test_cert(const std::string& name = "localhost")
    {
        static int counter = 0;
        dir = fs::temp_directory_path() / ("wsharness-tls-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        auto command = test::source_dir() + "/scripts/make-test-cert " + dir.string() + " " + name + " >/dev/null";
        EXPECT_EQ(std::system(command.c_str()), 0) << command;
    }
    ~test_cert() { fs::remove_all(dir); }
    std::string cert() const { return (dir / "cert.pem").string(); }
    std::string key() const { return (dir / "key.pem").string(); }
};

struct temp_dir {
    fs::path path;
    explicit temp_dir(const std::string& name)
        : path(fs::temp_directory_path() / ("wsharness-" + name + "-" + std::to_string(::getpid())))
    {
        fs::remove_all(path);
    }
    ~temp_dir() { fs::remove_all(path); }
};

std::string node_script(const std::string& name) { return test::source_dir() + "/tests/interop/node/" + name; }

test::running_server start_tls_reference_server(const test_cert& cert)
{
    return test::start_server({test::wsharness_binary(), "serve", "--port", "0", "--tls-cert", cert.cert(),
                               "--tls-key", cert.key()});
}

std::string wss_url(const test::running_server& s, const std::string& host = "localhost")
{
    return "wss://" + host + ":" + std::to_string(s.port) + "/";
}

nlohmann::json verdicts_in(const fs::path& dir, const std::string& agent)
{
    std::ifstream file(dir / "index.json");
    if (!file) return {};
    return nlohmann::json::parse(file)[agent];
}

// Every case of `want` has the same behavior (up to Autobahn's own races) and behaviorClose.
void expect_same_verdicts(const nlohmann::json& got, const nlohmann::json& want, const std::string& what)
{
    ASSERT_GT(want.size(), 0u) << what;
    ASSERT_EQ(got.size(), want.size()) << what;
    for (auto& [id, verdict] : want.items()) {
        ASSERT_TRUE(got.contains(id)) << what << ": " << id;
        EXPECT_TRUE(test::same_up_to_race(id, got[id]["behavior"].get<std::string>(), verdict["behavior"].get<std::string>()))
            << what << ": " << id << ": got " << got[id]["behavior"] << ", expected " << verdict["behavior"];
        EXPECT_EQ(got[id]["behaviorClose"], verdict["behaviorClose"]) << what << ": " << id;
    }
}

TEST(Tls, CatalogueOverTlsGetsThePlainVerdictsOfTheReferenceServer)
{
    test_cert cert;
    auto plain = test::start_reference_server();
    auto secure = start_tls_reference_server(cert);
    ASSERT_GT(plain.port, 0);
    ASSERT_GT(secure.port, 0);
    temp_dir plain_out("tls-plain"), tls_out("tls-wss");
    test::child_process plain_run({test::wsharness_binary(), "test-server", plain.url(), "--agent", "reference",
                                   "--out", plain_out.path.string()});
    std::string plain_output;
    EXPECT_EQ(plain_run.wait(240s, &plain_output), 0) << plain_output;
    test::child_process tls_run({test::wsharness_binary(), "test-server", wss_url(secure), "--cacert", cert.cert(),
                                 "--agent", "reference", "--out", tls_out.path.string()});
    std::string tls_output;
    EXPECT_EQ(tls_run.wait(240s, &tls_output), 0) << tls_output;
    expect_same_verdicts(verdicts_in(tls_out.path, "reference"), verdicts_in(plain_out.path, "reference"), "reference over TLS");
    // SNI: the server saw the URL's host name.
    secure.process->terminate();
    std::string server_output;
    secure.process->wait(10s, &server_output);
    EXPECT_NE(server_output.find("TLS server name (SNI): localhost"), std::string::npos) << server_output;
}

// permessage-deflate over TLS: a few 12/13 cases, among them 12.1.9 (1000 messages of 64 KiB,
// which the tester compresses alone and shares between cases, and the reference peer echoes with
// the bytes they came in), get the verdicts of the same run over plain ws (all OK).
TEST(Tls, CompressionCasesOverTlsGetThePlainVerdicts)
{
    test_cert cert;
    auto plain = test::start_server({test::wsharness_binary(), "serve", "--port", "0", "--deflate"});
    auto secure = test::start_server({test::wsharness_binary(), "serve", "--port", "0", "--deflate", "--tls-cert",
                                      cert.cert(), "--tls-key", cert.key()});
    ASSERT_GT(plain.port, 0);
    ASSERT_GT(secure.port, 0);
    const std::string cases = "12.1.1,12.1.9,12.3.5,13.1.11,13.3.4,13.6.5,13.7.11";
    temp_dir plain_out("tls-deflate-plain"), tls_out("tls-deflate-wss");
    test::child_process plain_run({test::wsharness_binary(), "test-server", plain.url(), "--agent", "reference",
                                   "--cases", cases, "--out", plain_out.path.string()});
    std::string plain_output;
    EXPECT_EQ(plain_run.wait(120s, &plain_output), 0) << plain_output;
    test::child_process tls_run({test::wsharness_binary(), "test-server", wss_url(secure), "--cacert", cert.cert(),
                                 "--agent", "reference", "--cases", cases, "--out", tls_out.path.string()});
    std::string tls_output;
    EXPECT_EQ(tls_run.wait(120s, &tls_output), 0) << tls_output;
    auto got = verdicts_in(tls_out.path, "reference");
    EXPECT_EQ(got.size(), 7u) << tls_output;
    for (auto& [id, verdict] : got.items()) EXPECT_EQ(verdict["behavior"], "OK") << id << "\n" << tls_output;
    expect_same_verdicts(got, verdicts_in(plain_out.path, "reference"), "12/13 over TLS");
}

TEST(Tls, CatalogueOverTlsGetsTheStoredVerdictsOfNodeWsOverHttps)
{
    ASSERT_TRUE(fs::exists(test::source_dir() + "/tests/interop/node/node_modules/ws"))
        << "Node's ws is not installed: run scripts/install-node-deps";
    test_cert cert;
    auto server = test::start_server({"node", node_script("echo_server_tls.js"), cert.cert(), cert.key(), "0"});
    ASSERT_GT(server.port, 0);
    temp_dir out("tls-ws");
    // ws.json has no 12.x/13.x (permessage-deflate; see reports/baselines/README.md).
    test::child_process run({test::wsharness_binary(), "test-server", wss_url(server), "--cacert", cert.cert(),
                             "--agent", "ws", "--out", out.path.string(), "--exclude", "12.*,13.*"});
    std::string output;
    run.wait(240s, &output);
    std::ifstream want_file(test::source_dir() + "/reports/baselines/ws.json");
    ASSERT_TRUE(want_file);
    expect_same_verdicts(verdicts_in(out.path, "ws"), nlohmann::json::parse(want_file)["ws"], "ws over https");
    auto sni = server.process->wait_for("TLS server name (SNI): localhost", 5s);
    EXPECT_TRUE(sni.has_value());
}

// Runs `wsharness ARGS` through sh to see stderr too; returns the exit status.
int run_with_stderr(const std::string& args, std::string& output)
{
    test::child_process p({"/bin/sh", "-c", "exec \"" + test::wsharness_binary() + "\" " + args + " 2>&1"});
    return p.wait(60s, &output);
}

TEST(Tls, AnUntrustedCertificateIsAOneLineErrorWithStatusTwo)
{
    test_cert cert, other;
    auto server = start_tls_reference_server(cert);
    ASSERT_GT(server.port, 0);
    temp_dir out("tls-untrusted");
    for (const std::string& trust : {std::string(), " --cacert " + other.cert()}) {
        std::string output;
        EXPECT_EQ(run_with_stderr("test-server " + wss_url(server) + trust + " --cases 1.1.1 --out " + out.path.string(),
                                  output),
                  2)
            << output;
        EXPECT_NE(output.find("certificate not accepted: self-signed certificate"), std::string::npos) << output;
    }
    std::string output;
    EXPECT_EQ(run_with_stderr("test-server " + wss_url(server) + " --insecure --cases 1.1.1 --out " + out.path.string(),
                              output),
              0)
        << output;
}

TEST(Tls, ACertificateForAnotherNameIsAOneLineErrorWithStatusTwo)
{
    test_cert cert("other.invalid");
    auto server = start_tls_reference_server(cert);
    ASSERT_GT(server.port, 0);
    temp_dir out("tls-mismatch");
    std::string output;
    EXPECT_EQ(run_with_stderr("test-server " + wss_url(server) + " --cacert " + cert.cert() +
                                  " --cases 1.1.1 --out " + out.path.string(),
                              output),
              2)
        << output;
    EXPECT_NE(output.find("certificate not accepted: hostname mismatch"), std::string::npos) << output;
}

// test-client --tls-cert/--tls-key with the reference driver over wss://, then plain: the same
// verdicts for every client case.
nlohmann::json client_verdicts(const std::vector<std::string>& tls_args, const std::string& cacert, const fs::path& out)
{
    std::vector<std::string> argv = {test::wsharness_binary(), "test-client", "--listen", "127.0.0.1:0",
                                     "--once", "reference", "--quiet", "--out", out.string()};
    argv.insert(argv.end(), tls_args.begin(), tls_args.end());
    auto server = test::start_server(argv);
    EXPECT_GT(server.port, 0);
    std::string scheme = cacert.empty() ? "ws://127.0.0.1:" : "wss://localhost:";
    std::vector<std::string> drive = {test::wsharness_binary(), "drive", scheme + std::to_string(server.port),
                                      "--agent", "reference"};
    if (!cacert.empty()) drive.insert(drive.end(), {"--cacert", cacert});
    test::child_process driver(drive);
    std::string driver_output, server_output;
    EXPECT_EQ(driver.wait(240s, &driver_output), 0) << driver_output;
    EXPECT_EQ(server.process->wait(60s, &server_output), 0) << server_output;
    return verdicts_in(out / "reference", "reference");
}

TEST(Tls, TestClientServesWssWithThePlainVerdicts)
{
    test_cert cert;
    temp_dir plain_out("tls-client-plain"), tls_out("tls-client-wss");
    auto plain = client_verdicts({}, "", plain_out.path);
    auto secure = client_verdicts({"--tls-cert", cert.cert(), "--tls-key", cert.key()}, cert.cert(), tls_out.path);
    expect_same_verdicts(secure, plain, "test-client over TLS");
}

// `run --spec`: a fuzzingclient.json whose server has a wss:// url.
TEST(Tls, ServerSpecWithAWssUrlRunsOverTls)
{
    test_cert cert;
    auto server = start_tls_reference_server(cert);
    ASSERT_GT(server.port, 0);
    temp_dir out("tls-spec");
    fs::create_directories(out.path);
    auto spec = out.path / "fuzzingclient.json";
    std::ofstream(spec) << nlohmann::json{{"outdir", (out.path / "reports").string()},
                                          {"servers", {{{"agent", "reference"}, {"url", wss_url(server)}}}},
                                          {"cases", {"1.1.*", "7.1.*"}}};
    test::child_process run({test::wsharness_binary(), "run", "--spec", spec.string(), "--cacert", cert.cert()});
    std::string output;
    EXPECT_EQ(run.wait(60s, &output), 0) << output;
    EXPECT_EQ(verdicts_in(out.path / "reports", "reference").size(), 14u) << output;
}

// `run --spec`: a fuzzingserver.json with a wss:// url, "cert" and "key" serves TLS to clients.
TEST(Tls, ClientSpecWithAWssUrlServesTls)
{
    test_cert cert;
    temp_dir out("tls-client-spec");
    fs::create_directories(out.path);
    auto spec = out.path / "fuzzingserver.json";
    std::ofstream(spec) << nlohmann::json{{"url", "wss://127.0.0.1:0"}, {"outdir", (out.path / "reports").string()},
                                          {"cert", cert.cert()}, {"key", cert.key()}, {"cases", {"1.1.*"}}};
    auto server = test::start_server({test::wsharness_binary(), "run", "--spec", spec.string()});
    ASSERT_GT(server.port, 0);
    test::child_process driver({test::wsharness_binary(), "drive", "wss://localhost:" + std::to_string(server.port),
                                "--cacert", cert.cert(), "--agent", "reference"});
    std::string output;
    EXPECT_EQ(driver.wait(60s, &output), 0) << output;
    EXPECT_EQ(verdicts_in(out.path / "reports" / "reference", "reference").size(), 8u);
}

// `fuzz` over TLS: a planted crash is found (the target stops accepting) and saved.
TEST(Tls, FuzzOverTlsFindsAPlantedCrash)
{
    test_cert cert;
    temp_dir out("tls-fuzz");
    int port = 0;
    {
        auto probe = start_tls_reference_server(cert);  // a free port, then released
        port = probe.port;
    }
    ASSERT_GT(port, 0);
    auto serve = test::wsharness_binary() + " serve --port " + std::to_string(port) + " --tls-cert " + cert.cert() +
                 " --tls-key " + cert.key() + " --fault crash-on-rsv2 >/dev/null 2>&1";
    test::child_process fuzz({test::wsharness_binary(), "fuzz", "wss://localhost:" + std::to_string(port) + "/",
                              "--cacert", cert.cert(), "--exec", serve, "--seed", "1", "--time", "60",
                              "--stop-at-first", "--out", out.path.string()});
    std::string output;
    EXPECT_EQ(fuzz.wait(90s, &output), 1) << output;
    EXPECT_NE(output.find("the target stopped accepting connections"), std::string::npos) << output;
}

}  // namespace
}  // namespace wsh
