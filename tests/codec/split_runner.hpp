// SPDX-License-Identifier: MIT
// Test helper: runs a decoder over an input at every split point and checks that each split
// yields the same events as one read. Events are rendered as a short text so a test is one line.
#pragma once

#include "codec/frame_decoder.hpp"
#include "codec/message_decoder.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wsh::codec::test {

using bytes = std::vector<std::uint8_t>;

// "81 05 48" -> {0x81, 0x05, 0x48}; spaces are ignored.
bytes hex(std::string_view text);
bytes concat(std::initializer_list<bytes> parts);
bytes text_bytes(std::string_view text);

// A payload as the summaries show it: printable ASCII as is (up to 40 bytes), short binary as
// hex, anything else as its size and a hash.
std::string describe_payload(std::span<const std::uint8_t> payload);

decoder_options as_server(violation_set ignored = {});
decoder_options as_client(violation_set ignored = {});

// Decodes `input` in one read, then as two reads at every split point and byte by byte, and
// expects every run to yield the same events (payload chunks joined per frame). Inputs over
// 4 KiB are split at every point of their first and last 256 bytes and every 251st between.
// Returns the one-read summary, e.g. "start(text len=5) data(Hello) end".
std::string decode_frames(const decoder_options& options, const bytes& input);
std::string decode_messages(const message_options& options, const bytes& input);
std::string decode_messages(const decoder_options& options, const bytes& input);

}  // namespace wsh::codec::test
