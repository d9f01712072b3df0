// SPDX-License-Identifier: MIT
// A scripted hostile WebSocket server for the tests of issue 10: each mode is one way a target
// can be slow, silent, broken or malicious. `hostile_peer MODE` listens on a free loopback port,
// prints "listening on PORT", then a line per connection, and serves each with MODE until killed.
// `hostile_peer client MODE PORT` is the client twin, for `wsharness test-client` (see
// run_client below). Plain blocking POSIX sockets, a thread per connection: this is a fixture,
// not a server.
#include "handshake/handshake.hpp"

#include <arpa/inet.h>
#include <array>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
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

// Every case waits as long as the target can make it: the 101 comes a byte at a time (about
// 1.3 s), then a frame that never ends, a byte every 100 ms; nothing is ever read.
void trickle(int fd)
{
    auto key = read_request(fd);
    if (key.empty()) return;
    for (char c : switching_protocols(key)) {
        if (!write_all(fd, &c, 1)) return;
        std::this_thread::sleep_for(10ms);
    }
    if (!write_all(fd, header64(0x82, 1u << 20))) return;
    while (write_all(fd, "t")) std::this_thread::sleep_for(100ms);
}

// 40 binary messages of 64 KiB (about 5.3 MiB of what wsharness keeps: each message is counted
// while it is reassembled and again as a received event), then silence: under a per-connection
// cap of 8 MiB, over a per-run cap of 12 MiB once three connections do it at once.
void burst(int fd)
{
    if (!upgrade(fd)) return;
    drain_in_background(fd);
    std::string message = header64(0x82, 65536) + std::string(65536, 'b');
    for (int i = 0; i < 40; ++i)
        if (!write_all(fd, message)) return;
    hold(fd);
}

const std::map<std::string, std::function<void(int)>> modes{
    {"trickle", trickle},
    {"burst", burst},
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


// ---- hostile clients of `wsharness test-client` ------------------------------------------
// `hostile_peer client MODE PORT [CASE]` connects to 127.0.0.1:PORT, misbehaves as MODE, and prints
// one line when test-client has ended the connection: what it answered (the status line of an
// HTTP refusal, "101" for an upgrade) and how the connection ended (FIN, RST) after how many
// ms; "still open" if it had not after 30 s. The WebSocket modes ask for /runCase?case=CASE
// (default 1) with the mode as the agent, so the case's verdict is reported under that agent's
// name.

std::string run_case_request(int port, const std::string& agent, int case_number)
{
    return "GET /runCase?case=" + std::to_string(case_number) + "&agent=" + agent + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Version: 13\r\n\r\n";
}

// A client-to-server frame header (masked with the key 0, RFC 6455 §5.3: the payload is then
// sent as is).
std::string masked_header(std::uint8_t first, std::uint64_t length)
{
    std::string h{static_cast<char>(first)};
    if (length < 126) {
        h += static_cast<char>(0x80 | length);
    } else if (length < 65536) {
        h += static_cast<char>(0x80 | 126);
        h += static_cast<char>(length >> 8);
        h += static_cast<char>(length & 0xff);
    } else {
        h += static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) h += static_cast<char>((length >> shift) & 0xff);
    }
    return h + std::string(4, '\0');
}

struct client_end {
    std::atomic<bool> done{false};
    std::string first_line;  // of what test-client sent
    std::string how;         // "FIN" or "RST"
    std::chrono::steady_clock::time_point at;
};

// What test-client sent: the first line of an HTTP answer, or its frames (after the 101) as
// "frames: text 0, close 1002".
std::string describe(const std::string& got)
{
    if (got.empty()) return "nothing";
    if (got.rfind("HTTP/", 0) == 0) return got.substr(0, std::min<std::size_t>(got.find("\r\n"), 60));
    std::string out = "frames:";
    std::size_t at = 0;
    while (at + 2 <= got.size()) {
        auto opcode = static_cast<unsigned char>(got[at]) & 0x0f;
        std::uint64_t length = static_cast<unsigned char>(got[at + 1]) & 0x7f;
        std::size_t header = 2;
        if (length == 126 && at + 4 <= got.size()) {
            length = (static_cast<unsigned char>(got[at + 2]) << 8) | static_cast<unsigned char>(got[at + 3]);
            header = 4;
        } else if (length >= 126) {
            out += " (long frame)";
            break;
        }
        static const std::map<unsigned, std::string> names{{0, "continuation"}, {1, "text"}, {2, "binary"},
                                                           {8, "close"}, {9, "ping"}, {10, "pong"}};
        auto name = names.count(opcode) ? names.at(opcode) : "opcode " + std::to_string(opcode);
        if (opcode == 8 && length >= 2 && at + header + 2 <= got.size())
            name += " " + std::to_string((static_cast<unsigned char>(got[at + header]) << 8) |
                                         static_cast<unsigned char>(got[at + header + 1]));
        else if (opcode != 8)
            name += " " + std::to_string(length);
        out += (out.back() == ':' ? " " : ", ") + name;
        at += header + length;
    }
    return out;
}

