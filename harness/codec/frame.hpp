// SPDX-License-Identifier: MIT
// Wire vocabulary of RFC 6455: opcodes, the frame header, close codes, roles.
#pragma once

#include <array>
#include <cstdint>

namespace wsh::codec {

// RFC 6455 §5.2: the 4-bit opcode. Reserved values are not listed: the encoder writes any
// nibble on purpose, and the decoder reports them as `reserved_opcode`.
enum class opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

[[nodiscard]] constexpr std::uint8_t to_nibble(opcode op) noexcept
{
    return static_cast<std::uint8_t>(op);
}

// RFC 6455 §5.5: control frames have the most significant opcode bit set.
[[nodiscard]] constexpr bool is_control(std::uint8_t op) noexcept { return (op & 0x8) != 0; }

// RFC 6455 §5.2: %x3-7 are reserved non-control, %xB-F reserved control opcodes.
[[nodiscard]] constexpr bool is_reserved_opcode(std::uint8_t op) noexcept
{
    return (op >= 0x3 && op <= 0x7) || op >= 0xB;
}

[[nodiscard]] constexpr bool is_data(std::uint8_t op) noexcept
{
    return op == 0x1 || op == 0x2;
}

// Which end of the connection a codec instance sits on. A server receives masked frames and
// sends unmasked ones; a client the opposite (RFC 6455 §5.1).
enum class role : std::uint8_t { server, client };

// RFC 6455 §5.5: control frame payloads are at most 125 bytes.
inline constexpr std::uint64_t max_control_payload = 125;

// RFC 6455 §5.2 header, as it was (or will be) on the wire. `rsv` holds RSV1..RSV3 as bits
// 2..0 (RSV1 = 0b100), `opcode` the raw nibble, so wrong values stay representable.
struct frame_header {
    bool fin = true;
    std::uint8_t rsv = 0;
    std::uint8_t opcode = 0;
    bool masked = false;
    std::array<std::uint8_t, 4> mask{};
    std::uint64_t payload_length = 0;

    friend bool operator==(const frame_header&, const frame_header&) = default;
};

inline constexpr std::uint8_t rsv1 = 0b100;
inline constexpr std::uint8_t rsv2 = 0b010;
inline constexpr std::uint8_t rsv3 = 0b001;

// RFC 6455 §7.4.1 and the IANA "WebSocket Close Code Number Registry", by their registry names.
namespace close_code {
inline constexpr std::uint16_t normal_closure = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t unsupported_data = 1003;
inline constexpr std::uint16_t no_status_received = 1005;  // never on the wire
inline constexpr std::uint16_t abnormal_closure = 1006;    // never on the wire
inline constexpr std::uint16_t invalid_frame_payload_data = 1007;
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t message_too_big = 1009;
inline constexpr std::uint16_t mandatory_extension = 1010;
inline constexpr std::uint16_t internal_error = 1011;
inline constexpr std::uint16_t service_restart = 1012;
inline constexpr std::uint16_t try_again_later = 1013;
inline constexpr std::uint16_t bad_gateway = 1014;
inline constexpr std::uint16_t tls_handshake = 1015;  // never on the wire
}  // namespace close_code

// RFC 6455 §7.4: may this code appear in a Close frame on the wire? 1000-1003 and 1007-1014
// are defined (1012-1014 registered with IANA after the RFC), 3000-4999 are for libraries,
// frameworks and applications. 1004 is reserved; 1005, 1006 and 1015 are never sent.
[[nodiscard]] constexpr bool is_valid_close_code(std::uint16_t code) noexcept
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

}  // namespace wsh::codec
