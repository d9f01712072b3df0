// SPDX-License-Identifier: MIT
// Autobahn category 4, Opcodes: a frame with a reserved opcode (3-7 non-control, 11-15
// control) must fail the connection.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

// One sub-category: 4.1 uses opcodes 3..7, 4.2 uses 11..15.
struct opcode_family {
    int sub;
    std::uint8_t first;
    const char* kind;
};

test_case opcode_case(const opcode_family& f, int index, step write, std::vector<outcome> outcomes,
                      std::string summary)
{
    return test_case{
        .id = fmt::format("4.{}.{}", f.sub, index),
        .section = "5.2",
        .summary = std::move(summary),
        .requirement = "If an unknown opcode is received, the receiving endpoint MUST _Fail the "
                       "WebSocket Connection_ (RFC 6455 §5.2)",
        .requirement_level = level::must,
        .script = {std::move(write), kill_after(1s)},
        .outcomes = std::move(outcomes),
        .close = target_fails({1002}),
    };
}

std::vector<test_case> family(const opcode_family& f)
{
    auto reserved = data("reserved opcode payload");
    auto hello = data("Hello, world!");
    auto op = [&](int index) { return static_cast<std::uint8_t>(f.first + index - 1); };
    // After a valid text: its echo may come back (OK) or the target may fail first (NON-STRICT).
    std::vector<outcome> echo_or_none{{behavior::ok, {text_message(hello)}},
                                      {behavior::non_strict, {}}};
    return {
        opcode_case(
            f, 1, send({frame(op(1), data(""))}), {{behavior::ok, {}}},
            fmt::format("Send an empty frame with the reserved {} opcode {}; expect the target "
                        "to fail the connection",
                        f.kind, op(1))),
        opcode_case(
            f, 2, send({frame(op(2), reserved)}), {{behavior::ok, {}}},
            fmt::format("Send a frame with the reserved {} opcode {} and a payload; expect the "
                        "target to fail the connection",
                        f.kind, op(2))),
        opcode_case(
            f, 3, send({text(hello), frame(op(3), data("")), ping()}), echo_or_none,
            fmt::format("Send a text, an empty frame with opcode {}, a Ping; expect the echo "
                        "at most, no Pong, and a failed connection",
                        op(3))),
        opcode_case(
            f, 4, send({text(hello), frame(op(4), hello), ping()}), echo_or_none,
            fmt::format("Send a text, a frame with opcode {} and a payload, a Ping; expect the "
                        "echo at most, no Pong, and a failed connection",
                        op(4))),
        opcode_case(f, 5, send_chopped({text(hello), frame(op(5), hello), ping()}, 1), echo_or_none,
                    fmt::format("As 4.{}.4 with opcode {}, one octet per write", f.sub, op(5))),
    };
}

}  // namespace

std::vector<test_case> opcodes()
{
    std::vector<test_case> cases;
    for (const auto& f : {opcode_family{1, 3, "non-control"}, opcode_family{2, 11, "control"}}) {
        auto part = family(f);
        std::move(part.begin(), part.end(), std::back_inserter(cases));
    }
    return cases;
}

}  // namespace wsh::cases
