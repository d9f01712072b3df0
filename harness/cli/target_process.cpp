// SPDX-License-Identifier: MIT
#include "target_process.hpp"

#include "suite/runner.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace wsh::cli {

target_process::target_process(const std::string& command, const std::filesystem::path& stderr_file, bool append)
    : stderr_file_(stderr_file)
{
    if (stderr_file.has_parent_path()) std::filesystem::create_directories(stderr_file.parent_path());
    int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0644);
    if (err < 0) throw std::runtime_error("cannot create " + stderr_file.string());
    pid_ = ::fork();
    if (pid_ == 0) {
        ::setpgid(0, 0);
        ::dup2(STDERR_FILENO, STDOUT_FILENO);
        ::dup2(err, STDERR_FILENO);
        ::dup2(::open("/dev/null", O_RDONLY), STDIN_FILENO);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(err);
    if (pid_ < 0) throw std::runtime_error("cannot start the target: fork failed");
    ::setpgid(pid_, pid_);
}

target_process::~target_process() { stop(); }

bool target_process::has_exited()
{
    if (reaped_) return true;
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
    return reaped_;
}

std::string target_process::exit_description() const
{
    if (!reaped_) return "";
    if (WIFSIGNALED(status_)) return "killed by signal " + std::to_string(WTERMSIG(status_));
    return "exit status " + std::to_string(WEXITSTATUS(status_));
}

bool target_process::wait_until_listening(const transport::ws_url& url, suite::millis timeout, std::string& error)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::string attempt;
        if (suite::probe_target(url, suite::millis(500), attempt)) return true;
        if (has_exited()) {
            error = "the target exited before accepting connections";
            return false;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            error = "the target did not accept connections within " +
                    std::to_string(timeout.count() / 1000.0).substr(0, 5) + " s (" + attempt + ")";
            return false;
        }
        std::this_thread::sleep_for(suite::millis(100));
    }
}

void target_process::stop(suite::millis grace)
{
    if (pid_ <= 0 || reaped_) return;
    ::kill(-pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (!has_exited() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(suite::millis(20));
    ::kill(-pid_, SIGKILL);
    if (!reaped_) ::waitpid(pid_, nullptr, 0);
    reaped_ = true;
}

std::string target_process::stderr_text() const
{
    std::ifstream in(stderr_file_);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace wsh::cli