// Reads everything test-client sends until it ends the connection.
void watch(int fd, client_end& end)
{
    std::string got;
    std::array<char, 65536> buffer{};
    for (;;) {
        auto n = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (n > 0) {
            if (got.size() < 4096) got.append(buffer.data(), static_cast<std::size_t>(n));
            continue;
        }
        end.how = n == 0 ? "FIN" : (errno == ECONNRESET ? "RST" : std::string("error ") + std::strerror(errno));
        break;
    }
    end.first_line = describe(got);
    end.at = std::chrono::steady_clock::now();
    end.done = true;
}

// Reads the 101 (or whatever comes) up to the end of its head.
bool read_response_head(int fd)
{
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos) {
        if (::recv(fd, &c, 1, 0) != 1) return false;
        head += c;
    }
    return head.rfind("HTTP/1.1 101", 0) == 0;
}

void reset(int fd)
{
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

int run_client(const std::string& mode, int port, int case_number)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::printf("hostile-client %s: cannot connect: %s\n", mode.c_str(), std::strerror(errno));
        return 1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const auto start = std::chrono::steady_clock::now();
    client_end end;
    bool websocket = false;
    std::string upgraded = "no upgrade";
    auto upgrade_to_case = [&] {
        websocket = true;
        write_all(fd, run_case_request(port, mode, case_number));
        if (read_response_head(fd)) upgraded = "101";
    };
    std::thread watcher;
    auto start_watching = [&] { watcher = std::thread(watch, fd, std::ref(end)); };
    if (mode == "silent") {
        start_watching();
    } else if (mode == "endless-headers") {
        start_watching();
        write_all(fd, "GET /getCaseCount HTTP/1.1\r\n");
        for (std::uint64_t i = 0; !end.done; ++i)
            if (!write_all(fd, "X-Header-" + std::to_string(i) + ": " + std::string(64, 'h') + "\r\n")) break;
    } else if (mode == "huge-request") {
        start_watching();
        write_all(fd, "GET /getCaseCount?" + std::string(1 << 20, 'q') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    } else if (mode == "garbage") {
        start_watching();
        std::string garbage(65536, '\0');
        std::uint32_t x = 2463534242u;  // xorshift32: the same garbage every run
        for (auto& c : garbage) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            c = static_cast<char>(x);
        }
        write_all(fd, garbage);
    } else if (mode == "fin-mid-request") {
        start_watching();
        write_all(fd, "GET /runCase?case=1&agent=fin HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr");
        ::shutdown(fd, SHUT_WR);
    } else if (mode == "rst-mid-frame") {
        upgrade_to_case();
        write_all(fd, masked_header(0x81, 4096) + std::string(100, 'x'));  // 4096 announced
        std::this_thread::sleep_for(100ms);
        reset(fd);
        std::printf("hostile-client %s: %s; reset by the client\n", mode.c_str(), upgraded.c_str());
        return 0;
    } else if (mode == "length-2-63") {  // the top bit of a 64-bit length set (§5.2 forbids it)
        upgrade_to_case();
        start_watching();
        write_all(fd, masked_header(0x82, std::uint64_t{1} << 63));
    } else if (mode == "huge-length") {  // 2^63-1 declared (legal), then payload without end
        upgrade_to_case();
        start_watching();
        write_all(fd, masked_header(0x82, (std::uint64_t{1} << 63) - 1));
        std::string payload(65536, 'p');
        while (!end.done && write_all(fd, payload)) {}
    } else if (mode == "endless-fragments") {  // a text message whose final fragment never comes
        upgrade_to_case();
        start_watching();
        write_all(fd, masked_header(0x01, 1) + "a");
        std::string fragments;
        for (int i = 0; i < 64; ++i) fragments += masked_header(0x00, 1024) + std::string(1024, 'a');
        while (!end.done && write_all(fd, fragments)) {}
    } else if (mode == "flood") {  // small text messages as fast as TCP takes them
        upgrade_to_case();
        start_watching();
        std::string frames;
        for (int i = 0; i < 1024; ++i) frames += masked_header(0x81, 5) + "flood";
        while (!end.done && write_all(fd, frames)) {}
    } else if (mode == "burst") {  // 40 binary messages of 64 KiB, then silence (as the server mode)
        upgrade_to_case();
        start_watching();
        std::string message = masked_header(0x82, 65536) + std::string(65536, 'b');
        for (int i = 0; i < 40 && !end.done; ++i)
            if (!write_all(fd, message)) break;
    } else {
        std::fprintf(stderr, "hostile_peer client: unknown mode %s\n", mode.c_str());
        return 2;
    }
    for (int i = 0; i < 300 && !end.done; ++i) std::this_thread::sleep_for(100ms);
    if (!end.done) {
        std::printf("hostile-client %s: still open after 30000 ms\n", mode.c_str());
        std::fflush(stdout);
        std::_Exit(1);
    }
    watcher.join();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(end.at - start).count();
    std::printf("hostile-client %s (case %d): %s; answer '%s'; ended by test-client (%s) after %lld ms\n",
                mode.c_str(), case_number, websocket ? upgraded.c_str() : "http", end.first_line.c_str(),
                end.how.c_str(), static_cast<long long>(ms));
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if ((argc == 4 || argc == 5) && std::string(argv[1]) == "client")
        return run_client(argv[2], std::atoi(argv[3]), argc == 5 ? std::atoi(argv[4]) : 1);
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
