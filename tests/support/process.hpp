// SPDX-License-Identifier: MIT
// A child process for end-to-end tests: started with a pipe on its stdout, killed (process
// group) when the object dies, so a failing test never leaves a server running.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace wsh::test {

class child_process {
public:
    explicit child_process(std::vector<std::string> argv);
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    // Next line of stdout (without the newline), or nullopt on EOF or timeout.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    // Reads lines until one contains `text`; returns it.
    std::optional<std::string> wait_for(const std::string& text, std::chrono::milliseconds timeout);
    // All remaining stdout until EOF (or timeout); then the exit status (-1 on timeout).
    int wait(std::chrono::milliseconds timeout, std::string* output = nullptr);
    void terminate();
    // Peak resident set size of the exited child in KiB (getrusage's ru_maxrss), 0 before.
    [[nodiscard]] long peak_rss_kib() const noexcept { return peak_rss_kib_; }

    // Without blocking: keeps what stdout holds now (for read_line) and reaps the process if it
    // has exited. True once it has exited and its stdout is at EOF; status() is then its exit status.
    bool poll_exit();
    [[nodiscard]] int status() const noexcept { return status_; }
    // The stdout pipe while it can still deliver data, -1 at EOF (poll() skips it).
    [[nodiscard]] int open_stdout() const noexcept { return eof_ ? -1 : out_; }

private:
    bool eof_ = false;
    pid_t pid_ = -1;
    int out_ = -1;
    std::string buffer_;
    bool exited_ = false;
    int status_ = -1;
    long peak_rss_kib_ = 0;
};

// Waits for every child of `children` to exit, reading all their stdout meanwhile, and the
// stdout of `drained` too (a server that prints while the children run must never block on a
// full pipe). Exit statuses in order; -1 for a child still running at the timeout.
std::vector<int> wait_all(const std::vector<child_process*>& children, std::chrono::milliseconds timeout,
                          const std::vector<child_process*>& drained = {});

// Starts a server whose first output line says "listening on ...PORT" and returns the port.
std::optional<int> port_from_line(const std::string& line);

}  // namespace wsh::test
