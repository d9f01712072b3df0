// SPDX-License-Identifier: MIT
// Helpers of the client-mode tests: a `wsharness test-client` on a free port, its reports read
// back as verdicts, a stored baseline.
#pragma once

#include "../support/reference_server.hpp"

#include <arpa/inet.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wsh::test {

// id -> (behavior, behaviorClose), as index.json has them.
using verdicts = std::map<std::string, std::pair<std::string, std::string>>;

// A fresh report directory under the temp dir, removed when the test is done.
struct scratch_dir {
    std::filesystem::path path;
    explicit scratch_dir(const std::string& name)
        : path(std::filesystem::temp_directory_path() /
               ("wsharness-" + name + "-" + std::to_string(::getpid())))
    {
        std::filesystem::remove_all(path);
    }
    ~scratch_dir() { std::filesystem::remove_all(path); }
};

// Starts `wsharness test-client --listen 127.0.0.1:0 ARGS...`.
inline running_server start_test_client(std::vector<std::string> args)
{
    std::vector<std::string> argv{wsharness_binary(), "test-client", "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), args.begin(), args.end());
    return start_server(std::move(argv));
}

inline std::string base_url(const running_server& s) { return "ws://127.0.0.1:" + std::to_string(s.port); }

// The verdicts of the only agent in an Autobahn index.json (empty if the file is missing).
inline verdicts read_verdicts(const std::filesystem::path& index)
{
    verdicts v;
    std::ifstream in(index);
    if (!in) return v;
    auto j = nlohmann::json::parse(in);
    for (auto& [agent, cases] : j.items())
        for (auto& [id, c] : cases.items())
            v[id] = {c["behavior"].get<std::string>(), c["behaviorClose"].get<std::string>()};
    return v;
}

inline std::string agent_dir(const std::string& agent)
{
    std::string slug;
    for (char c : agent) slug += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return slug;
}

// Does this verdict fail a run? (report::is_failure with strict: NON-STRICT counts.)
inline bool is_failing(const std::pair<std::string, std::string>& v)
{
    return v.first == "FAILED" || v.first == "ERROR" || v.first == "NON-STRICT" ||
           (v.second != "OK" && v.second != "INFORMATIONAL");
}

// One request over a plain TCP connection; everything the server sends until it closes.
inline std::string request_over_tcp(int port, const std::string& request)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string got;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
        char buf[4096];
        for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) got.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return got;
}

inline std::string upgrade(const std::string& target)
{
    return "GET " + target +
           " HTTP/1.1\r\nHost: example.invalid:1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

}  // namespace wsh::test
