// SPDX-License-Identifier: MIT
// Category 24, Robustness, testing a server: inputs that are legal but costly or slow (many tiny
// fragments, a header trickling in, a message over the target's limit). The target may refuse
// them within its limits (RFC 6455 §10.4) but must never crash or hang.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr const char* limit_rule =
    "Implementations SHOULD impose limits on frame sizes and on the total message size after "
    "reassembly from multiple frames, to protect against a peer sending large messages "
    "(RFC 6455 §10.4); going over them is answered with 1009 (§7.4.1)";
constexpr const char* fragment_rule =
    "A message MAY be fragmented into any number of frames; the receiver reassembles them "
    "(RFC 6455 §5.4)";

// Either the echo comes back (the tester closes) or the target refuses within its limits.
close_expectation echo_or_refusal()
{
    return close_expectation{.codes = {1000, 1008, 1009}, .require_clean = false, .either_may_close = true};
}

test_case many_fragments()
{
    constexpr std::size_t count = 10000;
    auto one = data("*");
    std::vector<frame_item> frames{text(one, false)};
    for (std::size_t i = 1; i + 1 < count; ++i) frames.push_back(continuation(one, false));
    frames.push_back(continuation(one, true));
    return test_case{
        .id = "24.1.1",
        .section = "5.4",
        .summary = "Send a 10000-byte text message as 10000 one-byte frames; expect the echo or 1008/1009",
        .requirement = fragment_rule,
        .applies_to = roles::server,
        .script = {send(std::move(frames)), kill_after(5s)},
        .outcomes = {{behavior::ok, {text_message(repeated("*", count))}}, {behavior::ok, {}, true}},
        .close = echo_or_refusal(),
    };
}

test_case trickled_header()
{
    auto hello = data("Hello, slow world");
    return test_case{
        .id = "24.1.2",
        .section = "5.2",
        .summary = "Send a text frame one byte per write, 50 ms apart; expect the echo",
        .requirement = "A frame may arrive in any number of TCP segments; the receiver waits for the "
                       "rest of the header and payload (RFC 6455 §5.2)",
        .applies_to = roles::server,
        .script = {send_step{.frames = {text(hello)}, .chop = 1, .gap = 50ms}, kill_after(2s)},
        .outcomes = {{behavior::ok, {text_message(hello)}}},
        .close = tester_closes(),
    };
}

test_case over_limit()
{
    constexpr std::size_t fragment = 4u << 20;
    constexpr std::size_t fragments = 18;  // 72 MiB: over the usual 64 MiB limits
    auto piece = filled(fragment, 0xfe);
    std::vector<frame_item> frames{binary(piece, false)};
    for (std::size_t i = 1; i + 1 < fragments; ++i) frames.push_back(continuation(piece, false));
    frames.push_back(continuation(piece, true));
    return test_case{
        .id = "24.1.3",
        .section = "10.4",
        .summary = "Send a 72 MiB binary message in 4 MiB fragments; expect 1009 (or the echo, within a larger limit)",
        .requirement = limit_rule,
        .requirement_level = level::should,
        .applies_to = roles::server,
        .script = {send_sync(std::move(frames)), kill_after(20s)},
        .outcomes = {{behavior::ok, {}, true}, {behavior::ok, {event{.what = event::kind::message, .binary = true, .size_only = fragment * fragments}}}},
        .close = echo_or_refusal(),
        .judged_by = judge::length_only,
        .wirelog = false,
    };
}

}  // namespace

std::vector<test_case> robustness()
{
    return {many_fragments(), trickled_header(), over_limit()};
}

}  // namespace wsh::cases
