// SPDX-License-Identifier: MIT
// Autobahn category 5, Fragmentation: fragmented messages (with control frames in between)
// come back whole; fragmented control frames and continuations without a message to continue
// fail the connection.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr const char* fragment_rule =
    "A fragmented message consists of a single frame with the FIN bit clear and an opcode other "
    "than 0, followed by zero or more frames with the FIN bit clear and the opcode set to 0, and "
    "terminated by a single frame with the FIN bit set and an opcode of 0 (RFC 6455 §5.4)";
constexpr const char* interleave_rule =
    "Control frames MAY be injected in the middle of a fragmented message. An endpoint MUST be "
    "capable of handling control frames in the middle of a fragmented message (RFC 6455 §5.4)";
constexpr const char* control_rule =
    "Control frames themselves MUST NOT be fragmented (RFC 6455 §5.4, §5.5)";

constexpr const char* mode_text[] = {"in one write", "one frame per write", "one octet per write"};

payload frag(int n) { return dsl::data(fmt::format("fragment{}", n)); }

// The target must fail the connection with 1002 (or drop TCP).
test_case failing(std::string id, std::string summary, const char* rule, std::vector<step> script,
                  std::vector<outcome> outcomes = {{behavior::ok, {}}})
{
    script.push_back(kill_after(1s));
    return test_case{
        .id = std::move(id),
        .section = "5.4",
        .summary = std::move(summary),
        .requirement = rule,
        .requirement_level = level::must,
        .script = std::move(script),
        .outcomes = std::move(outcomes),
        .close = target_fails({1002}),
    };
}

// The message comes back whole (after the Pongs of interleaved Pings); the tester closes.
test_case echoing(std::string id, std::string summary, const char* rule, std::vector<step> script,
                  std::vector<event> expected)
{
    script.push_back(close_after(1s));
    return test_case{
        .id = std::move(id),
        .section = "5.4",
        .summary = std::move(summary),
        .requirement = rule,
        .requirement_level = level::must,
        .script = std::move(script),
        .outcomes = {{behavior::ok, std::move(expected)}},
        .close = tester_closes(),
    };
}

void add_echo_cases(std::vector<test_case>& cases)
{
    auto whole = data("fragment1fragment2");
    auto ping_payload = data("ping payload");
    for (int i = 0; i < 3; ++i) {
        auto mode = static_cast<write_mode>(i);
        cases.push_back(echoing(
            fmt::format("5.{}", 3 + i),
            fmt::format("Send a text in two fragments, {}; expect it echoed whole", mode_text[i]),
            fragment_rule, {send_as({text(frag(1), false), continuation(frag(2))}, mode)},
            {text_message(whole)}));
        cases.push_back(echoing(
            fmt::format("5.{}", 6 + i),
            fmt::format("Send a text in two fragments with a Ping between them, {}; expect the "
                        "Pong, then the echo",
                        mode_text[i]),
            interleave_rule,
            {send_as({text(frag(1), false), ping(ping_payload), continuation(frag(2))}, mode)},
            {pong_event(ping_payload), text_message(whole)}));
    }
}

void add_stray_continuations(std::vector<test_case>& cases)
{
    auto stray = data("non-continuation payload");
    auto hello = data("Hello, world!");
    for (int i = 0; i < 3; ++i) {
        auto mode = static_cast<write_mode>(i);
        for (bool fin : {true, false}) {
            int index = (fin ? 9 : 12) + i;
            cases.push_back(failing(fmt::format("5.{}", index),
                                    fmt::format("Send a continuation frame (FIN={}) with no "
                                                "message to continue, then a text, {}; "
                                                "expect the target to fail the connection",
                                                fin ? 1 : 0, mode_text[i]),
                                    fragment_rule,
                                    {send_as({continuation(stray, fin), text(hello)}, mode)}));
        }
    }
}

// 5.19/5.20: a Ping between fragments must be answered before the message is complete.
test_case pong_before_end(std::string id, bool per_frame)
{
    auto mode = per_frame ? write_mode::per_frame : write_mode::whole;
    auto ping1 = data("pongme 1!");
    auto ping2 = data("pongme 2!");
    return echoing(
        std::move(id),
        fmt::format("Send a five-fragment text with a Ping after fragment 2, pause 1 s, then the "
                    "rest with a second Ping{}; expect both Pongs, then the echo",
                    per_frame ? ", one frame per write" : ""),
        interleave_rule,
        {send_as({text(frag(1), false), continuation(frag(2), false), ping(ping1)}, mode),
         pause(1s),
         send_as({continuation(frag(3), false), continuation(frag(4), false), ping(ping2),
                  continuation(frag(5))},
                 mode)},
        {pong_event(ping1), pong_event(ping2),
         text_message(data("fragment1fragment2fragment3fragment4fragment5"))});
}

}  // namespace

std::vector<test_case> fragmentation()
{
    std::vector<test_case> cases{
        failing("5.1", "Send a Ping in two fragments; expect the target to fail the connection",
                control_rule, {send({ping(frag(1), false), continuation(frag(2))})}),
        failing("5.2", "Send a Pong in two fragments; expect the target to fail the connection",
                control_rule, {send({pong(frag(1), false), continuation(frag(2))})}),
    };
    add_echo_cases(cases);
    add_stray_continuations(cases);
    cases.push_back(failing(
        "5.15",
        "Send a text in two fragments, then a stray continuation and a text; expect the echo at "
        "most "
        "and a failed connection",
        fragment_rule,
        {send({text(frag(1), false), continuation(frag(2)), continuation(frag(3), false),
               text(frag(4))})},
        {{behavior::ok, {text_message(data("fragment1fragment2"))}}, {behavior::non_strict, {}}}));
    for (bool fin : {false, true}) {
        std::vector<frame_item> round{continuation(frag(1), fin), text(frag(2), false),
                                      continuation(frag(3))};
        std::vector<frame_item> twice = round;
        twice.insert(twice.end(), round.begin(), round.end());
        cases.push_back(failing(
            fin ? "5.17" : "5.16",
            fmt::format("Twice: a stray continuation (FIN={}), then a text in two fragments; "
                        "expect the target to fail the connection",
                        fin ? 1 : 0),
            fragment_rule, {send(std::move(twice))}));
    }
    cases.push_back(failing("5.18",
                            "Send a text fragment followed by a second text frame instead of a "
                            "continuation; expect the target to fail the connection",
                            fragment_rule, {send({text(frag(1), false), text(frag(2))})}));
    cases.push_back(pong_before_end("5.19", false));
    cases.push_back(pong_before_end("5.20", true));
    return cases;
}

}  // namespace wsh::cases
