// SPDX-License-Identifier: MIT
// Autobahn category 2, Pings/Pongs: a Ping is answered by a Pong with the same payload, an
// unsolicited Pong is ignored, and a Ping longer than 125 bytes fails the connection.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr const char* pong_rule =
    "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response; the Pong "
    "frame sent in response to a Ping frame must have identical Application data (RFC 6455 "
    "§5.5.2, §5.5.3)";
constexpr const char* unsolicited_rule =
    "A Pong frame MAY be sent unsolicited. This serves as a unidirectional heartbeat. A "
    "response to an unsolicited Pong frame is not expected (RFC 6455 §5.5.3)";

test_case ping_case(std::string id, std::string summary, payload p, step write, millis close_in)
{
    return test_case{
        .id = std::move(id),
        .section = "5.5.2",
        .summary = std::move(summary),
        .requirement = pong_rule,
        .requirement_level = level::must,
        .script = {std::move(write), close_after(close_in)},
        .outcomes = {{behavior::ok, {pong_event(p)}}},
        .close = tester_closes(),
    };
}

test_case unsolicited_case(std::string id, std::string summary, std::vector<frame_item> frames,
                           std::vector<event> expected)
{
    return test_case{
        .id = std::move(id),
        .section = "5.5.3",
        .summary = std::move(summary),
        .requirement = unsolicited_rule,
        .requirement_level = level::must,
        .script = {send(std::move(frames)), close_after(1s)},
        .outcomes = {{behavior::ok, std::move(expected)}},
        .close = tester_closes(),
    };
}

test_case oversized_ping_case()
{
    return test_case{
        .id = "2.5",
        .section = "5.5",
        .summary = "Send a Ping of 126 bytes; expect the target to fail the connection (1002)",
        .requirement = "All control frames MUST have a payload length of 125 bytes or less "
                       "(RFC 6455 §5.5)",
        .requirement_level = level::must,
        .script = {send({ping(filled(126, 0xfe))}), kill_after(1s)},
        .outcomes = {{behavior::ok, {}}},
        .close = target_fails({1002}),
    };
}

// Autobahn wants a Pong for each of the ten Pings, in order; RFC 6455 §5.5.3 lets an endpoint
// answer only the most recent of several unanswered Pings, so a conforming target may fail
// 2.10/2.11. Autobahn's verdict is kept.
test_case ten_pings_case(std::string id, bool octet_wise)
{
    std::vector<frame_item> pings;
    std::vector<event> pongs;
    for (int i = 0; i < 10; ++i) {
        auto p = dsl::data(fmt::format("payload-{}", i));
        pings.push_back(ping(p));
        pongs.push_back(pong_event(p));
    }
    return test_case{
        .id = std::move(id),
        .section = "5.5.3",
        .summary = fmt::format("Send ten Pings back to back{}; expect ten Pongs in order",
                               octet_wise ? ", one octet per write" : ""),
        .requirement =
            "If an endpoint receives a Ping frame and has not yet sent Pong frame(s) "
            "in response to previous Ping frame(s), the endpoint MAY elect to send a "
            "Pong frame for only the most recently processed Ping frame (RFC 6455 §5.5.3)",
        .requirement_level = level::may,
        .script = {octet_wise ? send_chopped(std::move(pings), 1) : send(std::move(pings)),
                   close_after(3s)},
        .outcomes = {{behavior::ok, std::move(pongs)}},
        .close = tester_closes(),
    };
}

}  // namespace

std::vector<test_case> pings()
{
    auto binary8 = data({0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff});
    auto max_control = filled(125, 0xfe);
    auto unsolicited = data("unsolicited pong payload");
    auto ping_payload = data("ping payload");
    std::vector<test_case> cases{
        ping_case("2.1", "Send a Ping without payload; expect a Pong without payload", data(""),
                  send({ping()}), 1s),
        ping_case("2.2", "Send a Ping with the text payload 'Hello, world!'; expect it in the Pong",
                  data("Hello, world!"), send({ping(data("Hello, world!"))}), 1s),
        ping_case("2.3", "Send a Ping with an 8-byte binary payload; expect it in the Pong",
                  binary8, send({ping(binary8)}), 1s),
        ping_case("2.4",
                  "Send a Ping of 125 bytes (the largest control payload); expect it in the Pong",
                  max_control, send({ping(max_control)}), 1s),
        oversized_ping_case(),
        ping_case("2.6", "Send a Ping of 125 bytes one octet per write; expect it in the Pong",
                  max_control, send_chopped({ping(max_control)}, 1), 2s),
        unsolicited_case(
            "2.7", "Send an unsolicited Pong without payload, then close; expect nothing back",
            {pong(), close_frame(1000)}, {}),
        unsolicited_case("2.8",
                         "Send an unsolicited Pong with a payload, then close; expect nothing back",
                         {pong(unsolicited), close_frame(1000)}, {}),
        unsolicited_case("2.9",
                         "Send an unsolicited Pong, then a Ping; expect exactly the Ping's Pong",
                         {pong(unsolicited), ping(ping_payload)}, {pong_event(ping_payload)}),
        ten_pings_case("2.10", false),
        ten_pings_case("2.11", true),
    };
    return cases;
}

}  // namespace wsh::cases
