// SPDX-License-Identifier: MIT
// Every case passes against the correct reference server, and every fault of the reference
// server fails exactly the cases tests/peer/fault_map.tsv says it must (no other verdict moves).
#include "cases/catalogue.hpp"
#include "peer/faults.hpp"
#include "report/console.hpp"
#include "suite/filter.hpp"
#include "suite/runner.hpp"

#include "../support/reference_server.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace wsh {
namespace {

using verdict_map = std::map<std::string, std::pair<suite::behavior, suite::close_behavior>>;

struct fault_row {
    std::string fault;
    std::vector<std::string> patterns;
};

void PrintTo(const fault_row& row, std::ostream* os) { *os << row.fault; }

std::vector<fault_row> read_fault_map()
{
    std::ifstream in(test::source_dir() + "/tests/peer/fault_map.tsv");
    std::vector<fault_row> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#') continue;
        auto tab = line.find('\t');
        rows.push_back({line.substr(0, tab),
                        tab == std::string::npos ? std::vector<std::string>{}
                                                 : suite::split_patterns(line.substr(tab + 1))});
    }
    return rows;
}

std::vector<suite::case_result> run_catalogue(const test::running_server& server)
{
    std::string error;
    suite::server_run_options o;
    o.url = *transport::parse_ws_url(server.url(), error);
    auto cases = suite::select_cases(cases::catalogue(), {}, {}, suite::roles::server);
    return suite::run_against_server(cases, o);
}

verdict_map verdicts_of(const std::vector<suite::case_result>& results)
{
    verdict_map m;
    for (const auto& r : results) m[r.test->id] = {r.v.behavior, r.v.close};
    return m;
}

std::string show(const suite::case_result& r)
{
    return r.test->id + ": " + std::string(suite::to_string(r.v.behavior)) + " / " +
           std::string(suite::to_string(r.v.close)) + " (" + r.v.result + "; " + r.v.result_close + ")";
}

const verdict_map& correct_server_verdicts()
{
    static const verdict_map verdicts = [] {
        auto server = test::start_reference_server();
        return verdicts_of(run_catalogue(server));
    }();
    return verdicts;
}

TEST(ReferenceServer, PassesEveryCaseOfTheCatalogue)
{
    auto server = test::start_reference_server();
    auto results = run_catalogue(server);
    ASSERT_EQ(results.size(), suite::select_cases(cases::catalogue(), {}, {}, suite::roles::server).size());
    for (const auto& r : results) EXPECT_FALSE(report::is_failure(r, false)) << show(r);
}

TEST(ReferenceServer, GetsTheSameVerdictsRunAfterRun)
{
    auto server = test::start_reference_server();
    auto first = verdicts_of(run_catalogue(server));
    auto second = verdicts_of(run_catalogue(server));
    EXPECT_EQ(first, second);
}

TEST(FaultMap, NamesEveryFaultOfTheServer)
{
    auto rows = read_fault_map();
    for (const auto& f : peer::all_faults()) {
        if (f.scope == peer::fault_scope::drive) continue;
        bool listed = std::any_of(rows.begin(), rows.end(), [&](const fault_row& r) {
            return r.fault == f.name && !r.patterns.empty();
        });
        // A fault nothing catches yet is listed with '-': a known, written-down gap.
        EXPECT_TRUE(listed) << f.name << " has no cases that catch it in fault_map.tsv";
    }
}

// `serve --list-faults` and `drive --list-faults`: every fault of their scope on one line, its
// name first, then its summary; nothing else.
TEST(FaultList, ServeAndDriveListEveryFaultOfTheirScopeOnOneLineEach)
{
    for (auto scope : {peer::fault_scope::serve, peer::fault_scope::drive}) {
        const std::string command = scope == peer::fault_scope::serve ? "serve" : "drive";
        test::child_process run({test::wsharness_binary(), command, "--list-faults"});
        std::string output;
        ASSERT_EQ(run.wait(std::chrono::seconds(30), &output), 0) << output;
        std::vector<std::string> lines;
        std::istringstream in(output);
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        ASSERT_FALSE(lines.empty()) << command;
        std::size_t expected = 0;
        for (const auto& f : peer::all_faults()) {
            if (f.scope != peer::fault_scope::both && f.scope != scope) continue;
            const auto& line = lines.at(std::min(expected, lines.size() - 1));
            EXPECT_EQ(line.rfind(std::string(f.name) + " ", 0), 0u) << command << ": " << line;
            EXPECT_TRUE(line.ends_with(" " + std::string(f.summary))) << command << ": " << line;
            ++expected;
        }
        EXPECT_EQ(lines.size(), expected) << command << ":\n" << output;
    }
}

class FaultyServer : public testing::TestWithParam<fault_row> {};

TEST_P(FaultyServer, FailsExactlyTheCasesMeantToCatchIt)
{
    const auto& row = GetParam();
    ASSERT_TRUE(peer::find_fault(row.fault).has_value()) << "unknown fault " << row.fault;
    const auto& baseline = correct_server_verdicts();
    auto server = test::start_reference_server(row.fault);
    auto results = run_catalogue(server);
    std::size_t caught = 0;
    for (const auto& r : results) {
        bool meant = std::any_of(row.patterns.begin(), row.patterns.end(),
                                 [&](const std::string& p) { return suite::matches(p, r.test->id); });
        if (meant) {
            caught += report::is_failure(r, true) ? 1 : 0;
            EXPECT_TRUE(report::is_failure(r, true)) << "not caught: " << show(r);
        } else {
            auto want = baseline.at(r.test->id);
            EXPECT_EQ(want, std::make_pair(r.v.behavior, r.v.close)) << "changed: " << show(r);
        }
    }
    EXPECT_GT(caught, 0u);
}

std::vector<fault_row> caught_faults()
{
    auto rows = read_fault_map();
    std::erase_if(rows, [](const fault_row& r) { return r.patterns == std::vector<std::string>{"-"}; });
    // The deflate faults need `serve --deflate`: deflate_test.cpp runs them.
    std::erase_if(rows, [](const fault_row& r) { return r.fault.starts_with("deflate-"); });
    return rows;
}

INSTANTIATE_TEST_SUITE_P(AllFaults, FaultyServer, testing::ValuesIn(caught_faults()),
                         [](const testing::TestParamInfo<fault_row>& info) {
                             std::string name;
                             for (char c : info.param.fault) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                             return name;
                         });

}  // namespace
}  // namespace wsh
