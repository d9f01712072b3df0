// SPDX-License-Identifier: MIT
// Autobahn category 7, Close handling: wsharness starts the closing handshake in every case;
// the target must answer it (ignoring what follows the Close), accept valid close codes and
// reasons, and fail the connection on invalid ones. A WRONG CODE close verdict is a FAILED
// behaviour here (Autobahn 7.1.1-7.9.x), unlike category 6.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr const char* reply_rule =
    "If an endpoint receives a Close frame and did not previously send a Close frame, the "
    "endpoint MUST send a Close frame in response; after sending a Close frame an endpoint MUST "
    "NOT send any more data frames (RFC 6455 §5.5.1)";
constexpr const char* body_rule =
    "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer "
    "representing a status code; control frames MUST have a payload length of 125 bytes or less; "
    "the reason is UTF-8 (RFC 6455 §5.5, §5.5.1)";
constexpr const char* code_rule =
    "Status codes 1000-1003, 1007-1011 are defined, 3000-4999 are for libraries, applications and "
    "private use; 0-999, 1004-1006, 1016-2999 (unassigned) are not to be sent (RFC 6455 §7.4.1, "
    "§7.4.2)";

struct close_row {
    std::string id;
    std::string summary;
    std::vector<frame_item> frames;
    close_expectation close;
    std::vector<event> expected = {};
    const char* rule = body_rule;
    std::string section = "5.5.1";
};

test_case close_case(close_row row)
{
    return test_case{
        .id = std::move(row.id),
        .section = std::move(row.section),
        .summary = std::move(row.summary),
        .requirement = row.rule,
        .requirement_level = level::must,
        .script = {send(std::move(row.frames)), kill_after(1s)},
        .outcomes = {{behavior::ok, std::move(row.expected)}},
        .close = std::move(row.close),
        .wrong_code_fails = true,
    };
}

payload code_bytes(std::uint16_t code)
{
    return dsl::data(
        {static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code & 0xff)});
}

void add_after_close(std::vector<test_case>& cases)
{
    auto hello = dsl::data("Hello World!");
    auto ok = [] { return tester_closes({1000}); };
    cases.push_back(close_case({"7.1.1",
                                "Send a text, then close once it is echoed; expect a clean close",
                                {text(hello)},
                                ok(),
                                {text_message(hello)},
                                reply_rule}));
    cases.push_back(
        close_case({"7.1.2",
                    "Close, then send a second Close; expect the second ignored and a clean close",
                    {close_frame(1000), close_frame(dsl::data(""))},
                    ok(),
                    {},
                    reply_rule}));
    cases.push_back(close_case({"7.1.3",
                                "Close, then send a Ping; expect no Pong and a clean close",
                                {close_frame(1000), ping()},
                                ok(),
                                {},
                                reply_rule}));
    cases.push_back(close_case({"7.1.4",
                                "Close, then send a text; expect no echo and a clean close",
                                {close_frame(1000), text(hello)},
                                ok(),
                                {},
                                reply_rule}));
    cases.push_back(
        close_case({"7.1.5",
                    "Send a text fragment, close, then the final fragment; expect no echo "
                    "and a clean close",
                    {text(dsl::data("fragment1"), false), close_frame(1000),
                     continuation(dsl::data("fragment2"))},
                    ok(),
                    {},
                    reply_rule}));
    // Whether the small text is echoed before the Close is processed is up to the target.
    cases.push_back(test_case{
        .id = "7.1.6",
        .section = "5.5.1",
        .summary = "Send a 256 KiB text, a small text, a Close and a Ping back to back; report "
                   "whether the "
                   "small text came back",
        .requirement = reply_rule,
        .requirement_level = level::may,
        .script = {send({text(repeated("BAsd7&jh23", 256 * 1024)), text(hello), close_frame(1000),
                         ping()}),
                   kill_after(1s)},
        .close = ok(),
        .judged_by = judge::informational,
    });
}

