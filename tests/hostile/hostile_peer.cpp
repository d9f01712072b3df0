// SPDX-License-Identifier: MIT
// A scripted hostile WebSocket server for the tests of issue 10: each mode is one way a target
// can be slow, silent, broken or malicious. `hostile_peer MODE` listens on a free loopback port,
// prints "listening on PORT", then a line per connection, and serves each with MODE until killed.
// Plain blocking POSIX sockets, a thread per connection: this is a fixture, not a server.
#include "handshake/handshake.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;

// Writes all of `data`; false once the peer is gone.
bool write_all(int fd, const void* data, std::size_t size)
{
    auto* p = static_cast<const char*>(data);
    while (size > 0) {
        auto n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool write_all(int fd, const std::string& s) { return write_all(fd, s.data(), s.size()); }

// Reads the client's request head; returns its Sec-WebSocket-Key ("" if the head never ended).
std::string read_request(int fd)
{
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
        if (::recv(fd, &c, 1, 0) != 1) return "";
        head += c;
    }
    auto at = head.find("Sec-WebSocket-Key:");
    if (at == std::string::npos) return "";
    auto end = head.find("\r\n", at);
    auto key = head.substr(at + 18, end - at - 18);
    while (!key.empty() && key.front() == ' ') key.erase(0, 1);
    return key;
}

std::string switching_protocols(const std::string& key)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " + wsh::handshake::compute_accept(key) + "\r\n\r\n";
}

bool upgrade(int fd)
{
    auto key = read_request(fd);
    return !key.empty() && write_all(fd, switching_protocols(key));
}

// Holds the connection open, reading nothing, until the process is killed.
void hold(int) { for (;;) std::this_thread::sleep_for(1h); }

// Reads and discards everything the client sends (so our own writes never deadlock).
void drain_in_background(int fd)
{
    std::thread([fd] {
        std::array<char, 65536> sink{};
        while (::recv(fd, sink.data(), sink.size(), 0) > 0) {}
    }).detach();
}

// A server-to-client frame header (unmasked, RFC 6455 §5.2) with a 64-bit length.
std::string header64(std::uint8_t first, std::uint64_t length)
{
    std::string h{static_cast<char>(first), static_cast<char>(127)};
    for (int shift = 56; shift >= 0; shift -= 8) h += static_cast<char>((length >> shift) & 0xff);
    return h;
}

void silent(int fd) { hold(fd); }  // accepts TCP and never answers

void half_open(int fd)  // the peer vanishes after the handshake: no FIN, no RST, no reads
{
    if (upgrade(fd)) hold(fd);
}

void fin_mid_handshake(int fd)
{
    read_request(fd);
    write_all(fd, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: webs");
    ::shutdown(fd, SHUT_WR);
    hold(fd);
}

void rst_mid_frame(int fd)
{
    if (!upgrade(fd)) return;
    write_all(fd, std::string("\x81\x7e\x10\x00", 4) + std::string(100, 'x'));  // 4096 announced
    std::this_thread::sleep_for(100ms);
    linger l{1, 0};  // close with a reset
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

void garbage_after_101(int fd)
{
    if (!upgrade(fd)) return;
    drain_in_background(fd);
    std::string garbage(65536, '\0');
    std::uint32_t x = 2463534242u;  // xorshift32: the same garbage every run
    for (auto& c : garbage) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        c = static_cast<char>(x);
    }
    garbage[0] = static_cast<char>(0xf3);  // reserved opcode, reserved bits: never a valid frame
    write_all(fd, garbage);
    hold(fd);
}

void no_head_end(int fd)  // a response head that never ends
{
    read_request(fd);
    write_all(fd, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n");
    hold(fd);
}

void endless_headers(int fd)
{
    read_request(fd);
    write_all(fd, "HTTP/1.1 101 Switching Protocols\r\n");
    for (std::uint64_t i = 0;; ++i)
        if (!write_all(fd, "X-Header-" + std::to_string(i) + ": " + std::string(64, 'h') + "\r\n")) return;
}

void flood(int fd)  // text messages as fast as TCP takes them
{
    if (!upgrade(fd)) return;
    drain_in_background(fd);
    std::string frames;
    for (int i = 0; i < 1024; ++i) frames += std::string("\x81\x05""flood", 7);
    while (write_all(fd, frames)) {}
}

void huge_length(int fd)  // declares 2^63-1 payload bytes (the largest legal length) and sends them
{
    if (!upgrade(fd)) return;
    drain_in_background(fd);
    write_all(fd, header64(0x82, (std::uint64_t{1} << 63) - 1));
    std::string payload(65536, 'p');
    while (write_all(fd, payload)) {}
}

void endless_fragments(int fd)  // a text message whose final fragment never comes
{
    if (!upgrade(fd)) return;
    drain_in_background(fd);
    write_all(fd, std::string("\x01\x01" "a", 3));
    std::string fragments;
    for (int i = 0; i < 1024; ++i) fragments += std::string("\x00\x7e\x04\x00", 4) + std::string(1024, 'a');
    while (write_all(fd, fragments)) {}
}

const std::map<std::string, std::function<void(int)>> modes{
    {"silent", silent},
    {"half-open", half_open},
    {"fin-mid-handshake", fin_mid_handshake},
    {"rst-mid-frame", rst_mid_frame},
    {"garbage-after-101", garbage_after_101},
    {"no-head-end", no_head_end},
    {"endless-headers", endless_headers},
    {"flood", flood},
    {"huge-length", huge_length},
    {"endless-fragments", endless_fragments},
};

}  // namespace

int main(int argc, char** argv)
{
    auto mode = argc == 2 ? modes.find(argv[1]) : modes.end();
    if (mode == modes.end()) {
        std::fprintf(stderr, "usage: hostile_peer MODE; modes:");
        for (const auto& [name, run] : modes) std::fprintf(stderr, " %s", name.c_str());
        std::fprintf(stderr, "\n");
        return 2;
    }
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 64) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        std::perror("hostile_peer");
        return 1;
    }
    std::printf("listening on %u\n", ntohs(addr.sin_port));
    std::fflush(stdout);
    for (;;) {
        int fd = ::accept(listener, nullptr, nullptr);
        if (fd < 0) continue;
        std::printf("accepted a connection\n");  // tests wait for this: a case is in flight
        std::fflush(stdout);
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::thread(mode->second, fd).detach();
    }
}
