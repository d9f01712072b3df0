// SPDX-License-Identifier: MIT
// The target started by wsharness itself (--exec 'CMD'): a shell command in its own process
// group, its stderr kept in a file for the report, stopped (the whole group) when done.
#pragma once

#include "suite/case.hpp"
#include "transport/url.hpp"

#include <filesystem>
#include <string>

#include <sys/types.h>

namespace wsh::cli {

class target_process {
public:
    // Runs `/bin/sh -c command`; its stdout goes to our stderr, its stderr to `stderr_file`.
    target_process(const std::string& command, const std::filesystem::path& stderr_file);
    ~target_process();
    target_process(const target_process&) = delete;
    target_process& operator=(const target_process&) = delete;

    // Polls until `url`'s port accepts a TCP connection; false (with `error`) if the process
    // exited first or `timeout` passed.
    [[nodiscard]] bool wait_until_listening(const transport::ws_url& url, suite::millis timeout, std::string& error);
    // SIGTERM to the group, SIGKILL after `grace`; idempotent.
    void stop(suite::millis grace = suite::millis(3000));
    // What the target wrote on stderr so far.
    [[nodiscard]] std::string stderr_text() const;

private:
    [[nodiscard]] bool has_exited();
    pid_t pid_ = -1;
    bool reaped_ = false;
    std::filesystem::path stderr_file_;
};

}  // namespace wsh::cli