void add_bodies(std::vector<test_case>& cases)
{
    auto invalid_reason = concat({code_bytes(1000),
                                  dsl::data({0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc,
                                             0xce, 0xb5, 0xed, 0xa0, 0x80}),
                                  dsl::data("edited")});
    cases.push_back(close_case({"7.3.1",
                                "Close with an empty body; expect a clean close",
                                {close_frame(dsl::data(""))},
                                tester_closes({1000})}));
    cases.push_back(
        close_case({"7.3.2",
                    "Close with a 1-byte body; expect the target to fail the connection (1002)",
                    {close_frame(dsl::data("a"))},
                    tester_closes({1002}, false)}));
    cases.push_back(close_case({"7.3.3",
                                "Close with code 1000 and no reason; expect a clean close",
                                {close_frame(1000)},
                                tester_closes({1000})}));
    cases.push_back(close_case({"7.3.4",
                                "Close with code 1000 and a reason; expect a clean close",
                                {close_frame(1000, "Hello World!")},
                                tester_closes({1000})}));
    cases.push_back(close_case(
        {"7.3.5",
         "Close with code 1000 and a 123-byte reason (125-byte body); expect a clean close",
         {close_frame(1000, std::string(123, '*'))},
         tester_closes({1000})}));
    cases.push_back(
        close_case({"7.3.6",
                    "Close with code 1000 and a 124-byte reason (126-byte body); expect the "
                    "target to fail the connection (1002)",
                    {close_frame(1000, std::string(124, '*'))},
                    tester_closes({1002}, false)}));
    cases.push_back(
        close_case({"7.5.1",
                    "Close with code 1000 and a reason that is not UTF-8; expect the target to "
                    "fail the connection (1002 or 1007)",
                    {close_frame(invalid_reason)},
                    tester_closes({1002, 1007}, false),
                    {},
                    body_rule,
                    "8.1"}));
}

constexpr std::uint16_t valid_codes[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009,
                                         1010, 1011, 3000, 3999, 4000, 4999};
// Autobahn 0.8.1 and later: 1012-1015 were dropped from this list when IANA registered them.
constexpr std::uint16_t invalid_codes[] = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};

void add_codes(std::vector<test_case>& cases)
{
    int index = 0;
    // 7.7.8 (1010): RFC 6455 §7.4.1 has only clients send 1010, yet a server echoing it passes.
    for (auto code : valid_codes)
        cases.push_back(close_case(
            {fmt::format("7.7.{}", ++index),
             fmt::format("Close with the valid code {}; expect a clean close (1000 or {})", code,
                         code),
             {close_frame(code)},
             tester_closes({1000, code}),
             {},
             code_rule,
             "7.4.1"}));
    // RFC 6455 §7.4 says which codes may be sent, not how a receiver reacts to others; Autobahn
    // requires 1002 or a drop, so a target replying 1000 gets WRONG CODE and FAILED.
    index = 0;
    for (auto code : invalid_codes)
        cases.push_back(
            close_case({fmt::format("7.9.{}", ++index),
                        fmt::format("Close with the invalid code {}; expect the target to fail the "
                                    "connection (1002)",
                                    code),
                        {close_frame(code)},
                        tester_closes({1002}, false),
                        {},
                        code_rule,
                        "7.4.1"}));
    // 7.13.x: codes above 4999 are outside every range of §7.4.2; any reaction is reported.
    index = 0;
    for (std::uint16_t code : {5000, 65535}) {
        auto c = close_case(
            {fmt::format("7.13.{}", ++index),
             fmt::format("Close with code {} (outside every range); report the reaction", code),
             {close_frame(code)},
             tester_closes({1000}),
             {},
             code_rule,
             "7.4.2"});
        c.judged_by = judge::informational;
        c.wrong_code_fails = false;
        c.requirement_level = level::may;
        cases.push_back(std::move(c));
    }
}

}  // namespace

std::vector<test_case> close_handling()
{
    std::vector<test_case> cases;
    add_after_close(cases);
    add_bodies(cases);
    add_codes(cases);
    return cases;
}

}  // namespace wsh::cases
