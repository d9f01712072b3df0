// SPDX-License-Identifier: MIT
// Category 23, Length encoding and limits (RFC 6455 §5.2, §7.4, §10.4): non-minimal and
// oversized length fields, lengths declared but never sent, close codes Autobahn does not try
// (1012-1015) and close reasons at the 123-byte boundary.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr const char* minimal_rule =
    "The minimal number of bytes MUST be used to encode the length (RFC 6455 §5.2). The rule binds "
    "the sender; a receiver that refuses a non-minimal length is stricter, one that accepts it is "
    "lenient (SHOULD-level here)";
constexpr const char* top_bit_rule =
    "In the 64-bit length form the most significant bit MUST be 0 (RFC 6455 §5.2)";
constexpr const char* limit_rule =
    "Implementations SHOULD impose limits on frame and message sizes and close with 1009 when a "
    "peer goes over them (RFC 6455 §10.4, §7.4.1)";

frame_item with_form(frame_item f, codec::length_form form)
{
    f.spec.form = form;
    return f;
}

// A text frame with a non-minimal length, then a ping: refusing it (the target closes first) is
// OK, echoing it is NON-STRICT, ignoring it silently is FAILED.
test_case non_minimal(std::string id, std::string summary, codec::length_form form, std::size_t size)
{
    auto p = repeated("*", size);
    auto probe = data("probe");
    return test_case{
        .id = std::move(id),
        .section = "5.2",
        .summary = std::move(summary),
        .requirement = minimal_rule,
        .requirement_level = level::should,
        .applies_to = roles::server,
        .script = {send({with_form(text(p), form), ping(probe)}), close_after(1s)},
        // The echo comes from the application and the pong from the library: either may be first.
        .outcomes = {{behavior::ok, {}, true},
                     {behavior::non_strict, {text_message(p), pong_event(probe)}},
                     {behavior::non_strict, {pong_event(probe), text_message(p)}}},
        .close = close_expectation{.codes = {1000, 1002}, .require_clean = false, .either_may_close = true},
    };
}

// A frame header declaring `declared` bytes, followed by a few of them and then nothing.
test_case declared_only(std::string id, std::string summary, std::uint64_t declared)
{
    return test_case{
        .id = std::move(id),
        .section = "10.4",
        .summary = std::move(summary),
        .requirement = limit_rule,
        .requirement_level = level::should,
        .applies_to = roles::server,
        .script = {begin_frame(0x2, declared, true), frame_data(filled(16, 0xfe)), kill_after(2s)},
        .outcomes = {{behavior::ok, {}, true}, {behavior::non_strict, {}}},
        .close = close_expectation{.codes = {1000, 1001, 1002, 1008, 1009}, .require_clean = false,
                                   .either_may_close = true},
    };
}

std::vector<test_case> length_cases()
{
    using codec::length_form;
    return {
        non_minimal("23.1.1", "Send 5 bytes of text with a 16-bit length; expect a refusal (or an echo: lenient)",
                    length_form::len16, 5),
        non_minimal("23.1.2", "Send 5 bytes of text with a 64-bit length; expect a refusal (or an echo: lenient)",
                    length_form::len64, 5),
        non_minimal("23.1.3", "Send 200 bytes of text with a 64-bit length; expect a refusal (or an echo: lenient)",
                    length_form::len64, 200),
        test_case{
            .id = "23.2.1",
            .section = "5.2",
            .summary = "Declare a 64-bit length with the top bit set; expect the target to fail the connection",
            .requirement = top_bit_rule,
            .applies_to = roles::server,
            .script = {begin_frame(0x2, (std::uint64_t{1} << 63) + 5, true), frame_data(data("Hello")),
                       kill_after(1s)},
            .outcomes = {{behavior::ok, {}, true}},
            .close = target_fails({1002, 1009}),
        },
        declared_only("23.3.1", "Declare a 2^31-byte binary frame, send 16 bytes; expect 1009 or a drop", 1ull << 31),
        declared_only("23.3.2", "Declare a 2^32+5-byte binary frame, send 16 bytes; expect 1009 or a drop",
                      (1ull << 32) + 5),
        declared_only("23.3.3", "Declare a 2^63-1-byte binary frame, send 16 bytes; expect 1009 or a drop",
                      (1ull << 63) - 1),
    };
}

constexpr const char* registered_rule =
    "1012 (Service Restart), 1013 (Try Again Later) and 1014 (Bad Gateway) are registered in the "
    "IANA close code registry (RFC 6455 §7.4.2, §11.7); 1015 MUST NOT be set in a Close frame (§7.4.1)";
constexpr const char* reason_rule =
    "The close reason is UTF-8 and the close payload at most 125 bytes (RFC 6455 §5.5, §5.5.1)";

test_case close_case(std::string id, std::string summary, frame_item close, close_expectation expected,
                     const char* rule)
{
    return test_case{
        .id = std::move(id),
        .section = "7.4.1",
        .summary = std::move(summary),
        .requirement = rule,
        .applies_to = roles::server,
        .script = {send({std::move(close)}), kill_after(1s)},
        .outcomes = {{behavior::ok, {}}},
        .close = std::move(expected),
        .wrong_code_fails = true,
    };
}

std::vector<test_case> close_cases()
{
    std::vector<test_case> cases;
    int index = 0;
    for (std::uint16_t code : {1012, 1013, 1014})
        cases.push_back(close_case(fmt::format("23.4.{}", ++index),
                                   fmt::format("Close with the registered code {}; expect a clean close (1000 or {})",
                                               code, code),
                                   close_frame(code), tester_closes({1000, code}), registered_rule));
    cases.push_back(close_case("23.4.4", "Close with code 1015 (never on the wire); expect a fail with 1002",
                               close_frame(1015), tester_closes({1002}, false), registered_rule));
    cases.push_back(close_case("23.5.1", "Close with a 123-byte reason ending in a 2-byte character; expect a clean close",
                               close_frame(1000, std::string(121, '*') + "\xc3\xa9"), tester_closes(), reason_rule));
    cases.push_back(close_case("23.5.2",
                               "Close with a 123-byte reason cut inside a 2-byte character; expect a fail (1002 or 1007)",
                               close_frame(1000, std::string(122, '*') + "\xc3"), tester_closes({1002, 1007}, false),
                               reason_rule));
    return cases;
}

constexpr const char* control_rule =
    "All control frames MUST have a payload length of 125 bytes or less (RFC 6455 §5.5)";

std::vector<test_case> control_cases()
{
    return {
        test_case{
            .id = "23.6.1",
            .section = "5.5",
            .summary = "Send an unsolicited 125-byte pong; expect nothing back and a clean close",
            .requirement = control_rule,
            .applies_to = roles::server,
            .script = {send({pong(filled(125, 0xfe)), close_frame(1000)}), kill_after(1s)},
            .outcomes = {{behavior::ok, {}}},
            .close = tester_closes(),
        },
        test_case{
            .id = "23.6.2",
            .section = "5.5",
            .summary = "Send a 126-byte pong; expect the target to fail the connection",
            .requirement = control_rule,
            .applies_to = roles::server,
            .script = {send({pong(filled(126, 0xfe))}), kill_after(1s)},
            .outcomes = {{behavior::ok, {}, true}},
            .close = target_fails({1002}),
        },
    };
}

}  // namespace

std::vector<test_case> lengths_and_limits()
{
    std::vector<test_case> all;
    for (auto part : {length_cases, close_cases, control_cases}) {
        auto cases = part();
        std::move(cases.begin(), cases.end(), std::back_inserter(all));
    }
    return all;
}

}  // namespace wsh::cases
