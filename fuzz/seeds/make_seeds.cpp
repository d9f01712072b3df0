// SPDX-License-Identifier: MIT
// Writes the seed corpora of the fuzz targets from the case catalogue's own wire bytes:
//   fuzz_seeds OUT_DIR
// creates OUT_DIR/<target>/<sha1 of content> for every target (scripts/fuzz-seeds runs it).
// A case's frames are unmasked in the catalogue (the tester masks at run time); seeds for a
// server-role decoder are masked here with a fixed key, so the corpus is the same every run.
#include "cases/catalogue.hpp"
#include "codec/close.hpp"
#include "codec/frame_encoder.hpp"
#include "codec/mask.hpp"
#include "handshake/handshake.hpp"

#include <openssl/sha.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace wsh;
using bytes = std::vector<std::uint8_t>;

constexpr std::array<std::uint8_t, 4> seed_key{0x37, 0xfa, 0x21, 0x3d};
constexpr std::size_t max_seed = 8192;  // larger streams (category 9) are left out

std::string sha1_hex(const bytes& data)
{
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(data.data(), data.size(), digest);
    std::string hex;
    for (auto b : digest) {
        char two[3];
        std::snprintf(two, sizeof two, "%02x", b);
        hex += two;
    }
    return hex;
}

class corpus_writer {
public:
    explicit corpus_writer(fs::path root) : root_(std::move(root)) {}
    void add(const std::string& target, const bytes& data)
    {
        if (data.size() > max_seed || !seen_[target].insert(data).second) return;
        fs::create_directories(root_ / target);
        std::ofstream(root_ / target / sha1_hex(data), std::ios::binary)
            .write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
    }
    std::size_t count() const
    {
        std::size_t n = 0;
        for (const auto& [target, set] : seen_) n += set.size();
        return n;
    }

private:
    fs::path root_;
    std::map<std::string, std::set<bytes>> seen_;
};

// The frames a case writes, in order: (spec, payload).
struct seed_frame {
    codec::frame_spec spec;
    bytes payload;
};

std::vector<seed_frame> frames_of(const suite::test_case& c)
{
    std::vector<seed_frame> out;
    auto add = [&](const suite::frame_item& f) {
        if (f.payload && f.payload->size() <= max_seed) out.push_back({f.spec, *f.payload});
    };
    for (const auto& step : suite::full_script(c)) {
        if (const auto* s = std::get_if<suite::send_step>(&step))
            for (const auto& f : s->frames) add(f);
        if (const auto* x = std::get_if<suite::exchange_step>(&step)) add(x->frame);
    }
    return out;
}

bytes stream_of(const std::vector<seed_frame>& frames, bool masked)
{
    bytes out;
    for (auto f : frames) {
        if (masked && !f.spec.mask) f.spec.mask = seed_key;
        if (!masked) f.spec.mask.reset();
        codec::append_frame(out, f.spec, f.payload);
    }
    return out;
}

// frame_round_trip input: header bits, form and mask flag, key, mask-test key, cut, offset, payload.
bytes round_trip_seed(const seed_frame& f)
{
    std::uint8_t bits = std::uint8_t((f.spec.fin ? 0x80 : 0) | (f.spec.rsv << 4) | (f.spec.opcode & 0x0f));
    bytes out{bits, 4, 0x37, 0xfa, 0x21, 0x3d, 1, 2, 3, 4, 5, 3};
    out.insert(out.end(), f.payload.begin(), f.payload.end());
    return out;
}

void add_case(corpus_writer& w, const suite::test_case& c)
{
    auto frames = frames_of(c);
    if (frames.empty()) return;
    auto masked = stream_of(frames, true);
    w.add("frame_decoder", masked);
    w.add("frame_decoder", stream_of(frames, false));
    bytes split = masked;
    split.insert(split.end(), {1, 7, 2, 3});  // three reads of 1, 7, 2 bytes, then the rest
    w.add("frame_chunking", split);
    for (const auto& f : frames) {
        w.add("frame_round_trip", round_trip_seed(f));
        if (f.spec.opcode == 0x1 || f.spec.opcode == 0x0) {
            bytes text = f.payload;
            text.insert(text.end(), {3, 5, 2});  // reads of 3 and 5 bytes, then the rest
            w.add("utf8", text);
        }
        if (f.spec.opcode == 0x8) w.add("close_payload", f.payload);
    }
}

bytes as_bytes(const std::string& s) { return {s.begin(), s.end()}; }

void add_handshakes(corpus_writer& w)
{
    handshake::client_request req{.host = "127.0.0.1:9001", .key = "dGhlIHNhbXBsZSBub25jZQ=="};
    w.add("handshake_request", as_bytes(handshake::build_request(req)));
    req.protocols = {"chat", "superchat"};
    req.extensions = {"permessage-deflate; client_max_window_bits"};
    req.extra = {{"Origin", "http://example.com"}};
    w.add("handshake_request", as_bytes(handshake::build_request(req)));
    handshake::server_response resp{.accept = handshake::compute_accept(req.key)};
    w.add("handshake_response", as_bytes(handshake::build_response(resp)));
    resp.protocol = "chat";
    resp.extensions = "permessage-deflate; server_no_context_takeover";
    w.add("handshake_response", as_bytes(handshake::build_response(resp)));
    w.add("handshake_response", as_bytes(handshake::build_error_response(426, "Upgrade Required")));
    for (const char* e : {"permessage-deflate", "permessage-deflate; client_max_window_bits",
                          "permessage-deflate; server_max_window_bits=10; client_no_context_takeover",
                          "x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=\"15\"",
                          "foo; bar=\"a\\\"b\"; baz"})
        w.add("extensions", as_bytes(e));
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seeds OUT_DIR\n");
        return 2;
    }
    corpus_writer w{fs::path(argv[1])};
    for (const auto& c : cases::catalogue()) add_case(w, c);
    add_handshakes(w);
    std::printf("fuzz_seeds: %zu seeds written under %s\n", w.count(), argv[1]);
    return 0;
}
