// SPDX-License-Identifier: MIT
// Verdicts from observations, by Autobahn's rules (shared/spec/autobahn.md §2.2, §2.3).
#include "suite/dsl.hpp"
#include "suite/observation.hpp"

#include <gtest/gtest.h>

namespace wsh::suite {
namespace {

using namespace dsl;

test_case echo_case()
{
    return test_case{.id = "1.1.2",
                     .outcomes = {{behavior::ok, {text_message(data("hello"))}}},
                     .close = tester_closes()};
}

test_case failing_case()
{
    return test_case{.id = "2.5", .outcomes = {{behavior::ok, {}}}, .close = target_fails()};
}

observation clean_close_by_tester()
{
    observation o;
    o.connected = o.opened = true;
    o.closed_by_me = true;
    o.was_clean = true;
    o.remote_close_code = 1000;
    return o;
}

TEST(Verdict, EchoThatMatchesAndCleanCloseIsOk)
{
    auto o = clean_close_by_tester();
    o.received = {text_message(data("hello"))};
    auto v = judge_case(echo_case(), o, true);
    EXPECT_EQ(v.behavior, behavior::ok);
    EXPECT_EQ(v.close, close_behavior::ok);
}

TEST(Verdict, EchoWithOtherBytesFails)
{
    auto o = clean_close_by_tester();
    o.received = {text_message(data("hellO"))};
    auto v = judge_case(echo_case(), o, true);
    EXPECT_EQ(v.behavior, behavior::failed);
    EXPECT_NE(v.result.find("expected"), std::string::npos);
}

TEST(Verdict, EchoOfWrongTypeFails)
{
    auto o = clean_close_by_tester();
    o.received = {binary_message(data("hello"))};
    EXPECT_EQ(judge_case(echo_case(), o, true).behavior, behavior::failed);
}

TEST(Verdict, UncleanCloseWhenCleanRequired)
{
    auto o = clean_close_by_tester();
    o.received = {text_message(data("hello"))};
    o.was_clean = false;
    o.was_not_clean_reason = "peer did not respond (in time) in closing handshake";
    EXPECT_EQ(judge_case(echo_case(), o, true).close, close_behavior::unclean);
}

TEST(Verdict, WrongCloseCodeFromPeer)
{
    auto o = clean_close_by_tester();
    o.received = {text_message(data("hello"))};
    o.remote_close_code = 1011;
    EXPECT_EQ(judge_case(echo_case(), o, true).close, close_behavior::wrong_code);
}

TEST(Verdict, WrongCodeFailsBehaviorOnlyWhereTheCaseSaysSo)
{
    auto c = echo_case();
    auto o = clean_close_by_tester();
    o.received = {text_message(data("hello"))};
    o.remote_close_code = 1011;
    EXPECT_EQ(judge_case(c, o, true).behavior, behavior::ok);
    c.wrong_code_fails = true;
    EXPECT_EQ(judge_case(c, o, true).behavior, behavior::failed);
}

TEST(Verdict, TargetThatFailsTheConnectionWithoutCloseFrameIsOk)
{
    observation o;
    o.connected = o.opened = true;
    o.was_not_clean_reason = "peer dropped the TCP connection without previous WebSocket closing handshake";
    auto v = judge_case(failing_case(), o, true);
    EXPECT_EQ(v.behavior, behavior::ok);
    EXPECT_EQ(v.close, close_behavior::ok);
}

TEST(Verdict, TesterHavingToCloseFirstIsAFailedClose)
{
    auto o = clean_close_by_tester();
    auto v = judge_case(failing_case(), o, true);
    EXPECT_EQ(v.close, close_behavior::failed);
}

TEST(Verdict, ServerThatDoesNotDropTcpIsFailedByClient)
{
    auto o = clean_close_by_tester();
    o.received = {text_message(data("hello"))};
    o.dropped_by_me = true;
    EXPECT_EQ(judge_case(echo_case(), o, true).close, close_behavior::failed_by_client);
    EXPECT_EQ(judge_case(echo_case(), o, false).close, close_behavior::ok);
}

TEST(Verdict, NoConnectionIsAnErrorNotAFailure)
{
    observation o;
    o.error = "cannot connect";
    auto v = judge_case(echo_case(), o, true);
    EXPECT_EQ(v.behavior, behavior::error);
    EXPECT_EQ(v.close, close_behavior::error);
}

TEST(Verdict, RejectedHandshakeIsFailed)
{
    observation o;
    o.connected = true;
    o.was_not_clean_reason = "handshake rejected: Sec-WebSocket-Accept does not match the key";
    auto v = judge_case(failing_case(), o, true);
    EXPECT_EQ(v.behavior, behavior::failed);
    EXPECT_EQ(v.close, close_behavior::failed);
}

TEST(Verdict, FirstMatchingOutcomeWins)
{
    test_case c{.id = "3.2",
                .outcomes = {{behavior::ok, {text_message(data("Hello"))}}, {behavior::non_strict, {}}},
                .close = target_fails()};
    observation o;
    o.connected = o.opened = true;
    EXPECT_EQ(judge_case(c, o, true).behavior, behavior::non_strict);
    o.received = {text_message(data("Hello"))};
    EXPECT_EQ(judge_case(c, o, true).behavior, behavior::ok);
}

TEST(Verdict, LengthOnlyJudgingIgnoresContent)
{
    test_case c{.id = "9.1.1", .outcomes = {{behavior::ok, {text_message(data("aaaa"))}}},
                .close = tester_closes(), .judged_by = judge::length_only};
    auto o = clean_close_by_tester();
    o.received = {text_message(data("bbbb"))};
    EXPECT_EQ(judge_case(c, o, true).behavior, behavior::ok);
    o.received = {text_message(data("bbb"))};
    EXPECT_EQ(judge_case(c, o, true).behavior, behavior::failed);
}

TEST(Verdict, DisplayOfBinaryPayloadIsHex)
{
    EXPECT_EQ(display_payload(bytes{0x00, 0xff}), "0x00ff");
    EXPECT_EQ(display_payload(bytes{'o', 'k'}), "ok");
}

}  // namespace
}  // namespace wsh::suite
