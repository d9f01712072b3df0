// SPDX-License-Identifier: MIT
#include "fuzz/process.hpp"

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace wsh::fuzz {

void target_process::start()
{
    stop();
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("--exec: fork failed");
    if (pid == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    setpgid(pid, pid);
    pid_ = pid;
}

bool target_process::is_running()
{
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == 0) return true;
    kill(-pid_, SIGKILL);  // the shell is gone: take what it left in its group with it
    pid_ = -1;
    return false;
}

void target_process::stop() noexcept
{
    if (pid_ <= 0) return;
    kill(-pid_, SIGTERM);
    for (int i = 0; i < 200; ++i) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) != 0) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(-pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
}

}  // namespace wsh::fuzz
