// SPDX-License-Identifier: MIT
// The wsharness binary: registers the subcommands, parses, runs the one given.
#include "command.hpp"

#include <fmt/format.h>

namespace wsh::cli {

transport::ws_url require_url(const std::string& text)
{
    std::string error;
    auto url = transport::parse_ws_url(text, error);
    if (!url) throw usage_error("bad URL '" + text + "': " + error);
    if (url->secure) throw usage_error("wss:// is not supported yet; use ws://");
    return *url;
}

}  // namespace wsh::cli

int main(int argc, char** argv)
{
    using namespace wsh::cli;
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
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion&) {
        fmt::print("wsharness {}\n", WSH_VERSION);
        return exit_ok;
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
