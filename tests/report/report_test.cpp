// SPDX-License-Identifier: MIT
// The report writers against fixed, synthetic results: golden files for index.json, a
// per-case JSON and junit.xml (timing fields left out of the comparison), junit.xml validated
// against reports/schema/junit.xsd with xmllint, and the baseline comparison.
#include "fixtures.hpp"

#include "report/autobahn_json.hpp"
#include "report/baseline.hpp"
#include "report/console.hpp"
#include "report/html.hpp"
#include "report/junit.hpp"

#include <cstdio>
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

// Category 6 sends and echoes U+FFFE and U+FFFF (valid UTF-8, not allowed in XML 1.0); a target
// may write anything on stderr. junit.xml stays well-formed: such characters become '?'.
TEST(Report, JunitXmlStaysValidWithCharactersXmlForbids)
{
    auto dir = fresh_dir("xmlchars");
    auto run = test::make_synthetic_run();
    auto& failed = run.results[2];  // FAILED / FAILED
    failed.v.result = "got \xEF\xBF\xBF and \xEF\xBF\xBE, \xED\xA0\x80 \xFF\xC0\x80 \x01 but kept: "
                      "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD";
    report::write_junit(dir / "junit.xml", {report::case_record("agent", failed, 1, true)},
                        {.target_stderr = "stderr \xEF\xBF\xBF\xFE end"});
    auto command = "xmllint --noout --schema '" + std::string(WSH_SOURCE_DIR) + "/reports/schema/junit.xsd' '" +
                   (dir / "junit.xml").string() + "' 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    auto xml = read_text(dir / "junit.xml");
    EXPECT_NE(xml.find("got ? and ?, ??? ??? ? but kept: \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD"),
              std::string::npos) << xml;
    EXPECT_NE(xml.find("stderr ?? end"), std::string::npos) << xml;
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

std::string console_summary(const std::vector<suite::case_result>& results, bool strict)
{
    std::FILE* f = std::tmpfile();
    report::print_summary(f, results, strict, 1.0);
    std::rewind(f);
    std::string text;
    for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
    std::fclose(f);
    return text;
}

// Each failure gets one line: its id, its verdicts, the reason of the half that failed and the
// case's summary.
TEST(Report, ConsoleSummaryNamesEachFailureWithItsReasonAndSummary)
{
    auto run = test::make_synthetic_run();
    run.results[1].v.result_close = "close as expected";  // 1.1.2: NON-STRICT / OK
    auto plain = console_summary(run.results, false);
    EXPECT_NE(plain.find("\nFAILED 6.2.1: FAILED / FAILED: Expected nothing, got a message (case: Send invalid UTF-8)\n"),
              std::string::npos) << plain;
    EXPECT_NE(plain.find("\nERROR  6.2.2: ERROR / ERROR: cannot connect to ws://127.0.0.1:1/ (case: Send more invalid "
                         "UTF-8)\n"), std::string::npos) << plain;
    EXPECT_EQ(plain.find("FAILED 1.1.2"), std::string::npos) << plain;
    EXPECT_NE(plain.find("\n6 cases in 1.0 s: 2 failed\n"), std::string::npos) << plain;
    auto strict = console_summary(run.results, true);
    EXPECT_NE(strict.find("\nFAILED 1.1.2: NON-STRICT / OK: Late but right (case: Send a slow text message)\n"),
              std::string::npos) << strict;
    EXPECT_NE(strict.find("\n6 cases in 1.0 s: 3 failed\n"), std::string::npos) << strict;
}

// A permessage-deflate case and finding name RFC 7692, not RFC 6455, in junit.xml and on the
// console (sections of RFC 6455 are stored bare, others carry their RFC).
TEST(Report, SectionsAndFindingsOfRfc7692NameTheirRfc)
{
    auto dir = fresh_dir("rfc7692");
    auto run = test::make_synthetic_run();
    auto& failed = run.results[2];  // 6.2.1: FAILED / FAILED
    run.cases[2].section = "RFC 7692 §7.2";
    failed.obs.findings.push_back({.rule = codec::violation::invalid_deflate_data, .at_ms = 3});
    failed.obs.findings.push_back({.rule = codec::violation::reserved_bits_set, .at_ms = 4});
    report::write_junit(dir / "junit.xml", {report::case_record("agent", failed, 1, true)});
    auto xml = read_text(dir / "junit.xml");
    EXPECT_NE(xml.find("requirement (RFC 7692 §7.2): "), std::string::npos) << xml;
    EXPECT_NE(xml.find("the target broke invalid_deflate_data (RFC 7692 §7.2.2) at 3 ms"), std::string::npos) << xml;
    EXPECT_NE(xml.find("the target broke reserved_bits_set (RFC 6455 §5.2) at 4 ms"), std::string::npos) << xml;
    EXPECT_EQ(xml.find("RFC 6455 §RFC"), std::string::npos) << xml;
    auto console = console_summary(run.results, false);
    EXPECT_NE(console.find("FINDING 6.2.1: the target broke invalid_deflate_data (RFC 7692 §7.2.2) at 3 ms\n"),
              std::string::npos) << console;
    EXPECT_NE(console.find("FINDING 6.2.1: the target broke reserved_bits_set (RFC 6455 §5.2) at 4 ms\n"),
              std::string::npos) << console;
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

// index.html is written case by case (memory of a run): its data must still be the bytes of the
// one JSON object the page reads, as dumping that object whole gives them, with every case.
TEST(Report, HtmlDataIsTheRunAsOneJsonObject)
{
    auto dir = fresh_dir("html-data");
    auto records = write_run(dir);
    records[0]["description"] = "</script> \u00e9";
    report::write_html(dir / "index.html", records, {.strict = true, .target_stderr = "said </x>"});
    auto page = read_text(dir / "index.html");
    const std::string open = "<script type=\"application/json\" id=\"data\">";
    auto from = page.find(open);
    ASSERT_NE(from, std::string::npos);
    from += open.size();
    auto to = page.find("</script>", from);
    ASSERT_NE(to, std::string::npos);
    const auto raw = page.substr(from, to - from);
    std::string text = raw;
    for (auto at = text.find("<\\/"); at != std::string::npos; at = text.find("<\\/", at + 1)) text.replace(at, 3, "</");
    auto data = json::parse(text);
    std::string whole = data.dump(-1, ' ', true);
    for (auto at = whole.find("</"); at != std::string::npos; at = whole.find("</", at + 3)) whole.replace(at, 2, "<\\/");
    EXPECT_EQ(raw, whole);
    ASSERT_EQ(data["cases"].size(), records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(data["cases"][i]["id"], records[i]["id"]);
        EXPECT_EQ(data["cases"][i]["wirelog"], records[i].value("wirelog", json::array()));
    }
    EXPECT_EQ(data["cases"][0]["description"], "</script> \u00e9");
    EXPECT_EQ(data["stderr"], "said </x>");
    EXPECT_EQ(data["strict"], true);
    EXPECT_TRUE(data["agents"].is_array());
    EXPECT_TRUE(data["categoryNames"].is_object());
    EXPECT_TRUE(data["generated"].is_string());
    fs::remove_all(dir);
}

// A run's reports read the full records back from the case files one at a time (memory of a
// run, issue 11) while it keeps only their index fields: junit.xml and index.html must be the
// bytes the records held in memory give, with several agents and their suites too.
report::record_list write_two_agent_run(const fs::path& dir)
{
    auto records = write_run(dir);
    auto run = test::make_synthetic_run();
    for (std::size_t i = 0; i < run.results.size(); ++i) {
        auto rec = report::case_record("Other Agent", run.results[i], i + 1, true);
        report::write_json_atomically(dir / report::case_file_name("Other Agent", run.results[i].test->id), rec);
        records.push_back(std::move(rec));
    }
    records[0]["description"] = "</script> \u00e9";  // as written in its file below
    report::write_json_atomically(dir / report::case_file_name("Test Agent 1.0", records[0]["id"]), records[0]);
    report::sort_records(records);
    return records;
}

report::record_list index_of(const report::record_list& records)
{
    report::record_list index;
    for (const auto& r : records) index.push_back(report::index_fields(r));
    return index;
}

std::string without_generated(const std::string& page)
{
    return std::regex_replace(page, std::regex(R"("generated":"[^"]*")"), R"("generated":"")");
}

TEST(Report, ReportsFromTheCaseFilesEqualThoseFromTheRecordsInMemory)
{
    auto dir = fresh_dir("stream");
    auto records = write_two_agent_run(dir);
    auto index = index_of(records);
    ASSERT_EQ(index.size(), 12u);
    EXPECT_FALSE(index[0].contains("wirelog"));
    EXPECT_FALSE(index[0].contains("description"));
    for (bool strict : {false, true}) {
        const report::junit_options jo{.strict = strict, .target_stderr = "said \x01 </x>"};
        report::write_junit(dir / "memory.xml", records, jo);
        report::write_junit(dir / "files.xml", report::record_stream::from_files(dir, index), jo);
        auto xml = read_text(dir / "files.xml");
        EXPECT_EQ(xml, read_text(dir / "memory.xml"));
        EXPECT_NE(xml.find("(Other Agent)\""), std::string::npos) << "several agents: one suite per agent";
        EXPECT_NE(xml.find("sent 3 bytes: 810141"), std::string::npos) << "the wire log came from the file";
        const report::html_options ho{.strict = strict, .target_stderr = "said </x>"};
        report::write_html(dir / "memory.html", records, ho);
        report::write_html(dir / "files.html", report::record_stream::from_files(dir, index), ho);
        auto page = read_text(dir / "files.html");
        EXPECT_EQ(without_generated(page), without_generated(read_text(dir / "memory.html")));
        EXPECT_NE(page.find("<\\/script> \\u00e9"), std::string::npos) << "the description came from the file";
    }
    fs::remove_all(dir);
}

// A case file that went missing (or now holds another case) stands in by its index fields: the
// case is still counted with its verdict, without the details.
TEST(Report, AMissingCaseFileStandsInByItsIndexFields)
{
    auto dir = fresh_dir("stream-missing");
    auto records = write_run(dir);
    report::sort_records(records);
    auto index = index_of(records);
    fs::remove(dir / report::case_file_name("Test Agent 1.0", "6.2.1"));
    report::write_json_atomically(dir / report::case_file_name("Test Agent 1.0", "6.3.1"), records[0]);
    std::vector<std::string> seen;
    report::record_stream::from_files(dir, index).visit([&](const json& r) {
        seen.push_back(r["id"].get<std::string>() + (r.contains("wirelog") ? " full" : " index"));
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"1.1.1 full", "1.1.2 full", "6.2.1 index", "6.2.2 full",
                                              "6.3.1 index", "6.10.1 full"}));
    report::write_junit(dir / "junit.xml", report::record_stream::from_files(dir, index));
    auto xml = read_text(dir / "junit.xml");
    EXPECT_NE(xml.find("name=\"6.2.1 \""), std::string::npos) << xml;
    EXPECT_NE(xml.find("tests=\"6\" failures=\"1\" errors=\"1\""), std::string::npos) << xml;
    fs::remove_all(dir);
}

// index.json and baselines read only the index fields: written from them, they are the files the
// full records give.
TEST(Report, IndexFieldsGiveTheSameIndexJsonAndBaseline)
{
    auto dir = fresh_dir("index-fields");
    auto records = write_run(dir);
    auto index = index_of(records);
    report::update_index_json(dir, "Test Agent 1.0", records);
    auto from_records = read_text(dir / "index.json");
    report::update_index_json(dir, "Test Agent 1.0", index);
    EXPECT_EQ(read_text(dir / "index.json"), from_records);
    report::write_baseline(dir / "a.json", records);
    report::write_baseline(dir / "b.json", index);
    EXPECT_EQ(read_text(dir / "b.json"), read_text(dir / "a.json"));
    fs::remove_all(dir);
}

}  // namespace
}  // namespace wsh
