// SPDX-License-Identifier: MIT
#include "codec/violation.hpp"

#include "codec/frame.hpp"

#include <array>

namespace wsh::codec {
namespace {

struct violation_info {
    std::string_view name;
    std::string_view section;
    std::string_view description;
    std::uint16_t close_code;
};

constexpr std::array<violation_info, violation_count> infos{{
    {"reserved_bits_set", "5.2",
     "RSV1, RSV2 and RSV3 MUST be 0 unless an extension is negotiated that defines them",
     close_code::protocol_error},
    {"reserved_opcode", "5.2", "Opcodes %x3-7 and %xB-F are reserved and MUST NOT be used",
     close_code::protocol_error},
    {"fragmented_control_frame", "5.5", "Control frames MUST NOT be fragmented",
     close_code::protocol_error},
    {"control_frame_too_long", "5.5",
     "Control frames MUST have a payload length of 125 bytes or less", close_code::protocol_error},
    {"non_minimal_length", "5.2",
     "The minimal number of bytes MUST be used to encode the payload length",
     close_code::protocol_error},
    {"length_top_bit_set", "5.2", "The most significant bit of a 64-bit payload length MUST be 0",
     close_code::protocol_error},
    {"unmasked_client_frame", "5.1",
     "A server MUST close the connection upon receiving a frame that is not masked",
     close_code::protocol_error},
    {"masked_server_frame", "5.1",
     "A client MUST close the connection if it detects a masked frame", close_code::protocol_error},
    {"payload_too_big", "10.4", "A frame's payload length exceeds the configured limit",
     close_code::message_too_big},
    {"message_too_big", "10.4", "A reassembled message exceeds the configured limit",
     close_code::message_too_big},
    {"unexpected_continuation", "5.4",
     "A continuation frame arrived while no fragmented message was in progress",
     close_code::protocol_error},
    {"expected_continuation", "5.4",
     "A new data frame arrived while a fragmented message was in progress",
     close_code::protocol_error},
    {"invalid_utf8", "8.1", "A text message MUST contain valid UTF-8",
     close_code::invalid_frame_payload_data},
    {"close_payload_too_short", "5.5.1",
     "A close frame body MUST be empty or begin with a 2-byte status code",
     close_code::protocol_error},
    {"invalid_close_code", "7.4", "The close status code is not one that may be sent on the wire",
     close_code::protocol_error},
    {"invalid_close_reason", "5.5.1", "The close reason MUST be valid UTF-8",
     close_code::protocol_error},
    {"compressed_control_frame", "6.1",
     "An endpoint MUST NOT set the Per-Message Compressed bit (RSV1) of control frames",
     close_code::protocol_error},
    {"compressed_continuation", "6.1",
     "An endpoint MUST NOT set the Per-Message Compressed bit (RSV1) of non-first fragments",
     close_code::protocol_error},
    {"invalid_deflate_data", "7.2.2", "A compressed message MUST inflate as DEFLATE data",
     close_code::invalid_frame_payload_data},
    {"inflated_message_too_big", "8.1", "An inflated message exceeds the configured limit",
     close_code::message_too_big},
}};

constexpr violation_info unknown{"unknown", "", "Not a violation", close_code::protocol_error};

const violation_info& info(violation v) noexcept
{
    auto i = static_cast<std::size_t>(v);
    return i < violation_count ? infos[i] : unknown;
}

}  // namespace

std::string_view name(violation v) noexcept { return info(v).name; }

std::string_view section(violation v) noexcept { return info(v).section; }

std::string_view describe(violation v) noexcept { return info(v).description; }

std::string_view rfc(violation v) noexcept
{
    switch (v) {
    case violation::compressed_control_frame:
    case violation::compressed_continuation:
    case violation::invalid_deflate_data:
    case violation::inflated_message_too_big: return "RFC 7692";
    default: return "RFC 6455";
    }
}

std::uint16_t close_code_for(violation v) noexcept { return info(v).close_code; }

}  // namespace wsh::codec
