// SPDX-License-Identifier: MIT
#include "process.hpp"

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <regex>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wsh::test {

child_process::child_process(std::vector<std::string> argv)
{
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        setpgid(0, 0);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    setpgid(pid_, pid_);
    close(fds[1]);
    out_ = fds[0];
}

child_process::~child_process()
{
    terminate();
    if (out_ >= 0) close(out_);
}

void child_process::terminate()
{
    if (pid_ <= 0 || exited_) return;
    kill(-pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            exited_ = true;
            return;
        }
        usleep(20000);
    }
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    exited_ = true;
}

std::optional<std::string> child_process::read_line(std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto nl = buffer_.find('\n');
        if (nl != std::string::npos) {
            auto line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{out_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[4096];
        auto n = read(out_, chunk, sizeof chunk);
        if (n <= 0) {
            if (buffer_.empty()) return std::nullopt;
            auto line = buffer_;
            buffer_.clear();
            return line;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

std::optional<std::string> child_process::wait_for(const std::string& text, std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto line = read_line(left);
        if (!line) return std::nullopt;
        if (line->find(text) != std::string::npos) return line;
    }
    return std::nullopt;
}

int child_process::wait(std::chrono::milliseconds timeout, std::string* output)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto line = read_line(left);
        if (!line) break;
        if (output) *output += *line + "\n";
    }
    if (exited_) return status_;  // reaped by poll_exit
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        rusage usage{};
        if (wait4(pid_, &status, WNOHANG, &usage) == pid_) {
            exited_ = true;
            peak_rss_kib_ = usage.ru_maxrss;
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return status_;
        }
        usleep(10000);
    }
    return -1;
}

bool child_process::poll_exit()
{
    while (!eof_) {
        pollfd p{out_, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0) break;
        char chunk[4096];
        auto n = read(out_, chunk, sizeof chunk);
        if (n <= 0) {
            eof_ = true;
            break;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    if (!exited_) {
        int status = 0;
        rusage usage{};
        if (wait4(pid_, &status, WNOHANG, &usage) == pid_) {
            exited_ = true;
            peak_rss_kib_ = usage.ru_maxrss;
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
    }
    return exited_ && eof_;
}

std::vector<int> wait_all(const std::vector<child_process*>& children, std::chrono::milliseconds timeout,
                          const std::vector<child_process*>& drained)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        bool all_done = true;
        std::vector<pollfd> fds;
        for (auto* c : children) {
            if (!c->poll_exit()) all_done = false;
            fds.push_back(pollfd{c->open_stdout(), POLLIN, 0});
        }
        for (auto* d : drained) {
            d->poll_exit();
            fds.push_back(pollfd{d->open_stdout(), POLLIN, 0});
        }
        if (all_done || std::chrono::steady_clock::now() >= deadline) break;
        // Woken by output; a child that exits closes its pipe, which wakes us too.
        poll(fds.data(), fds.size(), 100);
    }
    std::vector<int> status;
    for (auto* c : children) status.push_back(c->poll_exit() ? c->status() : -1);
    return status;
}

std::optional<int> port_from_line(const std::string& line)
{
    std::smatch m;
    static const std::regex port_at_end(R"(:(\d+)/)");
    if (std::regex_search(line, m, port_at_end)) return std::stoi(m[1]);
    static const std::regex plain(R"(listening on (\d+))");
    if (std::regex_search(line, m, plain)) return std::stoi(m[1]);
    return std::nullopt;
}

}  // namespace wsh::test
