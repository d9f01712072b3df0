// SPDX-License-Identifier: MIT
// `wsharness run --spec FILE`: an Autobahn fuzzingclient.json as it is (shared/spec/autobahn.md
// §3.2): every server of the spec tested in one run, each as its own agent, into `outdir`. A
// fuzzingserver.json (§3.3, testing clients) runs `test-client` with the spec's values.
#include "command.hpp"

#include "agent_run.hpp"
#include "suite/filter.hpp"

#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <unistd.h>

namespace wsh::cli {
namespace {

using json = nlohmann::json;

struct run_args {
    std::string spec;
    std::string out;
    unsigned jobs = 0;
    bool strict = false;
    bool resume = false;
    bool no_probe = false;
    std::string junit;
    std::string baseline;
    bool update_baseline = false;
    std::string profile;
    transport::tls_client_options tls;
    std::string target_profile = "echo";
};

const std::set<std::string> client_keys = {"outdir", "options", "servers", "cases", "exclude-cases",
                                           "exclude-agent-cases"};
const std::set<std::string> fuzzingserver_keys = {"url", "outdir", "options", "protocols", "key", "cert",
                                                  "cases", "exclude-cases", "exclude-agent-cases"};
// "target-profile" is ours (echo, sink, push, broadcast; see test-server --target-profile).
const std::set<std::string> server_keys = {"agent", "url", "options", "hostname", "origin", "protocols",
                                           "target-profile"};

// Unknown keys are reported; Autobahn engine options and connection details we do not use are
// named as having no effect.
void warn_keys(const json& j, const std::set<std::string>& known, const std::string& where)
{
    for (const auto& item : j.items()) {
        const auto& key = item.key();
        if (!known.count(key)) {
            fmt::print(stderr, "wsharness: spec: unknown key '{}' in {} (ignored)\n", key, where);
        } else if (key == "options" && item.value().is_object()) {
            for (const auto& option : item.value().items())
                fmt::print(stderr, "wsharness: spec: option '{}' in {} has no effect in wsharness (ignored)\n",
                           option.key(), where);
        } else if (key == "hostname" || key == "origin" || key == "protocols") {
            fmt::print(stderr, "wsharness: spec: key '{}' in {} has no effect in wsharness (ignored)\n", key, where);
        }
    }
}

std::vector<std::string> string_list(const json& j, const std::string& key, std::vector<std::string> fallback)
{
    if (!j.contains(key)) return fallback;
    if (!j[key].is_array()) throw usage_error("spec: '" + key + "' must be a list of case patterns");
    std::vector<std::string> out;
    for (const auto& p : j[key]) {
        if (!p.is_string()) throw usage_error("spec: '" + key + "' must hold strings");
        out.push_back(p.get<std::string>());
    }
    return out;
}

std::vector<std::string> agent_exclusions(const json& spec, const std::string& agent)
{
    std::vector<std::string> out;
    if (!spec.contains("exclude-agent-cases")) return out;
    for (const auto& [pattern, cases] : spec["exclude-agent-cases"].items())
        if (suite::matches_whole(pattern, agent))
            for (const auto& c : string_list(json{{"p", cases}}, "p", {})) out.push_back(c);
    return out;
}

json read_spec(const std::string& file)
{
    std::ifstream in(file);
    if (!in) throw usage_error("cannot read spec " + file);
    auto j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw usage_error("spec " + file + " is not a JSON object");
    if (!j.contains("servers") && j.contains("url")) return j;  // fuzzingserver.json
    if (!j.contains("servers") || !j["servers"].is_array() || j["servers"].empty())
        throw usage_error("spec " + file + ": 'servers' must list at least one server");
    return j;
}

std::vector<agent_target> targets_of(const json& spec)
{
    warn_keys(spec, client_keys, "the spec");
    auto include = string_list(spec, "cases", {"*"});
    auto exclude = string_list(spec, "exclude-cases", {});
    std::vector<agent_target> out;
    for (const auto& s : spec["servers"]) {
        if (!s.is_object() || !s.contains("url")) throw usage_error("spec: every server needs a 'url'");
        auto agent = s.value("agent", std::string("UnknownServer"));
        warn_keys(s, server_keys, "server '" + agent + "'");
        agent_target t{.agent = agent, .url = s["url"].get<std::string>(), .include = include,
                       .exclude = exclude, .agent_exclude = agent_exclusions(spec, agent)};
        if (s.contains("target-profile")) {
            const auto& value = s["target-profile"];
            auto profile = value.is_string() ? suite::parse_target_profile(value.get<std::string>()) : std::nullopt;
            if (!profile)
                throw usage_error("spec: unknown 'target-profile' " + value.dump() + " for server '" + agent +
                                  "' (echo, sink, push, broadcast)");
            t.profile = profile;
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::string joined(const std::vector<std::string>& patterns)
{
    std::string out;
    for (const auto& p : patterns) out += (out.empty() ? "" : ",") + p;
    return out;
}

// "ws://HOST:PORT[/...]" -> "HOST:PORT" (port 0, any free port, is allowed here); wss:// too.
std::string listen_address(const json& url)
{
    auto text = url.is_string() ? url.get<std::string>() : "";
    bool secure = text.rfind("wss://", 0) == 0;
    if (text.rfind("ws://", 0) != 0 && !secure)
        throw usage_error("spec: 'url' must be a ws:// or wss:// URL, not '" + text + "'");
    auto from = secure ? 6 : 5;
    auto slash = text.find('/', from);
    auto authority = text.substr(from, slash == std::string::npos ? std::string::npos : slash - from);
    if (authority.find(':') == std::string::npos) authority += secure ? ":443" : ":80";
    return authority;
}

// A fuzzingserver.json (autobahn.md §3.3) is `wsharness test-client` with the spec's values:
// this process becomes that command, so both behave the same.
int run_client_spec(const json& spec, const run_args& a)
{
    warn_keys(spec, fuzzingserver_keys, "the spec");
    if (spec.contains("exclude-agent-cases"))
        fmt::print(stderr, "wsharness: spec: 'exclude-agent-cases' is not supported for client testing (ignored)\n");
    std::vector<std::string> args = {"wsharness", "test-client", "--listen", listen_address(spec["url"]),
                                     "--out", a.out.empty() ? spec.value("outdir", std::string("./reports/clients")) : a.out};
    // A wss:// url is served with the spec's "cert" and "key" (autobahn.md §3.3).
    if (spec["url"].get<std::string>().rfind("wss://", 0) == 0) {
        if (!spec.contains("cert") || !spec.contains("key") || !spec["cert"].is_string() || !spec["key"].is_string())
            throw usage_error("spec: a wss:// url needs 'cert' and 'key' files");
        args.insert(args.end(), {"--tls-cert", spec["cert"].get<std::string>(), "--tls-key", spec["key"].get<std::string>()});
    }
    auto include = joined(string_list(spec, "cases", {"*"}));
    auto exclude = joined(string_list(spec, "exclude-cases", {}));
    args.insert(args.end(), {"--cases", include});
    if (!exclude.empty()) args.insert(args.end(), {"--exclude", exclude});
    if (a.strict) args.push_back("--strict");
    if (a.target_profile != "echo") args.insert(args.end(), {"--target-profile", a.target_profile});
    std::vector<char*> argv;
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);
    ::execv("/proc/self/exe", argv.data());
    throw usage_error("cannot start test-client for the fuzzingserver spec");
}

int run_spec(const run_args& a)
{
    auto spec = read_spec(a.spec);
    if (!spec.contains("servers")) return run_client_spec(spec, a);
    auto targets = targets_of(spec);
    run_settings s;
    s.out = a.out.empty() ? std::filesystem::path(spec.value("outdir", std::string("./reports/servers")))
                          : std::filesystem::path(a.out);
    s.strict = a.strict;
    s.jobs = a.jobs;
    s.resume = a.resume;
    s.probe = !a.no_probe;
    s.capabilities = parse_profile(a.profile);
    s.target = parse_target_profile_option(a.target_profile);
    s.junit = a.junit;
    s.baseline = a.baseline;
    s.update_baseline = a.update_baseline;
    s.tls = a.tls;
    if (a.update_baseline && a.baseline.empty()) throw usage_error("--update-baseline needs --baseline FILE");
    install_stop_handlers();
    auto start = std::chrono::steady_clock::now();
    std::vector<agent_outcome> outcomes;
    for (const auto& t : targets) {
        if (stop_flag().load()) break;
        fmt::print("agent {} at {}\n", t.agent, t.url);
        outcomes.push_back(run_agent(t, s));
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return finish_run(s, outcomes, wall);
}

}  // namespace

void add_run(CLI::App& app, command_list& commands)
{
    auto a = std::make_shared<run_args>();
    auto* cmd = app.add_subcommand("run", "Run an Autobahn fuzzingclient.json (servers) or fuzzingserver.json (clients) spec");
    cmd->add_option("--spec", a->spec, "The spec file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out", a->out, "Report directory (default: the spec's outdir)");
    cmd->add_option("--jobs", a->jobs, "Cases run in parallel (default: 4 per core)");
    cmd->add_flag("--strict", a->strict, "Count NON-STRICT verdicts as failures");
    cmd->add_flag("--resume", a->resume, "Keep the finished cases in the report directory, run the rest");
    cmd->add_option("--junit", a->junit, "JUnit XML file (default: <outdir>/junit.xml)");
    cmd->add_option("--baseline", a->baseline, "Expected verdicts (an Autobahn index.json): report only differences");
    cmd->add_flag("--update-baseline", a->update_baseline, "Write this run's verdicts to the --baseline file");
    cmd->add_option("--profile", a->profile, "Capabilities the targets deliberately lack (see test-server)");
    add_tls_client_options(cmd, a->tls);
    cmd->add_flag("--no-probe", a->no_probe,
                  "Skip the quick echo probe (one extra connection) before each server's cases");
    cmd->add_option("--target-profile", a->target_profile,
                    "Kind of application every server is, unless its spec entry has 'target-profile' "
                    "(echo, sink, push, broadcast; see test-server)")
        ->capture_default_str();
    commands.push_back({cmd, [a] { return run_spec(*a); }});
}

}  // namespace wsh::cli
