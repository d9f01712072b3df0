// SPDX-License-Identifier: MIT
// `wsharness drive`: the reference client driver, speaking Autobahn's fuzzingserver URL
// protocol (shared/spec/autobahn.md §3.3): /getCaseCount, /runCase for each case, /updateReports.
#pragma once

#include "peer/endpoint.hpp"
#include "transport/url.hpp"

#include <functional>
#include <string>

namespace wsh::peer {

struct drive_options {
    transport::ws_url url;  // base URL of the fuzzing server
    std::string agent = "wsharness-reference";
    peer_config config{.connection_limit = std::chrono::seconds(120)};
    std::chrono::milliseconds connect_timeout{5000};
};

// Runs the driver loop. `log` receives one line per step. Returns 0 when every connection
// could be made, 2 when the server could not be reached or /getCaseCount gave no number.
int drive(const drive_options& options, const std::function<void(const std::string&)>& log);

}  // namespace wsh::peer
