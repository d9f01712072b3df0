// SPDX-License-Identifier: MIT
#include "report/baseline.hpp"

#include "report/autobahn_json.hpp"

#include <fmt/format.h>
#include <fstream>
#include <stdexcept>

namespace wsh::report {
namespace {

using json = nlohmann::json;

const json* agent_entries(const json& baseline, const std::string& agent)
{
    if (!baseline.is_object()) return nullptr;
    if (baseline.contains(agent)) return &baseline[agent];
    if (baseline.size() == 1) return &baseline.begin().value();
    return nullptr;
}

std::string verdict_text(const std::string& b, const std::string& c)
{
    return b.empty() ? "(none)" : b + " / " + c;
}

}  // namespace

std::size_t baseline_diff::regressions() const
{
    std::size_t n = 0;
    for (const auto& c : changes) n += c.regression ? 1 : 0;
    return n;
}

baseline_diff compare_with_baseline(const record_list& records, const json& baseline, bool strict)
{
    baseline_diff diff;
    for (const auto& r : records) {
        verdict_change c{.agent = r["agent"], .id = r["id"], .now_behavior = r["behavior"],
                         .now_close = r["behaviorClose"]};
        const json* entries = agent_entries(baseline, c.agent);
        if (entries && entries->contains(c.id)) {
            const auto& e = (*entries)[c.id];
            c.was_behavior = e.value("behavior", "");
            c.was_close = e.value("behaviorClose", "");
        }
        if (c.was_behavior == c.now_behavior && c.was_close == c.now_close) continue;
        c.regression = is_failure(c.now_behavior, c.now_close, strict);
        diff.changes.push_back(std::move(c));
    }
    return diff;
}

json read_baseline(const std::filesystem::path& file)
{
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read baseline " + file.string());
    auto j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw std::runtime_error("baseline " + file.string() + " is not an Autobahn index.json");
    return j;
}

void write_baseline(const std::filesystem::path& file, const record_list& records)
{
    json out = json::object();
    for (const auto& r : records) {
        auto agent = r["agent"].get<std::string>(), id = r["id"].get<std::string>();
        out[agent][id] = {{"behavior", r["behavior"]}, {"behaviorClose", r["behaviorClose"]},
                          {"remoteCloseCode", r.value("remoteCloseCode", json())},
                          {"reportfile", case_file_name(agent, id)}};
    }
    write_json_atomically(file, out);
}

void print_baseline_diff(std::FILE* out, const baseline_diff& diff)
{
    if (diff.changes.empty()) {
        fmt::print(out, "baseline: no difference\n");
        return;
    }
    for (const auto& c : diff.changes)
        fmt::print(out, "{} {} {}: {} -> {}\n", c.regression ? "REGRESSION" : "changed   ", c.agent, c.id,
                   verdict_text(c.was_behavior, c.was_close), verdict_text(c.now_behavior, c.now_close));
    fmt::print(out, "baseline: {} difference(s), {} regression(s)\n", diff.changes.size(), diff.regressions());
}

}  // namespace wsh::report
