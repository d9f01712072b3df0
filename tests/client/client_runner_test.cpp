// SPDX-License-Identifier: MIT
// `wsharness test-client`: the URL protocol (autobahn.md §3.3), its errors, and the whole
// client-mode catalogue against the reference driver (`wsharness drive`), every case OK.
#include "suite/client_runner.hpp"

#include "cases/catalogue.hpp"
#include "suite/filter.hpp"

#include "client_session.hpp"

namespace wsh {
namespace {

using namespace std::chrono_literals;

TEST(ProtocolTarget, SplitsThePathAndDecodesTheQuery)
{
    auto r = suite::parse_target("/runCase?case=12&agent=my%20client+1");
    EXPECT_EQ(r.path, "/runCase");
    EXPECT_EQ(r.params.at("case"), "12");
    EXPECT_EQ(r.params.at("agent"), "my client 1");
    EXPECT_TRUE(r.error.empty());
}

TEST(ProtocolTarget, RefusesARepeatedParameterAsAutobahnDoes)
{
    EXPECT_FALSE(suite::parse_target("/runCase?case=1&agent=a&agent=b").error.empty());
}

TEST(ProtocolTarget, RefusesABrokenPercentEscape)
{
    EXPECT_FALSE(suite::parse_target("/updateReports?agent=a%2").error.empty());
    EXPECT_FALSE(suite::parse_target("/updateReports?agent=a%zz").error.empty());
}

TEST(ProtocolOrder, NumbersCasesByIdTupleNotByText)
{
    auto all = suite::select_cases(cases::catalogue(), {"1.1.1", "10.1.1", "9.1.1", "1.2.1"}, {},
                                   suite::roles::client);
    auto ordered = suite::in_autobahn_order(all);
    ASSERT_EQ(ordered.size(), 4u);
    EXPECT_EQ(ordered[0]->id, "1.1.1");
    EXPECT_EQ(ordered[1]->id, "1.2.1");
    EXPECT_EQ(ordered[2]->id, "9.1.1");
    EXPECT_EQ(ordered[3]->id, "10.1.1");
}

TEST(ProtocolInfo, IsAutobahnsIdAndDescriptionObject)
{
    auto all = suite::select_cases(cases::catalogue(), {"1.1.1"}, {}, suite::roles::client);
    ASSERT_EQ(all.size(), 1u);
    auto j = nlohmann::json::parse(suite::case_info_json(*all.front()));
    EXPECT_EQ(j["id"], "1.1.1");
    EXPECT_FALSE(j["description"].get<std::string>().empty());
}

using test::request_over_tcp;
using test::upgrade;

std::string status_line(const std::string& response) { return response.substr(0, response.find("\r\n")); }

class UrlProtocol : public testing::Test {
protected:
    void SetUp() override
    {
        server_ = test::start_test_client({"--cases", "1.1.*,7.1.6", "--close-timeout", "0.2", "--out", out_.path.string()});
        ASSERT_GT(server_.port, 0);
    }
    test::scratch_dir out_{"url-protocol"};
    test::running_server server_;
};

TEST_F(UrlProtocol, GetCaseCountSendsTheNumberOfSelectedCasesThenCloses)
{
    auto got = request_over_tcp(server_.port, upgrade("/getCaseCount"));
    EXPECT_EQ(status_line(got), "HTTP/1.1 101 Switching Protocols");
    EXPECT_NE(got.find("\x81\x01" "9"), std::string::npos) << "one text frame '9'";
    EXPECT_NE(got.find("\x88\x02\x03\xe8"), std::string::npos) << "then Close 1000";
}

TEST_F(UrlProtocol, GetCaseInfoNamesTheNthCaseAndAcceptsACaseTuple)
{
    EXPECT_NE(request_over_tcp(server_.port, upgrade("/getCaseInfo?case=9")).find("{\"id\": \"7.1.6\""), std::string::npos);
    EXPECT_NE(request_over_tcp(server_.port, upgrade("/getCaseInfo?casetuple=1.1.2")).find("{\"id\": \"1.1.2\""),
              std::string::npos);
}

TEST_F(UrlProtocol, RefusesBadRequestsWithAnHttpErrorAndKeepsServing)
{
    EXPECT_EQ(status_line(request_over_tcp(server_.port, upgrade("/nope"))), "HTTP/1.1 404 Not Found");
    EXPECT_EQ(status_line(request_over_tcp(server_.port, upgrade("/runCase?case=10&agent=a"))), "HTTP/1.1 404 Not Found");
    EXPECT_EQ(status_line(request_over_tcp(server_.port, upgrade("/runCase?case=0&agent=a"))), "HTTP/1.1 404 Not Found");
    EXPECT_EQ(status_line(request_over_tcp(server_.port, upgrade("/runCase?casetuple=2.1&agent=a"))), "HTTP/1.1 404 Not Found");
    EXPECT_EQ(status_line(request_over_tcp(server_.port, upgrade("/runCase?case=1"))), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(status_line(request_over_tcp(server_.port, upgrade("/updateReports?agent=a&agent=b"))), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(status_line(request_over_tcp(server_.port, "GET /getCaseCount HTTP/1.1\r\nHost: x\r\n\r\n")),
              "HTTP/1.1 426 Upgrade Required");
    EXPECT_EQ(status_line(request_over_tcp(server_.port, "garbage\r\n\r\n")), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(status_line(request_over_tcp(server_.port, upgrade("/getCaseCount"))), "HTTP/1.1 101 Switching Protocols");
}

TEST_F(UrlProtocol, ServesTheBrowserDriverPageOnAPlainGet)
{
    auto got = request_over_tcp(server_.port, "GET /driver?agent=x HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_line(got), "HTTP/1.1 200 OK");
    EXPECT_NE(got.find("new WebSocket("), std::string::npos);
}

TEST_F(UrlProtocol, GetCaseStatusAnswersOnceTheCaseHasRun)
{
    test::child_process driver({test::wsharness_binary(), "drive", test::base_url(server_), "--agent", "a"});
    EXPECT_EQ(driver.wait(60s), 0);
    EXPECT_NE(request_over_tcp(server_.port, upgrade("/getCaseStatus?case=1&agent=a")).find("{\"behavior\": \"OK\"}"),
              std::string::npos);
    EXPECT_EQ(test::read_verdicts(out_.path / "a" / "index.json").size(), 9u);
}

// The whole client-mode catalogue against the correct reference driver: every case passes,
// and --once ends the session with status 0.
TEST(ReferenceDriver, PassesEveryCaseOfTheClientCatalogue)
{
    test::scratch_dir out("reference-driver");
    auto server = test::start_test_client({"--once", "reference", "--out", out.path.string()});
    ASSERT_GT(server.port, 0);
    test::child_process driver({test::wsharness_binary(), "drive", test::base_url(server), "--agent", "reference"});
    std::string output;
    EXPECT_EQ(server.process->wait(120s, &output), 0) << output;
    EXPECT_EQ(driver.wait(10s), 0);
    auto got = test::read_verdicts(out.path / "reference" / "index.json");
    EXPECT_EQ(got.size(), suite::select_cases(cases::catalogue(), {}, {}, suite::roles::client).size());
    for (const auto& [id, v] : got) {
        // Without --deflate the driver declines permessage-deflate: 12.x, 13.x and 25.x are
        // UNIMPLEMENTED (25.1.3, RSV1 without the extension, must still pass).
        const bool compression = (id.starts_with("12.") || id.starts_with("13.") || id.starts_with("25.")) && id != "25.1.3";
        bool ok = (v.first == "OK" && v.second == "OK") || (v.first == "INFORMATIONAL" && v.second == "INFORMATIONAL") ||
                  (compression && v.first == "UNIMPLEMENTED" && v.second == "OK");
        EXPECT_TRUE(ok) << id << ": " << v.first << " / " << v.second;
    }
}

// permessage-deflate in client mode: the driver with --deflate passes a case of every 12/13
// sub-category and category 25, and each deflate fault of the driver fails the case that
// catches it (the map's '-' rows for deflate faults point here: the drive-fault test runs the
// driver without --deflate).
const char* const compression_sample = "12.1.1,12.2.1,12.3.1,12.4.1,12.5.1,12.1.11,13.1.1,13.2.1,13.3.1,13.4.1,13.5.1,"
                                       "13.6.1,13.7.1,13.3.11,25.*";

TEST(ReferenceDriver, WithDeflatePassesTheCompressionCases)
{
    test::scratch_dir out("reference-driver-deflate");
    auto server = test::start_test_client({"--cases", compression_sample, "--once", "reference", "--out", out.path.string()});
    ASSERT_GT(server.port, 0);
    test::child_process driver({test::wsharness_binary(), "drive", test::base_url(server), "--agent", "reference", "--deflate"});
    std::string output;
    EXPECT_EQ(server.process->wait(120s, &output), 0) << output;
    EXPECT_EQ(driver.wait(10s), 0);
    auto got = test::read_verdicts(out.path / "reference" / "index.json");
    EXPECT_EQ(got.size(), 20u);  // 14 of 12/13 and 6 of 25 (25.4.2 tests servers only)
    for (const auto& [id, v] : got) EXPECT_TRUE(v.first == "OK" && v.second == "OK") << id << ": " << v.first << " / " << v.second;
}

struct deflate_drive_fault {
    const char* fault;
    const char* catching_case;
};

class DeflateDriveFault : public testing::TestWithParam<deflate_drive_fault> {};

TEST_P(DeflateDriveFault, FailsTheCaseThatCatchesIt)
{
    test::scratch_dir out(std::string("drive-") + GetParam().fault);
    auto server = test::start_test_client({"--cases", GetParam().catching_case, "--once", "faulty", "--out", out.path.string()});
    ASSERT_GT(server.port, 0);
    test::child_process driver({test::wsharness_binary(), "drive", test::base_url(server), "--agent", "faulty", "--deflate",
                                "--fault", GetParam().fault});
    std::string output;
    EXPECT_EQ(server.process->wait(60s, &output), 1) << output;
}

INSTANTIATE_TEST_SUITE_P(
    AllDeflateFaults, DeflateDriveFault,
    testing::Values(deflate_drive_fault{"deflate-ignore-context-takeover", "13.2.2"},
                    deflate_drive_fault{"deflate-ignore-window-bits", "13.3.2"},
                    deflate_drive_fault{"deflate-rsv1-on-continuation", "12.1.1"},
                    deflate_drive_fault{"deflate-accept-rsv1-on-continuation", "25.1.1"},
                    deflate_drive_fault{"deflate-accept-rsv1-on-control", "25.1.2"},
                    deflate_drive_fault{"deflate-no-size-limit", "25.2.1"},
                    deflate_drive_fault{"deflate-no-utf8-after-inflate", "25.3.1"},
                    deflate_drive_fault{"deflate-echo-as-received", "13.3.3"}),
    [](const testing::TestParamInfo<deflate_drive_fault>& info) {
        std::string name;
        for (const char* c = info.param.fault; *c; ++c) name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
        return name;
    });

TEST(ReferenceDriver, OnceExitsWithOneWhenACaseFails)
{
    test::scratch_dir out("once-fails");
    auto server = test::start_test_client({"--cases", "2.1", "--once", "faulty", "--out", out.path.string()});
    ASSERT_GT(server.port, 0);
    test::child_process driver({test::wsharness_binary(), "drive", test::base_url(server), "--agent", "faulty",
                                "--fault", "no-pong"});
    std::string output;
    EXPECT_EQ(server.process->wait(60s, &output), 1) << output;
}

}  // namespace
}  // namespace wsh
