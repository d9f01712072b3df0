// SPDX-License-Identifier: MIT
#include "report/records.hpp"

#include "report/autobahn_json.hpp"

#include <algorithm>
#include <fstream>
#include <unistd.h>

namespace wsh::report {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

std::optional<json> read_json(const fs::path& file)
{
    std::ifstream in(file);
    if (!in) return std::nullopt;
    auto j = json::parse(in, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

template <typename Enum, std::size_t N>
Enum from_string(const std::string& text, const Enum (&values)[N], Enum fallback)
{
    for (auto v : values)
        if (suite::to_string(v) == text) return v;
    return fallback;
}

constexpr suite::behavior all_behaviors[] = {
    suite::behavior::ok, suite::behavior::non_strict, suite::behavior::informational,
    suite::behavior::unimplemented, suite::behavior::failed, suite::behavior::error};
constexpr suite::close_behavior all_closes[] = {
    suite::close_behavior::ok, suite::close_behavior::failed, suite::close_behavior::unclean,
    suite::close_behavior::wrong_code, suite::close_behavior::failed_by_client,
    suite::close_behavior::informational, suite::close_behavior::error};

bool is_record(const json& j)
{
    return j.is_object() && j.contains("agent") && j.contains("id") && j.contains("behavior") &&
           j.contains("behaviorClose");
}

}  // namespace

void write_json_atomically(const fs::path& file, const json& j)
{
    if (file.has_parent_path()) fs::create_directories(file.parent_path());
    auto tmp = file;
    tmp += ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp);
        out << j.dump(3, ' ', false, json::error_handler_t::replace) << "\n";
    }
    fs::rename(tmp, file);
}

void sort_records(record_list& records)
{
    std::stable_sort(records.begin(), records.end(), [](const json& a, const json& b) {
        auto aa = a["agent"].get<std::string>(), ba = b["agent"].get<std::string>();
        if (aa != ba) return aa < ba;
        return suite::id_less(a["id"].get<std::string>(), b["id"].get<std::string>());
    });
}

record_list load_records(const fs::path& dir, const std::optional<std::string>& agent)
{
    record_list out;
    std::error_code ec;
    std::string prefix = agent ? agent_slug(*agent) + "_case_" : "";
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        auto name = entry.path().filename().string();
        if (entry.path().extension() != ".json" || name.find("_case_") == std::string::npos) continue;
        if (agent && name.rfind(prefix, 0) != 0) continue;
        auto j = read_json(entry.path());
        if (!j || !is_record(*j)) continue;
        if (agent && (*j)["agent"] != *agent) continue;
        out.push_back(std::move(*j));
    }
    sort_records(out);
    return out;
}

json index_fields(const json& record)
{
    json out = json::object();
    for (const char* key : {"agent", "id", "behavior", "behaviorClose", "duration", "remoteCloseCode"})
        if (auto it = record.find(key); it != record.end()) out[key] = *it;
    return out;
}

void record_stream::visit(const visitor& f) const
{
    for (const auto& entry : *index_) {
        if (!dir_) {
            f(entry);
            continue;
        }
        const auto agent = entry["agent"].get<std::string>(), id = entry["id"].get<std::string>();
        auto full = read_json(*dir_ / case_file_name(agent, id));
        if (full && is_record(*full) && (*full)["agent"] == agent && (*full)["id"] == id) f(*full);
        else f(entry);
    }
}

void update_index_json(const fs::path& dir, const std::string& agent, const record_list& records)
{
    auto index = read_json(dir / "index.json").value_or(json::object());
    if (!index.is_object()) index = json::object();
    json cases = json::object();
    for (const auto& r : records) {
        if (r["agent"] != agent) continue;
        cases[r["id"].get<std::string>()] = {
            {"behavior", r["behavior"]}, {"behaviorClose", r["behaviorClose"]},
            {"duration", r.value("duration", 0)}, {"remoteCloseCode", r.value("remoteCloseCode", json())},
            {"reportfile", case_file_name(agent, r["id"].get<std::string>())}};
    }
    index[agent] = cases;
    write_json_atomically(dir / "index.json", index);
}

std::optional<suite::case_result> restore_result(const json& record,
                                                 const std::vector<suite::test_case>& catalogue)
{
    auto id = record["id"].get<std::string>();
    auto it = std::find_if(catalogue.begin(), catalogue.end(), [&](const auto& c) { return c.id == id; });
    if (it == catalogue.end()) return std::nullopt;
    suite::case_result r{.test = &*it};
    r.v.behavior = from_string(record["behavior"].get<std::string>(), all_behaviors, suite::behavior::error);
    r.v.close = from_string(record["behaviorClose"].get<std::string>(), all_closes, suite::close_behavior::error);
    r.v.result = record.value("result", "");
    r.v.result_close = record.value("resultClose", "");
    r.obs.duration_ms = record.value("duration", 0.0);
    if (record.contains("remoteCloseCode") && record["remoteCloseCode"].is_number())
        r.obs.remote_close_code = record["remoteCloseCode"].get<std::uint16_t>();
    return r;
}

bool is_failure(const std::string& behavior, const std::string& close, bool strict)
{
    if (behavior == "FAILED" || behavior == "ERROR") return true;
    if (close == "FAILED" || close == "UNCLEAN" || close == "WRONG CODE" || close == "ERROR") return true;
    return strict && (behavior == "NON-STRICT" || close == "FAILED BY CLIENT");
}

}  // namespace wsh::report
