// SPDX-License-Identifier: MIT
// `wsharness serve` and `wsharness drive`: the reference peer, correct or with one fault.
#include "command.hpp"

#include "peer/driver.hpp"
#include "peer/server.hpp"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <memory>

namespace wsh::cli {
namespace {

peer::fault require_fault(const std::string& name, peer::fault_scope where)
{
    auto f = peer::find_fault(name);
    if (!f) throw usage_error("unknown fault '" + name + "' (see --list-faults)");
    auto scope = peer::info(*f).scope;
    if (scope != peer::fault_scope::both && scope != where)
        throw usage_error("fault '" + name + "' does not apply here");
    return *f;
}

void print_faults(peer::fault_scope where)
{
    auto listed = [&](const peer::fault_info& f) { return f.scope == peer::fault_scope::both || f.scope == where; };
    std::size_t width = 0;
    for (const auto& f : peer::all_faults())
        if (listed(f)) width = std::max(width, f.name.size());
    for (const auto& f : peer::all_faults())
        if (listed(f)) fmt::print("{:<{}}  {}\n", f.name, width, f.summary);
}

struct serve_args {
    std::string host = "127.0.0.1";
    int port = 9001;
    std::string fault = "none";
    bool list_faults = false;
    transport::tls_server_options tls;
    bool deflate = false;
    bool recompress = false;
};

int run_serve(const serve_args& a)
{
    if (a.list_faults) {
        print_faults(peer::fault_scope::serve);
        return exit_ok;
    }
    peer::serve_options o;
    o.host = a.host;
    o.port = static_cast<std::uint16_t>(a.port);
    o.config.injected = require_fault(a.fault, peer::fault_scope::serve);
    o.config.deflate = a.deflate;
    o.config.deflate_passthrough = !a.recompress;
    // TLS: the relay listens where asked; the echo engine behind it on a loopback port.
    auto tls = make_tls_listener(a.tls, a.host, o.port);
    if (tls) {
        o.host = "127.0.0.1";
        o.port = 0;
    }
    return peer::serve(o, [&](std::uint16_t port) {
        if (tls) {
            tls->start(port, [](const std::string& name) {
                fmt::print("wsharness serve: TLS server name (SNI): {}\n", name);
                std::fflush(stdout);
            });
            port = tls->port();
        }
        fmt::print("wsharness serve: listening on {}://{}:{}/ (fault: {}{})\n", tls ? "wss" : "ws", a.host, port, a.fault,
                   a.deflate ? ", permessage-deflate" : "");
        std::fflush(stdout);
    });
}

struct drive_args {
    std::string url;
    std::string agent = "wsharness-reference";
    std::string fault = "none";
    bool list_faults = false;
    transport::tls_client_options tls;
    bool deflate = false;
    bool recompress = false;
};

int run_drive(const drive_args& a)
{
    if (a.list_faults) {
        print_faults(peer::fault_scope::drive);
        return exit_ok;
    }
    if (a.url.empty()) throw usage_error("drive needs the server URL");
    peer::drive_options o;
    o.url = require_url(a.url);
    auto relay = transport::route_through_tls(o.url, a.tls);
    if (std::string error; relay && !relay->probe(o.connect_timeout, error)) {
        fmt::print(stderr, "wsharness drive: {}\n", error);
        return exit_usage;
    }
    o.agent = a.agent;
    o.config.injected = require_fault(a.fault, peer::fault_scope::drive);
    o.config.deflate = a.deflate;
    o.config.deflate_passthrough = !a.recompress;
    int status = peer::drive(o, [](const std::string& line) { fmt::print("wsharness drive: {}\n", line); });
    if (status == exit_usage) fmt::print(stderr, "wsharness drive: cannot run against {}\n", a.url);
    return status;
}

}  // namespace

void add_serve(CLI::App& app, command_list& commands)
{
    auto a = std::make_shared<serve_args>();
    auto* serve = app.add_subcommand("serve", "Run the reference echo server (optionally with one fault)");
    serve->add_option("--host", a->host, "Address to listen on")->capture_default_str();
    serve->add_option("--port", a->port, "Port (0: any free port)")->check(CLI::Range(0, 65535))->capture_default_str();
    serve->add_option("--fault", a->fault, "Inject one known bug (see --list-faults)");
    serve->add_flag("--list-faults", a->list_faults, "List the faults and exit");
    add_tls_server_options(serve, a->tls);
    serve->add_flag("--deflate", a->deflate, "Accept permessage-deflate (RFC 7692) and compress the echoes");
    serve->add_flag("--deflate-recompress", a->recompress,
                    "Compress every echo anew instead of reusing the client's compressed bytes where they are valid");
    commands.push_back({serve, [a] { return run_serve(*a); }});
}

void add_drive(CLI::App& app, command_list& commands)
{
    auto a = std::make_shared<drive_args>();
    auto* drive = app.add_subcommand("drive", "Run the reference client driver against an Autobahn-style fuzzing server");
    drive->add_option("url", a->url, "ws://HOST:PORT (or wss://) of the fuzzing server");
    drive->add_option("--agent", a->agent, "Agent name reported to the server")->capture_default_str();
    drive->add_option("--fault", a->fault, "Inject one known bug (see --list-faults)");
    drive->add_flag("--list-faults", a->list_faults, "List the faults and exit");
    add_tls_client_options(drive, a->tls);
    drive->add_flag("--deflate", a->deflate, "Offer permessage-deflate (RFC 7692) and compress the echoes");
    drive->add_flag("--deflate-recompress", a->recompress,
                    "Compress every echo anew instead of reusing the server's compressed bytes where they are valid");
    commands.push_back({drive, [a] { return run_drive(*a); }});
}

}  // namespace wsh::cli
