// SPDX-License-Identifier: MIT
// Starts `wsharness serve` (optionally with a fault) on a free loopback port for one test.
#pragma once

#include "paths.hpp"
#include "process.hpp"

#include <gtest/gtest.h>
#include <memory>
#include <string>

namespace wsh::test {

struct running_server {
    std::unique_ptr<child_process> process;
    int port = 0;
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(port) + "/"; }
};

// Starts a server command whose stdout announces its port; the test fails if it does not.
inline running_server start_server(std::vector<std::string> argv)
{
    running_server s;
    s.process = std::make_unique<child_process>(std::move(argv));
    auto line = s.process->read_line(std::chrono::seconds(20));
    EXPECT_TRUE(line.has_value()) << "server printed nothing";
    if (line) {
        auto port = port_from_line(*line);
        EXPECT_TRUE(port.has_value()) << "no port in: " << *line;
        if (port) s.port = *port;
    }
    return s;
}

inline running_server start_reference_server(const std::string& fault = "none")
{
    return start_server({wsharness_binary(), "serve", "--port", "0", "--fault", fault});
}

}  // namespace wsh::test
