// SPDX-License-Identifier: MIT
// What every subcommand shares: exit statuses, misuse errors, and how a subcommand registers
// itself. Each subcommand lives in its own file and adds itself with one add_* function.
#pragma once

#include "transport/tls_relay.hpp"
#include "transport/url.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace wsh::cli {

// Exit statuses (DESIGN.md): 0 no case failed, 1 some case failed, 2 wsharness could not run,
// 3 the filters selected no case.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_no_cases = 3;

// Misuse of wsharness: main prints a one-line message and exits with status 2.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct command {
    CLI::App* app = nullptr;
    std::function<int()> run;  // called when `app` was the subcommand given
};

using command_list = std::vector<command>;

// A ws:// or wss:// URL or a usage_error naming what is wrong.
[[nodiscard]] transport::ws_url require_url(const std::string& text);

// --cacert FILE and --insecure, for commands that connect to wss:// URLs (main.cpp).
void add_tls_client_options(CLI::App* cmd, transport::tls_client_options& o);
// --tls-cert FILE and --tls-key FILE, for commands that listen (main.cpp).
void add_tls_server_options(CLI::App* cmd, transport::tls_server_options& o);
// A TLS listener on host:port when --tls-cert/--tls-key were given, else nullptr; usage_error
// when only one of them was given or they cannot be loaded.
[[nodiscard]] std::unique_ptr<transport::tls_server_relay>
make_tls_listener(const transport::tls_server_options& o, const std::string& host, std::uint16_t port);

void add_serve(CLI::App& app, command_list& commands);        // peer_commands.cpp
void add_drive(CLI::App& app, command_list& commands);        // peer_commands.cpp
void add_test_server(CLI::App& app, command_list& commands);  // test_server_command.cpp
void add_test_client(CLI::App& app, command_list& commands);  // test_client_command.cpp
void add_list(CLI::App& app, command_list& commands);         // list_command.cpp
void add_run(CLI::App& app, command_list& commands);          // run_command.cpp
void add_fuzz(CLI::App& app, command_list& commands);         // fuzz_command.cpp (fuzz, replay)
void add_observe(CLI::App& app, command_list& commands);     // observe_command.cpp

}  // namespace wsh::cli
