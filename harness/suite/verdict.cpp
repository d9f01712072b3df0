// SPDX-License-Identifier: MIT
// Verdicts from an observation, by Autobahn's rules (shared/spec/autobahn.md §2.2, §2.3).
#include "suite/observation.hpp"

#include "codec/utf8.hpp"

#include <algorithm>
#include <map>
#include <fmt/format.h>

namespace wsh::suite {
namespace {

// Shown as text when the shown prefix is valid UTF-8 without control characters (a prefix cut
// inside a multi-byte sequence still counts as text).
bool is_printable_utf8(const bytes& data, std::size_t n)
{
    std::size_t cut = n;
    while (cut > 0 && n - cut < 3 && (data[cut - 1] & 0xC0) == 0x80) --cut;
    if (cut > 0 && data[cut - 1] >= 0xC0 && n < data.size()) --cut;
    else cut = n;
    for (std::size_t i = 0; i < cut; ++i)
        if (data[i] < 0x20 && data[i] != '\n' && data[i] != '\t') return false;
    return codec::is_valid_utf8(std::span(data.data(), cut));
}

std::string codes_text(const std::vector<std::uint16_t>& codes)
{
    return fmt::format("{}", fmt::join(codes, ", "));
}

close_behavior judge_close(const test_case& c, const observation& o, bool tester_is_client,
                           std::string& why)
{
    if (!o.opened) {
        why = "the opening handshake was never completed" +
              (o.was_not_clean_reason.empty() ? std::string{} : ": " + o.was_not_clean_reason);
        return close_behavior::failed;
    }
    if (!c.close.either_may_close && c.close.closed_by_me != o.closed_by_me) {
        why = c.close.closed_by_me
                  ? "the target closed first, but wsharness was expected to start the closing handshake"
                  : "wsharness had to close the connection; the target was expected to fail it first";
        return close_behavior::failed;
    }
    if (c.close.require_clean && !o.was_clean) {
        why = "the connection was not closed cleanly: " + o.was_not_clean_reason;
        return close_behavior::unclean;
    }
    if (o.remote_close_code &&
        std::find(c.close.codes.begin(), c.close.codes.end(), *o.remote_close_code) ==
            c.close.codes.end()) {
        why = fmt::format("the target sent close code {}, expected one of {} (or none)",
                          *o.remote_close_code, codes_text(c.close.codes));
        return close_behavior::wrong_code;
    }
    if (tester_is_client && o.dropped_by_me) {
        why = "the server did not close the TCP connection after the closing handshake";
        return close_behavior::failed_by_client;
    }
    why = "connection closed as expected";
    return close_behavior::ok;
}

bool same_shape(const std::vector<event>& got, const std::vector<event>& want)
{
    if (got.size() != want.size()) return false;
    for (std::size_t i = 0; i < got.size(); ++i) {
        if (got[i].what != want[i].what || got[i].binary != want[i].binary) return false;
        auto size = [](const event& e) { return e.size(); };
        if (size(got[i]) != size(want[i])) return false;
    }
    return true;
}

// Length-only cases (category 9) can see 1000 messages: one entry per run of equal shapes.
std::string describe_shapes(const std::vector<event>& events)
{
    if (events.empty()) return "nothing";
    std::vector<std::string> parts;
    auto size = [](const event& e) { return e.size(); };
    for (std::size_t i = 0; i < events.size();) {
        std::size_t j = i + 1;
        while (j < events.size() && events[j].what == events[i].what &&
               events[j].binary == events[i].binary && size(events[j]) == size(events[i]))
            ++j;
        auto kind = events[i].what == event::kind::pong      ? "pong"
                    : events[i].what != event::kind::message ? "event"
                    : events[i].binary                       ? "binary message"
                                                             : "text message";
        parts.push_back(fmt::format("{} x {} of {} bytes", j - i, kind, size(events[i])));
        i = j;
    }
    return fmt::format("[{}]", fmt::join(parts, ", "));
}

behavior judge_events(const test_case& c, const observation& o, std::string& why)
{
    const bool by_shape = c.judged_by == judge::length_only;
    auto describe = by_shape ? describe_shapes : describe_events;
    for (const auto& out : c.outcomes) {
        if (out.requires_target_close && o.closed_by_me) continue;
        if (by_shape ? same_shape(o.received, out.events) : o.received == out.events) {
            why = fmt::format("received {}", describe(o.received));
            return out.verdict;
        }
    }
    why = fmt::format("expected {}, received {}",
                      c.outcomes.empty() ? std::string("nothing in particular")
                                         : describe(c.outcomes.front().events),
                      describe(o.received));
    return behavior::failed;
}

// Autobahn 12.x/13.x: every round's echo matched (its type and its bytes; Autobahn compares
// SHA-1 digests, equal bytes are the same test).
behavior judge_echo_rounds(const observation& o, std::string& why)
{
    const double ratio = o.tx_uncompressed ? static_cast<double>(o.tx_compressed) / static_cast<double>(o.tx_uncompressed) : 0;
    if (o.echo_done == o.echo_expected && o.echo_problem.empty()) {
        why = fmt::format("{} compressed messages echoed exactly (compression {:.3f}, {}; {} echoed in our "
                          "compressed form)", o.echo_done, ratio, o.deflate_response, o.echo_verbatim);
        return behavior::ok;
    }
    why = o.echo_problem.empty()
              ? fmt::format("{} of {} messages echoed before the connection ended", o.echo_done, o.echo_expected)
              : o.echo_problem;
    if (!o.findings.empty())
        why += fmt::format(" (the target broke {}, {} §{})", codec::name(o.findings.front().rule),
                           codec::rfc(o.findings.front().rule), codec::section(o.findings.front().rule));
    return behavior::failed;
}

// The tester's own transmit counters (Autobahn 10.1.1 checks its fragmenter this way).
bool check_tx_counts(const test_case& c, const observation& o, std::string& why)
{
    for (const auto& want : c.expect_tx) {
        auto got = o.tx_frames_by_opcode[want.opcode & 0x0f];
        if (got != want.frames) {
            why = fmt::format("wsharness wrote {} frames of opcode {}, expected {}", got,
                              want.opcode, want.frames);
            return false;
        }
    }
    return true;
}

// A case whose handshake the target must refuse (category 20): the runner has already compared
// the answer with the case's expectation and left any mismatch in `handshake_problem`.
verdict judge_refusal(const observation& o)
{
    verdict v;
    if (o.opened) {
        v.behavior = behavior::failed;
        v.close = close_behavior::failed;
        v.result = v.result_close = "the target accepted an opening handshake it must refuse";
    } else if (!o.handshake_problem.empty()) {
        v.behavior = behavior::failed;
        v.close = close_behavior::failed;
        v.result = v.result_close = o.handshake_problem;
    } else {
        v.behavior = behavior::ok;
        v.close = close_behavior::ok;
        v.result = v.result_close = o.http_status ? fmt::format("refused with status {}", *o.http_status)
                                                  : std::string("refused by closing the connection");
    }
    return v;
}

// A case whose opening handshake answer the client must refuse (category 21): it must send
// nothing and, after a 101, close the connection (RFC 6455 §4.1).
verdict judge_client_refusal(const test_case& c, const observation& o)
{
    verdict v;
    // A SHOULD broken is NON-STRICT, and then the close verdict does not fail the case either.
    const bool must = c.requirement_level == level::must;
    const auto broken = must ? behavior::failed : behavior::non_strict;
    const auto broken_close = must ? close_behavior::failed : close_behavior::ok;
    if (o.opened) {
        v.behavior = broken;
        v.close = broken_close;
        v.result = v.result_close = o.handshake_problem;
    } else if (o.hit_deadline && !c.handshake->client_may_stay_open) {
        v.behavior = broken;
        v.close = broken_close;
        v.result = v.result_close = fmt::format(
            "the client sent nothing but kept the connection open for {:.0f} ms: it did not fail the connection",
            o.duration_ms);
    } else {
        v.behavior = behavior::ok;
        v.close = close_behavior::ok;
        v.result = v.result_close = o.hit_deadline
                                        ? "the client sent nothing and kept the connection, as HTTP allows after a non-101 answer"
                                        : "the client closed the connection without sending a frame";
    }
    return v;
}

// RFC 6455 §5.3: a fresh masking key for each frame. Empty when every key differs.
std::string repeated_mask_key(const observation& o)
{
    std::map<std::array<std::uint8_t, 4>, std::size_t> seen;
    for (const auto& k : o.rx_mask_keys) ++seen[k];
    for (const auto& [key, n] : seen) {
        if (n < 2) continue;
        return fmt::format("the target masked {} of its {} frames with the same key {:02x}{:02x}{:02x}{:02x}", n,
                           o.rx_mask_keys.size(), key[0], key[1], key[2], key[3]);
    }
    return "";
}

}  // namespace

std::string display_payload(const bytes& data)
{
    std::size_t n = std::min<std::size_t>(data.size(), 64);
    std::string out;
    if (is_printable_utf8(data, n)) {
        out.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
    } else {
        out = "0x";
        for (std::size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", data[i]);
    }
    if (data.size() > n) out += " ...";
    return out;
}

std::string describe_events(const std::vector<event>& events)
{
    if (events.empty()) return "nothing";
    std::vector<std::string> parts;
    static const bytes empty;
    for (const auto& e : events) {
        const bytes& d = e.data ? *e.data : empty;
        switch (e.what) {
        case event::kind::message:
            parts.push_back(fmt::format("{} message of {} bytes '{}'", e.binary ? "binary" : "text",
                                        d.size(), display_payload(d)));
            break;
        case event::kind::pong:
            parts.push_back(fmt::format("pong '{}'", display_payload(d)));
            break;
        case event::kind::timeout:
            parts.push_back(fmt::format("timeout {}", std::string(d.begin(), d.end())));
            break;
        }
    }
    return fmt::format("[{}]", fmt::join(parts, ", "));
}

verdict judge_case(const test_case& c, const observation& o, bool tester_is_client)
{
    verdict v;
    if (!o.connected || !o.error.empty()) {
        v.behavior = behavior::error;
        v.close = close_behavior::error;
        v.result = v.result_close = o.error;
        return v;
    }
    if (c.handshake && c.handshake->response) return judge_client_refusal(c, o);
    if (c.handshake && !c.handshake->expect_upgrade) return judge_refusal(o);
    v.close = judge_close(c, o, tester_is_client, v.result_close);
    if (!o.opened) {
        v.behavior = behavior::failed;
        v.result = v.result_close;
        return v;
    }
    if (c.judged_by == judge::informational) {
        v.behavior = behavior::informational;
        v.close = close_behavior::informational;
        v.result = fmt::format("received {}; the target's close code was {}",
                               describe_events(o.received),
                               o.remote_close_code ? std::to_string(*o.remote_close_code) : "none");
        return v;
    }
    if (c.deflate && !o.deflate_negotiated) {
        // Autobahn 12.x/13.x: a target without permessage-deflate is UNIMPLEMENTED, not FAILED.
        v.behavior = behavior::unimplemented;
        v.result = "permessage-deflate (RFC 7692) was not negotiated";
        // The tester closed at once with 1000: judged as an echo case's close, whoever the
        // case expected to close once the extension is in use.
        test_case closing = c;
        closing.close = close_expectation{};
        v.close = judge_close(closing, o, tester_is_client, v.result_close);
        return v;
    }
    v.behavior = c.judged_by == judge::echo_rounds ? judge_echo_rounds(o, v.result) : judge_events(c, o, v.result);
    if (c.close.wrong_endpoint_is_fatal && c.close.closed_by_me != o.closed_by_me) {
        v.behavior = behavior::failed;
        v.result = "the wrong endpoint closed the connection: " + v.result_close;
    }
    if (c.wrong_code_fails && v.close == close_behavior::wrong_code) {
        v.behavior = behavior::failed;
        v.result = v.result_close;
    }
    if (c.fresh_mask_keys) {
        if (auto why = repeated_mask_key(o); !why.empty()) {
            v.behavior = behavior::failed;
            v.result = why;
        }
    }
    if (c.max_target_closes > 0 && o.rx_close_frames > c.max_target_closes && v.behavior == behavior::ok) {
        // RFC 6455 §5.5.1: a Close is answered only by an endpoint that "did not previously send
        // a Close frame"; sending more is outside the closing handshake, but no MUST forbids it.
        v.behavior = behavior::non_strict;
        v.result = fmt::format("the target sent {} Close frames, expected {} (RFC 6455 §5.5.1)",
                               o.rx_close_frames, c.max_target_closes);
    }
    if (!o.over_buffer_cap.empty()) {
        // A target that sends more than wsharness keeps broke the case's expectation whatever
        // the events so far were (DESIGN.md: memory stays bounded on a flood).
        v.behavior = behavior::failed;
        v.result = o.over_buffer_cap;
    }
    if (std::string why; !check_tx_counts(c, o, why)) {
        v.behavior = behavior::failed;
        v.result = why;
    }
    if (o.unsolicited_messages > 0)
        v.result += fmt::format(" ({} messages of the target's own, {} bytes, skipped)",
                                o.unsolicited_messages, o.unsolicited_bytes);
    return v;
}

}  // namespace wsh::suite
