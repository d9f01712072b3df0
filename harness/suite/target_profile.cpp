// SPDX-License-Identifier: MIT
#include "suite/target_profile.hpp"

#include "suite/dsl.hpp"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

namespace wsh::suite {
namespace {

constexpr std::string_view health_payload = "wsharness health check";

bool is_message(const event& e) { return e.what == event::kind::message; }

// The steps a case runs are built only when it runs (make_sends, category 9); building them
// here costs their payloads once, only under a profile other than echo.
bool has_exchange(const test_case& c)
{
    auto steps = full_script(c);
    return std::any_of(steps.begin(), steps.end(),
                       [](const step& s) { return std::holds_alternative<exchange_step>(s); });
}

// Does the script itself write a Close? Then nothing may follow it (RFC 6455 §5.5.1).
bool script_sends_close(const test_case& c)
{
    const auto close = to_nibble(codec::opcode::close);
    for (const auto& s : c.script) {
        if (auto* send = std::get_if<send_step>(&s)) {
            for (const auto& f : send->frames)
                if ((f.spec.opcode & 0x0f) == close) return true;
        } else if (auto* begin = std::get_if<frame_begin_step>(&s)) {
            if ((begin->spec.opcode & 0x0f) == close) return true;
        }
    }
    return false;
}

std::optional<event> skip_all(const event&) { return std::nullopt; }

// Sink and push: the target answers no message of ours. Each echo expected is dropped; where
// the tester closes the connection, a Ping after the case's own frames must get its Pong first
// (the target read everything and is still healthy). Where the target must fail the connection
// that check stays; the echo of a valid message before the bad frame is not judged.
test_case without_echoes(const test_case& c, target_profile profile)
{
    test_case a = c;
    a.accept_message = skip_all;
    for (auto& out : a.outcomes) std::erase_if(out.events, is_message);
    const bool health_check = c.close.closed_by_me && !script_sends_close(c);
    if (health_check) {
        auto payload = dsl::data(health_payload);
        a.script.push_back(dsl::send({dsl::ping(payload)}));
        for (auto& out : a.outcomes)
            if (!out.requires_target_close) out.events.push_back(dsl::pong_event(payload));
        for (auto& tx : a.expect_tx)
            if ((tx.opcode & 0x0f) == to_nibble(codec::opcode::ping)) ++tx.frames;
    }
    a.summary += " [" + std::string(to_string(profile)) + " profile: no echo expected" +
                 (health_check ? "; a Ping after the case's frames must get its Pong]" : "]");
    return a;
}

// Broadcast: the target relays a text message as a JSON object whose "message" member holds
// it, to every client, among notices of its own. A text message counts as the echo of an
// expected text when it is that text or such an envelope around it; anything else is the
// target's own. Sound only while no other client talks (the runner runs these one at a time).
std::function<std::optional<event>(const event&)> envelope_matcher(std::set<bytes> expected)
{
    auto texts = std::make_shared<const std::set<bytes>>(std::move(expected));
    return [texts](const event& e) -> std::optional<event> {
        if (e.binary || !e.data) return std::nullopt;
        if (texts->contains(*e.data)) return e;
        auto doc = nlohmann::json::parse(e.data->begin(), e.data->end(), nullptr, false);
        if (!doc.is_object()) return std::nullopt;
        auto it = doc.find("message");
        if (it == doc.end() || !it->is_string()) return std::nullopt;
        const auto& inner = it->get_ref<const std::string&>();
        bytes payload(inner.begin(), inner.end());
        if (!texts->contains(payload)) return std::nullopt;
        return event{.what = event::kind::message, .binary = false,
                     .data = std::make_shared<const bytes>(std::move(payload))};
    };
}

profiled_case for_broadcast(const test_case& c)
{
    std::set<bytes> texts;
    for (const auto& out : c.outcomes) {
        for (const auto& e : out.events) {
            if (!is_message(e)) continue;
            if (e.binary)
                return {.unimplemented = "broadcast profile: a binary echo is expected, and the app "
                                         "relays messages re-encoded inside its JSON envelope, so "
                                         "the bytes cannot be compared"};
            if (c.judged_by == judge::length_only || !e.data)
                return {.unimplemented = "broadcast profile: the case judges the echo's length, "
                                         "which the app's envelope changes"};
            texts.insert(*e.data);
        }
    }
    test_case a = c;
    a.accept_message = envelope_matcher(std::move(texts));
    if (expects_echo(c))
        a.summary += " [broadcast profile: the echo may come back as {\"message\": TEXT, ...}]";
    return {.adapted = std::move(a)};
}

}  // namespace

std::string_view to_string(target_profile p) noexcept
{
    switch (p) {
    case target_profile::echo: return "echo";
    case target_profile::sink: return "sink";
    case target_profile::push: return "push";
    case target_profile::broadcast: return "broadcast";
    }
    return "echo";
}

std::optional<target_profile> parse_target_profile(std::string_view text)
{
    for (auto p : {target_profile::echo, target_profile::sink, target_profile::push, target_profile::broadcast})
        if (text == to_string(p)) return p;
    return std::nullopt;
}

std::string_view health_ping_payload() noexcept { return health_payload; }

bool expects_echo(const test_case& c)
{
    return std::any_of(c.outcomes.begin(), c.outcomes.end(), [](const outcome& out) {
        return std::any_of(out.events.begin(), out.events.end(), is_message);
    });
}

profiled_case adapt_case(const test_case& c, target_profile profile)
{
    if (profile == target_profile::echo || (c.handshake && !c.handshake->expect_upgrade))
        return {.adapted = c};
    if (expects_echo(c) && has_exchange(c))
        return {.unimplemented = std::string(to_string(profile)) +
                                 " profile: request/response rounds need a target that answers "
                                 "every message"};
    if (profile == target_profile::broadcast) return for_broadcast(c);
    if (!expects_echo(c) || c.judged_by == judge::informational) {
        test_case a = c;
        a.accept_message = skip_all;
        return {.adapted = std::move(a)};
    }
    return {.adapted = without_echoes(c, profile)};
}

}  // namespace wsh::suite
