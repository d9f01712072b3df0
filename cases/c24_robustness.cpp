// SPDX-License-Identifier: MIT
// Category 24, Robustness, testing a server: inputs that are legal but costly or slow (many tiny
// fragments, a header trickling in, a message over the target's limit). The target may refuse
// them within its limits (RFC 6455 §10.4) but must never crash or hang. 24.2: frames that reach
// the target after its own Close.
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

// ---- after the Close (24.2) ----------------------------------------------------------------

constexpr const char* no_data_after_close =
    "The application MUST NOT send any more data frames after sending a Close frame "
    "(RFC 6455 §5.5.1); what an endpoint does with frames that arrive after its own Close is not "
    "specified: ignoring them and closing the TCP connection are both accepted";

test_case data_after_targets_close()
{
    auto late = data("after the Close");
    return test_case{
        .id = "24.2.1",
        .section = "5.5.1",
        .summary = "Send Close 1000; when the target's Close arrives, send a text message; expect no echo",
        .requirement = no_data_after_close,
        .applies_to = roles::server,
        .script = {send({close_frame(codec::close_code::normal_closure)})},
        .outcomes = {{behavior::ok, {}}},
        .close = tester_closes(),
        .after_target_close = {text(late)},
    };
}

test_case second_close()
{
    return test_case{
        .id = "24.2.2",
        .section = "5.5.1",
        .summary = "Send Close 1000; when the target's Close arrives, send a second Close; expect one Close only",
        .requirement = "If an endpoint receives a Close frame and did not previously send a Close frame, "
                       "the endpoint MUST send a Close frame in response (RFC 6455 §5.5.1): one Close per "
                       "endpoint; a second answer breaks no MUST, so it is NON-STRICT",
        .requirement_level = level::should,
        .applies_to = roles::server,
        .script = {send({close_frame(codec::close_code::normal_closure)})},
        .outcomes = {{behavior::ok, {}}},
        .close = tester_closes(),
        .after_target_close = {raw(close_frame(codec::close_code::normal_closure))},
        .max_target_closes = 1,
    };
}

test_case ping_after_failing()
{
    return test_case{
        .id = "24.2.3",
        .section = "7.1.7",
        .summary = "Send a frame with reserved opcode 3; when the target's Close 1002 arrives, answer it and "
                   "send a Ping; expect no Pong",
        .requirement = "An endpoint MUST NOT continue to attempt to process data (including a responding "
                       "Close frame) from the remote endpoint after being instructed to Fail the WebSocket "
                       "Connection (RFC 6455 §7.1.7)",
        .applies_to = roles::server,
        .script = {send({frame(3, {})}), kill_after(1s)},
        .outcomes = {{behavior::ok, {}}},
        .close = target_fails({codec::close_code::protocol_error}),
        .after_target_close = {ping(data("after the Close"))},
    };
}

}  // namespace

std::vector<test_case> robustness()
{
    return {many_fragments(), trickled_header(), over_limit(), data_after_targets_close(), second_close(),
            ping_after_failing()};
}

}  // namespace wsh::cases
