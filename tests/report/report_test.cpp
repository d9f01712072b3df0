// SPDX-License-Identifier: MIT
// The report writers against fixed, synthetic results: golden files for index.json, a
// per-case JSON and junit.xml (timing fields left out of the comparison), junit.xml validated
// against reports/schema/junit.xsd with xmllint, and the baseline comparison.
#include "fixtures.hpp"

#include "report/autobahn_json.hpp"
#include "report/baseline.hpp"
#include "report/html.hpp"
#include "report/junit.hpp"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>

namespace wsh {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path& file)
{
    std::ifstream in(file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path golden(const std::string& name) { return fs::path(WSH_SOURCE_DIR) / "tests/report/golden" / name; }

fs::path fresh_dir(const std::string& name)
{
    auto dir = fs::temp_directory_path() / ("wsharness-report-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// Compares with the golden file; WSH_UPDATE_GOLDEN=1 rewrites it instead.
void expect_golden(const std::string& got, const std::string& name)
{
    if (std::getenv("WSH_UPDATE_GOLDEN")) std::ofstream(golden(name)) << got;
    EXPECT_EQ(got, read_text(golden(name))) << "golden file " << name << " differs; WSH_UPDATE_GOLDEN=1 rewrites it";
}

json without_timing(json j)
{
    if (j.is_object()) {
        j.erase("duration");
        j.erase("started");
        for (auto& [key, value] : j.items()) value = without_timing(value);
    }
    return j;
}

std::string without_time_attributes(const std::string& xml)
{
    return std::regex_replace(xml, std::regex(R"( time="[0-9.]+")"), "");
}

report::record_list write_run(const fs::path& dir)
{
    auto run = test::make_synthetic_run();
    report::record_list records;
    for (std::size_t i = 0; i < run.results.size(); ++i) {
        report::write_case_json(dir, "Test Agent 1.0", run.results[i], i + 1, true);
        records.push_back(report::case_record("Test Agent 1.0", run.results[i], i + 1, true));
    }
    report::write_index_json(dir, "Test Agent 1.0", run.results);
    return records;
}

TEST(Report, IndexJsonMatchesGoldenFile)
{
    auto dir = fresh_dir("index");
    write_run(dir);
    auto index = json::parse(read_text(dir / "index.json"));
    expect_golden(without_timing(index).dump(3) + "\n", "index.json");
    fs::remove_all(dir);
}

TEST(Report, PerCaseJsonMatchesGoldenFile)
{
    auto dir = fresh_dir("case");
    write_run(dir);
    auto record = json::parse(read_text(dir / report::case_file_name("Test Agent 1.0", "6.2.1")));
    expect_golden(without_timing(record).dump(3) + "\n", "test_agent_1_0_case_6_2_1.json");
    fs::remove_all(dir);
}

TEST(Report, JunitXmlMatchesGoldenFile)
{
    auto dir = fresh_dir("junit");
    auto records = write_run(dir);
    report::write_junit(dir / "junit.xml", records);
    expect_golden(without_time_attributes(read_text(dir / "junit.xml")), "junit.xml");
    fs::remove_all(dir);
}

TEST(Report, JunitXmlValidatesAgainstTheSchema)
{
    auto dir = fresh_dir("xsd");
    auto records = write_run(dir);
    report::write_junit(dir / "junit.xml", records, {.strict = true, .target_stderr = "target said \x01 this"});
    auto command = "xmllint --noout --schema '" + std::string(WSH_SOURCE_DIR) + "/reports/schema/junit.xsd' '" +
                   (dir / "junit.xml").string() + "' 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    auto xml = read_text(dir / "junit.xml");
    EXPECT_NE(xml.find("<skipped message=\"profile no-utf8-validation"), std::string::npos);
    EXPECT_NE(xml.find("<error message=\"ERROR / ERROR"), std::string::npos);
    EXPECT_NE(xml.find("type=\"NON-STRICT / OK\""), std::string::npos) << "strict makes NON-STRICT a failure";
    EXPECT_NE(xml.find("sent 3 bytes: 810141"), std::string::npos) << "wire bytes in the failure";
    fs::remove_all(dir);
}

TEST(Report, NonStrictPassesWithANoteUnlessStrict)
{
    auto dir = fresh_dir("nonstrict");
    auto records = write_run(dir);
    report::write_junit(dir / "junit.xml", records);
    auto xml = read_text(dir / "junit.xml");
    EXPECT_EQ(xml.find("type=\"NON-STRICT / OK\""), std::string::npos);
    EXPECT_NE(xml.find("<system-out>passed as NON-STRICT / OK"), std::string::npos);
    fs::remove_all(dir);
}

TEST(Report, JournalRecordsReloadInIdOrderAndRestoreVerdicts)
{
    auto dir = fresh_dir("journal");
    write_run(dir);
    std::ofstream(dir / "test_agent_1_0_case_9_9_9.json") << "{\"agent\": \"Test Agent 1.0\", \"id\"";
    auto records = report::load_records(dir, std::string("Test Agent 1.0"));
    ASSERT_EQ(records.size(), 6u) << "a half-written record is skipped";
    EXPECT_EQ(records[4]["id"], "6.3.1");
    EXPECT_EQ(records[5]["id"], "6.10.1") << "numeric id order";
    auto run = test::make_synthetic_run();
    std::vector<suite::test_case> catalogue(run.cases.begin(), run.cases.end());
    auto restored = report::restore_result(records[2], catalogue);
    ASSERT_TRUE(restored);
    EXPECT_EQ(restored->v.behavior, suite::behavior::failed);
    EXPECT_EQ(restored->v.result, "Expected nothing, got a message");
    fs::remove_all(dir);
}

TEST(Report, BaselineReportsOnlyDifferencesAndIgnoresDurations)
{
    auto dir = fresh_dir("baseline");
    auto records = write_run(dir);
    auto index = json::parse(read_text(dir / "index.json"));
    EXPECT_TRUE(report::compare_with_baseline(records, index, false).changes.empty());
    index["Test Agent 1.0"]["1.1.1"]["duration"] = 99999;
    index["Test Agent 1.0"]["6.2.1"]["behavior"] = "OK";      // now FAILED: a regression
    index["Test Agent 1.0"]["6.2.1"]["behaviorClose"] = "OK";
    index["Test Agent 1.0"]["1.1.2"]["behavior"] = "FAILED";  // now NON-STRICT: an improvement
    auto diff = report::compare_with_baseline(records, index, false);
    ASSERT_EQ(diff.changes.size(), 2u);
    EXPECT_EQ(diff.regressions(), 1u);
    report::write_baseline(dir / "baseline.json", records);
    auto written = report::read_baseline(dir / "baseline.json");
    EXPECT_FALSE(written["Test Agent 1.0"]["1.1.1"].contains("duration"));
    EXPECT_TRUE(report::compare_with_baseline(records, written, false).changes.empty());
    fs::remove_all(dir);
}

TEST(Report, HtmlIsSelfContained)
{
    auto dir = fresh_dir("html");
    auto records = write_run(dir);
    records[0]["description"] = "</script><script>alert(1)</script>";
    report::write_html(dir / "index.html", records);
    auto page = read_text(dir / "index.html");
    EXPECT_EQ(page.find("http://"), std::string::npos);
    EXPECT_EQ(page.find("https://"), std::string::npos);
    EXPECT_EQ(page.find("</script><script>alert"), std::string::npos) << "data cannot end the script element";
    fs::remove_all(dir);
}

}  // namespace
}  // namespace wsh
