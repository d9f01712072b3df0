// SPDX-License-Identifier: MIT
// Autobahn categories 12 and 13, permessage-deflate (RFC 7692; autobahn.md §1.11): 1000
// compressed messages cut from a payload file, sent one at a time, each echo compared with
// what was sent. 12.x varies the payload, 13.x the negotiated parameters. Without the
// extension the tester closes at once and the verdict is UNIMPLEMENTED.
#include "cases/catalogue.hpp"
#include "cases/compression_data.hpp"
#include "suite/dsl.hpp"
#include "suite/negotiate.hpp"

#include <fmt/format.h>

#include <array>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

struct message_plan {
    std::size_t size;
    int wait_s;
    std::size_t fragment;
};

// Autobahn's MSG_SIZES: the 18 cases of every sub-category.
constexpr std::array<message_plan, 18> plans{{
    {16, 60, 0},         {64, 60, 0},         {256, 120, 0},       {1024, 240, 0},
    {4096, 480, 0},      {8192, 480, 0},      {16384, 480, 0},     {32768, 480, 0},
    {65536, 480, 0},     {131072, 480, 0},    {8192, 480, 256},    {16384, 480, 256},
    {32768, 480, 256},   {65536, 480, 256},   {131072, 480, 256},  {131072, 480, 1024},
    {131072, 480, 4096}, {131072, 480, 32768},
}};

constexpr std::size_t rounds = 1000;

// What Autobahn asks for: (requestNoContextTakeover, requestMaxWindowBits) of the server as a
// client, and of the client as a server.
struct parameters {
    bool no_context_takeover = false;
    int max_window_bits = 0;
};

codec::deflate_params offer(parameters p)
{
    // Autobahn's offers always allow client_no_context_takeover and client_max_window_bits.
    codec::deflate_params o{.client_no_context_takeover = true, .client_max_window_bits = true};
    o.server_no_context_takeover = p.no_context_takeover;
    if (p.max_window_bits) o.server_max_window_bits = p.max_window_bits;
    return o;
}

deflate_setup setup(std::initializer_list<parameters> ps)
{
    deflate_setup d;
    d.answers.clear();
    for (auto p : ps) {
        d.offers.push_back(offer(p));
        d.answers.push_back({.request_client_no_context_takeover = p.no_context_takeover,
                             .request_client_max_window_bits = p.max_window_bits});
    }
    return d;
}

std::string describe(const payload_source& s, const message_plan& m)
{
    return fmt::format("{} compressed {} messages of {} {} cut from {} ({} bytes){}", rounds,
                       s.text ? "text" : "binary", m.size, s.text ? "code points" : "bytes", s.name,
                       s.data.size(),
                       m.fragment ? fmt::format(", in frames of {} bytes after compression", m.fragment)
                                  : std::string(", one frame each"));
}

// What a case costs (issue 11, for the order of a run only): 1 ms per strict round trip, plus
// what compressing and inflating a KiB of the payload took on the build machine: 8 us for text
// that compresses 5:1, 30 us for data that hardly compresses.
std::chrono::microseconds work(const message_plan& m, int us_per_kib)
{
    return std::chrono::microseconds(static_cast<long>(rounds * 1000 + rounds * m.size / 1024 * us_per_kib));
}

test_case compression_case(std::string id, std::shared_ptr<const payload_source> source, const message_plan& m,
                           deflate_setup d, const std::string& parameters_text, int us_per_kib)
{
    return test_case{
        .id = std::move(id),
        .section = "RFC 7692 §7.2",
        .summary = describe(*source, m) + "; offer " + parameters_text,
        .requirement = "A message compressed with permessage-deflate (RSV1 on its first frame, the "
                       "00 00 FF FF tail removed) MUST be decompressed by the receiver; the echo "
                       "equals the message",
        .requirement_level = level::must,
        .script = {close_after(millis(m.wait_s * 1000)),
                   compressed_echo_step{.source = std::move(source), .size = m.size,
                                        .fragment = m.fragment, .count = rounds}},
        .close = tester_closes(),
        .judged_by = judge::echo_rounds,
        .wirelog = false,
        .work_hint = work(m, us_per_kib),
        .deflate = std::move(d),
    };
}

}  // namespace

std::vector<test_case> compression()
{
    std::vector<test_case> cases;
    const std::array sources{json_text(), bitmap_binary(), german_prose(), html_text(), pdf_binary()};
    constexpr std::array<int, 5> us_per_kib{8, 30, 15, 8, 27};
    for (std::size_t j = 0; j < sources.size(); ++j) {
        const auto d = setup({{false, 0}});
        for (std::size_t k = 0; k < plans.size(); ++k)
            cases.push_back(compression_case(fmt::format("12.{}.{}", j + 1, k + 1), sources[j], plans[k], d,
                                             deflate_offer_header(d), us_per_kib[j]));
    }
    const std::array<deflate_setup, 7> setups{
        setup({{false, 0}}), setup({{true, 0}}), setup({{false, 9}}), setup({{false, 15}}),
        setup({{true, 9}}),  setup({{true, 15}}), setup({{true, 9}, {true, 0}, {false, 0}}),
    };
    for (std::size_t j = 0; j < setups.size(); ++j)
        for (std::size_t k = 0; k < plans.size(); ++k)
            cases.push_back(compression_case(fmt::format("13.{}.{}", j + 1, k + 1), json_text(), plans[k],
                                             setups[j], deflate_offer_header(setups[j]), us_per_kib[0]));
    return cases;
}

}  // namespace wsh::cases
