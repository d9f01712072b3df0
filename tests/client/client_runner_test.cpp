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
        bool ok = (v.first == "OK" && v.second == "OK") || (v.first == "INFORMATIONAL" && v.second == "INFORMATIONAL");
        EXPECT_TRUE(ok) << id << ": " << v.first << " / " << v.second;
    }
}

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
