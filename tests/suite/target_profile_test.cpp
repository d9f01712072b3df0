// SPDX-License-Identifier: MIT
// Target profiles: how each rewrites a case's echo expectations (suite/target_profile.hpp).
#include "suite/target_profile.hpp"

#include "suite/dsl.hpp"
#include "suite/observation.hpp"

#include <gtest/gtest.h>

namespace wsh::suite {
namespace {

using namespace dsl;

test_case echo_case()
{
    return test_case{.id = "1.1.2",
                     .script = {send({text(data("hello"))}), close_after(std::chrono::seconds(1))},
                     .outcomes = {{behavior::ok, {text_message(data("hello"))}}},
                     .close = tester_closes()};
}

test_case protocol_error_case()
{
    return test_case{.id = "2.5", .script = {send({ping(filled(126, 0xfe))})}, .outcomes = {{behavior::ok, {}}},
                     .close = target_fails()};
}

event text_event(std::string_view s) { return text_message(data(s)); }

TEST(TargetProfile, NamesParseBackAndUnknownNamesAreRefused)
{
    for (auto p : {target_profile::echo, target_profile::sink, target_profile::push, target_profile::broadcast})
        EXPECT_EQ(parse_target_profile(to_string(p)), p);
    EXPECT_FALSE(parse_target_profile("chat").has_value());
}

TEST(TargetProfile, EchoProfileLeavesTheCaseAsItIs)
{
    auto p = adapt_case(echo_case(), target_profile::echo);
    ASSERT_TRUE(p.adapted);
    EXPECT_EQ(p.adapted->outcomes[0].events, echo_case().outcomes[0].events);
    EXPECT_FALSE(p.adapted->accept_message);
}

TEST(TargetProfile, SinkReplacesTheEchoWithAPingThatMustGetItsPong)
{
    auto p = adapt_case(echo_case(), target_profile::sink);
    ASSERT_TRUE(p.adapted);
    auto health = data(health_ping_payload());
    EXPECT_EQ(p.adapted->outcomes[0].events, std::vector<event>{pong_event(health)});
    const auto& last = std::get<send_step>(p.adapted->script.back());
    ASSERT_EQ(last.frames.size(), 1u);
    EXPECT_EQ(last.frames[0].spec.opcode, to_nibble(codec::opcode::ping));
    EXPECT_EQ(*last.frames[0].payload, *health);
    // Whatever the target sends of its own is skipped, never judged.
    ASSERT_TRUE(p.adapted->accept_message);
    EXPECT_FALSE(p.adapted->accept_message(text_event("hello")).has_value());
}

TEST(TargetProfile, ProtocolErrorCasesAreJudgedUnchangedInEveryProfile)
{
    for (auto profile : {target_profile::sink, target_profile::push, target_profile::broadcast}) {
        auto p = adapt_case(protocol_error_case(), profile);
        ASSERT_TRUE(p.adapted) << to_string(profile);
        EXPECT_EQ(p.adapted->script.size(), 1u);
        EXPECT_TRUE(p.adapted->outcomes[0].events.empty());
        EXPECT_FALSE(p.adapted->close.closed_by_me);
        EXPECT_EQ(p.adapted->close.codes, std::vector<std::uint16_t>{1002});
    }
}

TEST(TargetProfile, NoPingFollowsACloseTheScriptSends)
{
    auto c = echo_case();
    c.script = {send({text(data("hello")), close_frame(1000)})};
    auto p = adapt_case(c, target_profile::push);
    ASSERT_TRUE(p.adapted);
    EXPECT_EQ(p.adapted->script.size(), 1u);
    EXPECT_TRUE(p.adapted->outcomes[0].events.empty());
}

TEST(TargetProfile, WhereTheTargetMustFailTheConnectionTheEarlierEchoIsDropped)
{
    auto c = protocol_error_case();
    c.outcomes = {{behavior::ok, {text_message(data("Hello"))}}, {behavior::non_strict, {}}};
    auto p = adapt_case(c, target_profile::sink);
    ASSERT_TRUE(p.adapted);
    EXPECT_EQ(p.adapted->script.size(), 1u);
    EXPECT_TRUE(p.adapted->outcomes[0].events.empty());
}

TEST(TargetProfile, RequestResponseRoundsCannotBeJudgedWithoutAnEcho)
{
    auto c = echo_case();
    c.script = {exchange(text(data("x")), 10)};
    for (auto profile : {target_profile::sink, target_profile::push, target_profile::broadcast}) {
        auto p = adapt_case(c, profile);
        EXPECT_FALSE(p.adapted) << to_string(profile);
        EXPECT_NE(p.unimplemented.find("rounds"), std::string::npos);
    }
}

TEST(TargetProfile, BroadcastCountsOurTextInsideTheEnvelopeAsTheEcho)
{
    auto p = adapt_case(echo_case(), target_profile::broadcast);
    ASSERT_TRUE(p.adapted);
    EXPECT_EQ(p.adapted->outcomes[0].events, echo_case().outcomes[0].events);
    const auto& accept = p.adapted->accept_message;
    ASSERT_TRUE(accept);
    EXPECT_EQ(accept(text_event(R"({"nickname":"guest-1","message":"hello"})")), text_event("hello"));
    EXPECT_EQ(accept(text_event("hello")), text_event("hello"));
    // The app's own notices, other texts, other members and binary messages are not ours.
    EXPECT_FALSE(accept(text_event(R"({"nickname":"guest-1","message":"has connected"})")));
    EXPECT_FALSE(accept(text_event(R"({"nickname":"hello","message":"hi"})")));
    EXPECT_FALSE(accept(text_event(R"({"message":"hello)")));
    EXPECT_FALSE(accept(binary_message(data("hello"))));
}

TEST(TargetProfile, BroadcastCannotJudgeABinaryEcho)
{
    auto c = echo_case();
    c.outcomes = {{behavior::ok, {binary_message(data("hello"))}}};
    auto p = adapt_case(c, target_profile::broadcast);
    EXPECT_FALSE(p.adapted);
    EXPECT_NE(p.unimplemented.find("binary"), std::string::npos);
}

TEST(TargetProfile, SkippedMessagesAreCountedInTheVerdictsReason)
{
    auto c = *adapt_case(echo_case(), target_profile::push).adapted;
    observation o;
    o.connected = o.opened = o.closed_by_me = o.was_clean = true;
    o.remote_close_code = 1000;
    o.received = {pong_event(data(health_ping_payload()))};
    o.unsolicited_messages = 2;
    o.unsolicited_bytes = 90;
    auto v = judge_case(c, o, true);
    EXPECT_EQ(v.behavior, behavior::ok);
    EXPECT_NE(v.result.find("2 messages of the target's own, 90 bytes, skipped"), std::string::npos) << v.result;
}

}  // namespace
}  // namespace wsh::suite
