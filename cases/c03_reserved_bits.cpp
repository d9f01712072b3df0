// SPDX-License-Identifier: MIT
// Autobahn category 3, Reserved bits: with no extension negotiated, a frame with any RSV bit
// set must fail the connection, whatever its opcode and however it is written.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

test_case rsv_case(std::string id, std::string summary, step write, std::vector<outcome> outcomes)
{
    return test_case{
        .id = std::move(id),
        .section = "5.2",
        .summary = std::move(summary),
        .requirement =
            "RSV1, RSV2, RSV3: MUST be 0 unless an extension is negotiated that defines "
            "meanings for non-zero values. If a nonzero value is received and none of the "
            "negotiated extensions defines the meaning of such a nonzero value, the "
            "receiving endpoint MUST _Fail the WebSocket Connection_ (RFC 6455 §5.2)",
        .requirement_level = level::must,
        .script = {std::move(write), kill_after(1s)},
        .outcomes = std::move(outcomes),
        .close = target_fails({1002}),
    };
}

// A valid text, the same text with RSV set, then a Ping: the echo of the first text may come
// back (OK) or the target may fail before echoing it (NON-STRICT); a Pong never.
test_case rsv_after_text_case(std::string id, std::uint8_t rsv, write_mode mode)
{
    auto hello = data("Hello, world!");
    static constexpr const char* how[] = {"in one write", "one frame per write",
                                          "one octet per write"};
    return rsv_case(
        std::move(id),
        fmt::format("Send a valid text, the same text with RSV={}, then a Ping, {}; expect "
                    "the first echo and a failed connection",
                    rsv, how[static_cast<int>(mode)]),
        send_as({text(hello), text(hello, true, rsv), ping()}, mode),
        {{behavior::ok, {text_message(hello)}}, {behavior::non_strict, {}}});
}

}  // namespace

std::vector<test_case> reserved_bits()
{
    auto hello = data("Hello, world!");
    return {
        rsv_case("3.1", "Send a text frame with RSV=1; expect the target to fail the connection",
                 send({text(hello, true, 1)}), {{behavior::ok, {}}}),
        rsv_after_text_case("3.2", 2, write_mode::whole),
        rsv_after_text_case("3.3", 3, write_mode::per_frame),
        rsv_after_text_case("3.4", 4, write_mode::per_octet),
        rsv_case("3.5", "Send a binary frame with RSV=5; expect the target to fail the connection",
                 send({binary(data({0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}), true, 5)}),
                 {{behavior::ok, {}}}),
        // Autobahn's description calls this frame a Ping, but it sends opcode 2 (binary).
        rsv_case("3.6",
                 "Send a binary frame 'Hello, world!' with RSV=6; expect the target to fail the "
                 "connection",
                 send({binary(hello, true, 6)}), {{behavior::ok, {}}}),
        // Written as a plain frame, as Autobahn does: the tester has not started closing, so the
        // target's Close is the first one.
        rsv_case("3.7",
                 "Send an empty Close frame with RSV=7; expect the target to fail the connection",
                 send({raw(close_frame(data(""), 7))}), {{behavior::ok, {}}}),
    };
}

}  // namespace wsh::cases
