// SPDX-License-Identifier: MIT
// permessage-deflate against the reference server (`wsharness serve --deflate`): categories 12,
// 13 and 25 pass, and every deflate fault fails exactly the cases tests/peer/fault_map.tsv
// lists for it. The other categories are covered by fault_test.cpp (without --deflate); the
// 144 large cases of 12/13 (10.7 GB each way) run in scripts/run, not here.
// Faults are judged on category 25 plus their listed cases only: a listed 12.x/13.x case
// fails at its first echo, while running every 12.x/13.x case to the end for each fault would
// cost a minute per fault.
#include "cases/catalogue.hpp"
#include "peer/faults.hpp"
#include "report/console.hpp"
#include "suite/filter.hpp"
#include "suite/runner.hpp"

#include "../support/reference_server.hpp"

#include <boost/asio.hpp>

#include <chrono>
#include <fstream>
#include <map>

namespace wsh {
namespace {

using verdict_map = std::map<std::string, std::pair<suite::behavior, suite::close_behavior>>;

struct fault_row {
    std::string fault;
    std::vector<std::string> patterns;
};

void PrintTo(const fault_row& row, std::ostream* os) { *os << row.fault; }

std::vector<fault_row> deflate_fault_rows()
{
    std::ifstream in(test::source_dir() + "/tests/peer/fault_map.tsv");
    std::vector<fault_row> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#' || !line.starts_with("deflate-")) continue;
        auto tab = line.find('\t');
        rows.push_back({line.substr(0, tab), suite::split_patterns(line.substr(tab + 1))});
    }
    return rows;
}

test::running_server start_deflate_server(const std::string& fault = "none", bool recompress = false)
{
    std::vector<std::string> args{test::wsharness_binary(), "serve", "--port", "0", "--deflate", "--fault", fault};
    if (recompress) args.push_back("--deflate-recompress");
    return test::start_server(args);
}

std::vector<suite::case_result> run_cases(const test::running_server& server, const std::vector<std::string>& patterns,
                                          std::uint64_t max_message = suite::session_options{}.max_message)
{
    std::string error;
    suite::server_run_options o;
    o.url = *transport::parse_ws_url(server.url(), error);
    o.jobs = 16;  // 1000 strict round trips per case: latency, not CPU, bounds a case
    o.session.max_message = max_message;
    auto cases = suite::select_cases(cases::catalogue(), patterns, {}, suite::roles::server);
    return suite::run_against_server(cases, o);
}

std::string show(const suite::case_result& r)
{
    return r.test->id + ": " + std::string(suite::to_string(r.v.behavior)) + " / " +
           std::string(suite::to_string(r.v.close)) + " (" + r.v.result + "; " + r.v.result_close + ")";
}

const verdict_map& correct_category_25()
{
    static const verdict_map verdicts = [] {
        auto server = start_deflate_server();
        verdict_map m;
        for (const auto& r : run_cases(server, {"25.*"})) m[r.test->id] = {r.v.behavior, r.v.close};
        return m;
    }();
    return verdicts;
}

// Every sub-category of 12 and 13 with messages up to 4096 bytes, and 8192 bytes in frames of
// 256 (k = 1-5 and 11): 72 cases, 13.6 MB each way per sub-category. The other 144 move 10.7 GB
// and run in scripts/run (the main job), not here.
std::vector<std::string> small_compression_cases()
{
    std::vector<std::string> ids;
    for (int category : {12, 13})
        for (int j = 1; j <= (category == 12 ? 5 : 7); ++j)
            for (int k : {1, 2, 3, 4, 5, 11}) ids.push_back(std::to_string(category) + "." + std::to_string(j) + "." + std::to_string(k));
    return ids;
}

TEST(DeflateReferenceServer, PassesEveryCompressionCase)
{
    auto server = start_deflate_server();
    const auto start = std::chrono::steady_clock::now();
    auto patterns = small_compression_cases();
    patterns.push_back("25.*");
    auto results = run_cases(server, patterns);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(results.size(), 72u + correct_category_25().size());
    for (const auto& r : results) {
        EXPECT_FALSE(report::is_failure(r, false)) << show(r);
        EXPECT_NE(r.v.behavior, suite::behavior::unimplemented) << show(r);
        // The server echoes our compressed bytes (it asks for our parameters), so every echo is
        // known without inflating it; deflate-echo-as-received shows the check is not blind.
        if (!r.test->id.starts_with("25.")) {
            EXPECT_EQ(r.obs.echo_verbatim, 1000u) << show(r);
        }
    }
    std::printf("72 cases of 12/13 and category 25 against serve --deflate: %.1f s\n", took.count());
}

// Messages of two chunks and more are assembled from the payload's compressed chunks
// (suite/compressed_chunks.hpp): 12.1.9 and 12.1.14 with a 15-bit window and no context
// takeover, 13.3.9 and 13.5.9 with a 9-bit window, with and without context takeover (the first
// piece of each message refers back into the one before). The server echoes our bytes.
TEST(DeflateReferenceServer, LargeMessagesAssembledFromCompressedChunksPass)
{
    auto server = start_deflate_server();
    auto results = run_cases(server, {"12.1.9", "12.1.14", "13.3.9", "13.5.9"});
    ASSERT_EQ(results.size(), 4u);
    for (const auto& r : results) EXPECT_EQ(r.v.behavior, suite::behavior::ok) << show(r);
}

// RFC 7692 §8.1: a compressed message that inflates past the tester's limit is a finding of its
// own, inflated_message_too_big, raised by the session (the codec's too_big), and the case fails.
// 12.1.10 echoes messages of 128 KiB; the limit here is 64 KiB. The echo is our own compressed
// bytes, so this also shows they are inflated (and stopped) when the message is over the limit.
TEST(DeflateReferenceServer, AnEchoInflatingPastTheLimitIsInflatedMessageTooBig)
{
    auto server = start_deflate_server();
    const auto results = run_cases(server, {"12.1.10"}, 64u << 10);
    ASSERT_EQ(results.size(), 1u);
    const auto& r = results.front();
    EXPECT_EQ(r.v.behavior, suite::behavior::failed) << show(r);
    ASSERT_FALSE(r.obs.findings.empty()) << show(r);
    EXPECT_EQ(r.obs.findings.front().rule, codec::violation::inflated_message_too_big) << show(r);
    EXPECT_EQ(r.obs.echo_done, 0u);
}

// --deflate-recompress: every echo compressed by the server itself, in each parameter set.
TEST(DeflateReferenceServer, RecompressingEveryEchoAlsoPasses)
{
    auto server = start_deflate_server("none", true);
    std::vector<std::string> patterns;
    for (int j = 1; j <= 5; ++j) patterns.push_back("12." + std::to_string(j) + ".5");
    for (int j = 1; j <= 7; ++j) patterns.push_back("13." + std::to_string(j) + ".5");
    for (const auto& r : run_cases(server, patterns)) EXPECT_EQ(r.v.behavior, suite::behavior::ok) << show(r);
}

// The reference server's answer to one offer: the Sec-WebSocket-Extensions header of its 101.
std::string answer_to(const test::running_server& server, const std::string& offer)
{
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server.port)});
    const std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                                "Sec-WebSocket-Extensions: " + offer + "\r\n\r\n";
    asio::write(socket, asio::buffer(request));
    std::string head;
    asio::read_until(socket, asio::dynamic_buffer(head), "\r\n\r\n");
    const std::string name = "Sec-WebSocket-Extensions: ";
    const auto at = head.find(name);
    if (at == std::string::npos) return {};
    return head.substr(at + name.size(), head.find("\r\n", at) - at - name.size());
}

