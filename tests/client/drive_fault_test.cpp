// SPDX-License-Identifier: MIT
// Each fault of the reference driver fails exactly the client-mode cases that
// tests/client/drive_fault_map.tsv lists, and no other verdict moves. All drivers (the correct
// one and one per fault, each its own agent) run at once against one test-client session, which
// also checks that results are kept per agent.
#include "peer/faults.hpp"
#include "suite/case.hpp"
#include "suite/filter.hpp"

#include "client_session.hpp"

#include <sstream>

namespace wsh {
namespace {

using namespace std::chrono_literals;

struct fault_row {
    std::string fault;
    std::vector<std::string> patterns;  // {"-"}: a written-down gap
};

std::vector<fault_row> read_fault_map()
{
    std::ifstream in(test::source_dir() + "/tests/client/drive_fault_map.tsv");
    std::vector<fault_row> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#') continue;
        auto tab = line.find('\t');
        rows.push_back({line.substr(0, tab), tab == std::string::npos
                                                 ? std::vector<std::string>{}
                                                 : suite::split_patterns(line.substr(tab + 1))});
    }
    return rows;
}

bool is_meant(const fault_row& row, const std::string& id)
{
    return std::any_of(row.patterns.begin(), row.patterns.end(),
                       [&](const std::string& p) { return suite::matches(p, id); });
}

TEST(DriveFaultMap, NamesEveryFaultOfTheDriver)
{
    auto rows = read_fault_map();
    for (const auto& f : peer::all_faults()) {
        if (f.scope == peer::fault_scope::serve) continue;
        bool listed = std::any_of(rows.begin(), rows.end(), [&](const fault_row& r) {
            return r.fault == f.name && !r.patterns.empty();
        });
        EXPECT_TRUE(listed) << f.name << " is missing from drive_fault_map.tsv";
    }
}

// A "crash" row: the driver process dies part-way, so its run is incomplete (test-client --once
// counts the cases never run as failures). Every case it finished before the one it died in
// keeps its verdict.
void check_crash(const fault_row& row, test::verdicts got, const test::verdicts& baseline, int status)
{
    EXPECT_NE(status, 0) << row.fault << ": the driver was meant to die";
    EXPECT_LT(got.size(), baseline.size()) << row.fault << ": the driver ran every case";
    if (got.empty()) return;
    auto last = std::max_element(got.begin(), got.end(), [](const auto& a, const auto& b) {
        return suite::id_less(a.first, b.first);
    });
    got.erase(last);
    for (const auto& [id, v] : got) EXPECT_EQ(v, baseline.at(id)) << "changed: " << row.fault << " " << id;
}

void check_fault(const fault_row& row, const test::verdicts& got, const test::verdicts& baseline)
{
    ASSERT_EQ(got.size(), baseline.size()) << row.fault << ": the driver did not run every case";
    std::size_t caught = 0;
    for (const auto& [id, v] : got) {
        std::string shown = row.fault + " " + id + ": " + v.first + " / " + v.second;
        if (is_meant(row, id)) {
            caught += test::is_failing(v) ? 1 : 0;
            EXPECT_TRUE(test::is_failing(v)) << "not caught: " << shown;
        } else {
            EXPECT_EQ(v, baseline.at(id)) << "changed: " << shown;
        }
    }
    EXPECT_GT(caught, 0u) << row.fault;
    EXPECT_EQ(got.size(), baseline.size());
}

TEST(DriveFaults, EachFailsExactlyTheCasesMeantToCatchIt)
{
    test::scratch_dir out("drive-faults");
    // A short close wait keeps no-close-reply (one wait per case) within a minute; a correct
    // driver answers a Close on loopback in well under a millisecond.
    auto server = test::start_test_client({"--close-timeout", "0.3", "--quiet", "--out", out.path.string()});
    ASSERT_GT(server.port, 0);
    auto rows = read_fault_map();
    std::vector<std::unique_ptr<test::child_process>> drivers;
    drivers.push_back(std::make_unique<test::child_process>(std::vector<std::string>{
        test::wsharness_binary(), "drive", test::base_url(server), "--agent", "reference"}));
    for (const auto& row : rows)
        drivers.push_back(std::make_unique<test::child_process>(std::vector<std::string>{
            test::wsharness_binary(), "drive", test::base_url(server), "--agent", row.fault, "--fault", row.fault}));
    std::vector<int> status;
    for (auto& d : drivers) status.push_back(d->wait(540s));
    EXPECT_EQ(status.front(), 0) << "the correct driver";
    // A driver that crashed never asked for its reports: ask on its behalf.
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (status[i + 1] != 0)
            test::request_over_tcp(server.port, test::upgrade("/updateReports?agent=" + rows[i].fault));
    auto baseline = test::read_verdicts(out.path / "reference" / "index.json");
    ASSERT_FALSE(baseline.empty());
    for (const auto& [id, v] : baseline) EXPECT_FALSE(test::is_failing(v)) << "reference " << id;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        auto got = test::read_verdicts(out.path / test::agent_dir(row.fault) / "index.json");
        if (row.patterns == std::vector<std::string>{"-"}) {
            EXPECT_EQ(status[i + 1], 0) << row.fault;
            EXPECT_EQ(got, baseline) << row.fault << " is a written-down gap but changed verdicts";
            continue;
        }
        if (row.patterns == std::vector<std::string>{"crash"})
            check_crash(row, got, baseline, status[i + 1]);
        else
            check_fault(row, got, baseline);
    }
}

}  // namespace
}  // namespace wsh
