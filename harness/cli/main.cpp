// SPDX-License-Identifier: MIT
// The wsharness binary: registers the subcommands, parses, runs the one given.
#include "command.hpp"

#include <fmt/format.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace wsh::cli {

transport::ws_url require_url(const std::string& text)
{
    std::string error;
    auto url = transport::parse_ws_url(text, error);
    if (!url) throw usage_error("bad URL '" + text + "': " + error);
    return *url;
}

void add_tls_client_options(CLI::App* cmd, transport::tls_client_options& o)
{
    cmd->add_option("--cacert", o.cacert, "wss://: PEM file of certificates to trust (default: the system's)")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--insecure", o.insecure, "wss://: do not verify the server's certificate and host name");
}

void add_tls_server_options(CLI::App* cmd, transport::tls_server_options& o)
{
    cmd->add_option("--tls-cert", o.cert, "Serve TLS (wss://) with this PEM certificate chain (needs --tls-key)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--tls-key", o.key, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
}

std::unique_ptr<transport::tls_server_relay>
make_tls_listener(const transport::tls_server_options& o, const std::string& host, std::uint16_t port)
{
    if (o.cert.empty() && o.key.empty()) return nullptr;
    if (o.cert.empty() || o.key.empty()) throw usage_error("--tls-cert and --tls-key go together");
    try {
        return std::make_unique<transport::tls_server_relay>(host, port, o);
    } catch (const std::runtime_error& e) {
        throw usage_error(e.what());
    }
}

// CLI11 answers "A subcommand is required" for `wsharness bogus` and `wsharness --bogus` too:
// name what it did not know instead (empty when the first argument is a known subcommand).
std::string unknown_first_argument(CLI::App& app, int argc, char** argv)
{
    if (argc < 2) return {};
    const std::string first = argv[1];
    std::string names;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        if (sub->get_name() == first) return {};
        names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (first.starts_with("-")) return "unknown option '" + first + "' (see --help)";
    return "unknown subcommand '" + first + "' (one of: " + names + ")";
}

}  // namespace wsh::cli

int main(int argc, char** argv)
{
    using namespace wsh::cli;
#if defined(__GLIBC__)
    // Message buffers of 1 MiB and more (category 9: up to 16 MiB, several at once) are mapped
    // and go back to the system when freed. Left alone, glibc raises this threshold after the
    // first large free and keeps later large buffers in its heaps: peak RSS 90 MB instead of
    // 60-70 MB for categories 1-10 (issue 11).
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    // One heap for all threads. Left alone, glibc gives each thread that allocates (the io
    // threads, the report writer) a heap of its own, up to 8 per core, and what one thread freed
    // stays in its heap, unused by the others: a full run against `serve --deflate` peaked at
    // 85.7 MiB, 71.1 MiB with one heap; categories 1-10 and 12/13 unimplemented 51.5-53.1 MiB,
    // 43.2-47.6 MiB (issue 11). The threads' allocations are small and few beside the cases' work.
    mallopt(M_ARENA_MAX, 1);
#endif
    CLI::App app{"wsharness: WebSocket (RFC 6455) conformance and fuzzing harness"};
    app.set_version_flag("--version", std::string(WSH_VERSION));
    app.require_subcommand(1);
    command_list commands;
    add_test_server(app, commands);
    add_test_client(app, commands);
    add_list(app, commands);
    add_run(app, commands);
    add_serve(app, commands);
    add_drive(app, commands);
    add_fuzz(app, commands);
    add_observe(app, commands);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion&) {
        fmt::print("wsharness {}\n", WSH_VERSION);
        return exit_ok;
    } catch (const CLI::RequiredError& e) {
        auto unknown = unknown_first_argument(app, argc, argv);
        fmt::print(stderr, "wsharness: {}\n", unknown.empty() ? std::string(e.what()) : unknown);
        return exit_usage;
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "wsharness: {}\n", e.what());
        return exit_usage;
    }
    try {
        for (const auto& c : commands)
            if (c.app->parsed()) return c.run();
    } catch (const std::exception& e) {
        fmt::print(stderr, "wsharness: {}\n", e.what());
        return exit_usage;
    }
    return exit_usage;
}
