// SPDX-License-Identifier: MIT
// Small builders that make a case declaration read like the table it comes from.
#pragma once

#include "suite/case.hpp"

#include <initializer_list>
#include <memory>
#include <string_view>

namespace wsh::suite::dsl {

using payload = std::shared_ptr<const bytes>;

[[nodiscard]] payload data(std::string_view text);
[[nodiscard]] payload data(std::initializer_list<std::uint8_t> octets);
[[nodiscard]] payload repeated(std::string_view pattern, std::size_t size);
[[nodiscard]] payload filled(std::size_t size, std::uint8_t octet);
[[nodiscard]] payload concat(std::initializer_list<payload> parts);
// Bytes [from, to) of `p`.
[[nodiscard]] payload slice(const payload& p, std::size_t from, std::size_t to);

// Frames. `rsv` is RSV1..3 as bits 2..0; `op` any nibble, reserved ones included.
[[nodiscard]] frame_item frame(std::uint8_t op, payload p, bool fin = true, std::uint8_t rsv = 0);
[[nodiscard]] frame_item text(payload p, bool fin = true, std::uint8_t rsv = 0);
[[nodiscard]] frame_item binary(payload p, bool fin = true, std::uint8_t rsv = 0);
[[nodiscard]] frame_item continuation(payload p, bool fin = true);
[[nodiscard]] frame_item ping(payload p = {}, bool fin = true);
[[nodiscard]] frame_item pong(payload p = {}, bool fin = true);
// A Close frame with any body: no validation, wrong bodies are the point.
[[nodiscard]] frame_item close_frame(payload body = {}, std::uint8_t rsv = 0);
[[nodiscard]] frame_item close_frame(std::uint16_t code, std::string_view reason = {});
// `f` written as a plain frame: a Close sent this way leaves the tester's state open.
[[nodiscard]] frame_item raw(frame_item f);

// Autobahn's streaming API (6.4.3/6.4.4): a header announcing `declared_length` payload bytes,
// then the payload in parts, each its own write.
[[nodiscard]] step begin_frame(std::uint8_t op, std::uint64_t declared_length, bool fin = false);
[[nodiscard]] step frame_data(payload part);
// `count` strict request/response rounds of `f` (Autobahn 9.7/9.8).
[[nodiscard]] step exchange(frame_item f, std::size_t count);

// Write modes (autobahn.md §5.2).
[[nodiscard]] step send(std::vector<frame_item> frames);
[[nodiscard]] step send_sync(std::vector<frame_item> frames);
[[nodiscard]] step send_chopped(std::vector<frame_item> frames, std::size_t chop);
// The three ways Autobahn writes the same frames: one write, one write per frame, one per octet.
enum class write_mode : std::uint8_t { whole, per_frame, per_octet };
[[nodiscard]] step send_as(std::vector<frame_item> frames, write_mode mode);
// A message cut into `fragment`-byte frames; an exact multiple gets an extra empty final frame,
// as Autobahn's fragmenter does (autobahn.md §5.4). Equal consecutive pieces share one buffer.
[[nodiscard]] std::vector<frame_item> fragmented(std::uint8_t op, const payload& p, std::size_t fragment);

[[nodiscard]] step kill_after(millis ms);
[[nodiscard]] step close_after(millis ms);
[[nodiscard]] step pause(millis ms, std::string mark = {});

// Expected events.
[[nodiscard]] event text_message(payload p);
[[nodiscard]] event binary_message(payload p);
[[nodiscard]] event pong_event(payload p);
[[nodiscard]] event timeout_event(std::string_view tag);

// Close expectations (autobahn.md §2.3 typical shapes).
// The tester closes with `codes.front()` once the expected events arrived; clean close required.
// Without `require_clean`, a TCP drop instead of the Close reply passes too.
[[nodiscard]] close_expectation tester_closes(std::vector<std::uint16_t> codes = {1000},
                                              bool require_clean = true);
// The target must fail the connection first with one of `codes` (or drop TCP).
[[nodiscard]] close_expectation target_fails(std::vector<std::uint16_t> codes = {1002});
// As target_fails, and if wsharness ends up closing first behavior is FAILED too
// (Autobahn's closedByWrongEndpointIsFatal, used by the invalid UTF-8 cases).
[[nodiscard]] close_expectation target_fails_strictly(std::vector<std::uint16_t> codes);

}  // namespace wsh::suite::dsl