// What the client asks of the server it is asked in return, where its offer allows it
// (RFC 7692 §7.1.1.2, §7.1.2.2), so both directions share one history and the echo can be
// the client's own compressed bytes.
TEST(DeflateReferenceServer, AsksOfTheClientWhatTheClientAsksOfIt)
{
    auto server = start_deflate_server();
    EXPECT_EQ(answer_to(server, "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                                "server_max_window_bits=10; client_max_window_bits"),
              "permessage-deflate; client_no_context_takeover; client_max_window_bits=10; "
              "server_no_context_takeover; server_max_window_bits=10");
    // An offer that does not allow it is accepted as asked (and the echoes compressed anew).
    EXPECT_EQ(answer_to(server, "permessage-deflate; server_max_window_bits=9"),
              "permessage-deflate; server_max_window_bits=9");
    EXPECT_EQ(answer_to(server, "permessage-deflate"), "permessage-deflate");
}

TEST(DeflateReferenceServer, WithoutDeflateEveryCompressionCaseIsUnimplemented)
{
    auto server = test::start_reference_server();
    for (const auto& r : run_cases(server, {"12.*", "13.*", "25.1.1", "25.1.2", "25.2.*", "25.3.*", "25.4.*"})) {
        EXPECT_EQ(r.v.behavior, suite::behavior::unimplemented) << show(r);
        EXPECT_EQ(r.v.close, suite::close_behavior::ok) << show(r);
    }
}

class DeflateFaultyServer : public testing::TestWithParam<fault_row> {};

TEST_P(DeflateFaultyServer, FailsExactlyTheCasesMeantToCatchIt)
{
    const auto& row = GetParam();
    ASSERT_TRUE(peer::find_fault(row.fault).has_value()) << "unknown fault " << row.fault;
    const auto& baseline = correct_category_25();
    auto server = start_deflate_server(row.fault);
    auto patterns = row.patterns;
    patterns.push_back("25.*");
    std::size_t caught = 0;
    const auto results = run_cases(server, patterns);
    for (const auto& r : results) {
        bool meant = std::any_of(row.patterns.begin(), row.patterns.end(),
                                 [&](const std::string& p) { return suite::matches(p, r.test->id); });
        if (meant) {
            caught += report::is_failure(r, true) ? 1 : 0;
            EXPECT_TRUE(report::is_failure(r, true)) << "not caught: " << show(r);
        } else {
            EXPECT_EQ(baseline.at(r.test->id), std::make_pair(r.v.behavior, r.v.close)) << "changed: " << show(r);
        }
    }
    EXPECT_GT(caught, 0u);
    // A window wider than agreed is data the tester's inflater cannot inflate: the finding is
    // named invalid_deflate_data (raised by the session, not the codec).
    if (row.fault == "deflate-ignore-window-bits") {
        EXPECT_TRUE(std::any_of(results.begin(), results.end(), [](const suite::case_result& r) {
            return std::any_of(r.obs.findings.begin(), r.obs.findings.end(), [](const suite::finding& f) {
                return f.rule == codec::violation::invalid_deflate_data;
            });
        })) << "no case found invalid_deflate_data";
    }
}

INSTANTIATE_TEST_SUITE_P(AllFaults, DeflateFaultyServer, testing::ValuesIn(deflate_fault_rows()),
                         [](const testing::TestParamInfo<fault_row>& info) {
                             std::string name;
                             for (char c : info.param.fault) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                             return name;
                         });

}  // namespace
}  // namespace wsh
