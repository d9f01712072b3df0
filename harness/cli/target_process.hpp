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
    // Runs `/bin/sh -c command`; its stdout goes to our stderr, its stderr to `stderr_file`
    // (appended to with `append`: a restarted target keeps the earlier output).
    target_process(const std::string& command, const std::filesystem::path& stderr_file, bool append = false);
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
    // Has the process (the shell running the command) exited? Never blocks.
    [[nodiscard]] bool has_exited();
    // How it exited ("exit status 1", "signal 6"); empty while it runs.
    [[nodiscard]] std::string exit_description() const;

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    int status_ = 0;
    std::filesystem::path stderr_file_;
};

}  // namespace wsh::cli
