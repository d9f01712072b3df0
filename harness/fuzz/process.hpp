// SPDX-License-Identifier: MIT
// The target the network fuzzer starts itself (--exec): one shell command in its own process
// group, restarted after a crash, stopped at the end.
#pragma once

#include <string>
#include <sys/types.h>

namespace wsh::fuzz {

class target_process {
public:
    explicit target_process(std::string command) : command_(std::move(command)) {}
    ~target_process() { stop(); }
    target_process(const target_process&) = delete;
    target_process& operator=(const target_process&) = delete;

    void start();                      // runs `sh -c command` in a new process group
    void stop() noexcept;              // SIGTERM to the group, then SIGKILL after 2 s
    [[nodiscard]] bool is_running();   // false once the process has exited (reaped)

private:
    std::string command_;
    pid_t pid_ = -1;
};

}  // namespace wsh::fuzz
