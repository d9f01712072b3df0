// SPDX-License-Identifier: MIT
// Every way a peer can break RFC 6455 that the codec detects, named in the RFC's words.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace wsh::codec {

enum class violation : std::uint8_t {
    reserved_bits_set,           // §5.2: RSV1-3 MUST be 0 unless an extension defines them
    reserved_opcode,             // §5.2: opcodes 3-7 and B-F are reserved
    fragmented_control_frame,    // §5.5: control frames MUST NOT be fragmented
    control_frame_too_long,      // §5.5: control payload MUST be 125 bytes or less
    non_minimal_length,          // §5.2: the minimal number of bytes MUST be used
    length_top_bit_set,          // §5.2: the most significant bit of a 64-bit length MUST be 0
    unmasked_client_frame,       // §5.1: a server MUST close on an unmasked frame
    masked_server_frame,         // §5.1: a client MUST close on a masked frame
    payload_too_big,             // §10.4: frame payload over the configured limit
    message_too_big,             // §10.4: reassembled message over the configured limit
    unexpected_continuation,     // §5.4: continuation frame with no message in progress
    expected_continuation,       // §5.4: new data frame inside a fragmented message
    invalid_utf8,                // §8.1: text message payload is not valid UTF-8
    close_payload_too_short,     // §5.5.1: a close body is empty or at least 2 bytes
    invalid_close_code,          // §7.4: code not allowed on the wire
    invalid_close_reason,        // §5.5.1: close reason is not valid UTF-8
    compressed_control_frame,    // RFC 7692 §6.1: RSV1 ("Per-Message Compressed") on a control frame
    compressed_continuation,     // RFC 7692 §6.1: RSV1 on a frame other than a message's first
    invalid_deflate_data,        // RFC 7692 §7.2.2: a compressed message that does not inflate
    inflated_message_too_big,    // RFC 7692 §8.1, §10.4: inflated message over the configured limit
    count_                       // number of violations, not a violation
};

inline constexpr std::size_t violation_count = static_cast<std::size_t>(violation::count_);

// Identifier used in reports and on the command line ("fragmented_control_frame").
[[nodiscard]] std::string_view name(violation v) noexcept;

// The RFC section that states the rule ("5.5", "8.1").
[[nodiscard]] std::string_view section(violation v) noexcept;

// The RFC that states it: "RFC 6455", or "RFC 7692" for permessage-deflate.
[[nodiscard]] std::string_view rfc(violation v) noexcept;

// One sentence describing the rule, for reports.
[[nodiscard]] std::string_view describe(violation v) noexcept;

// The close code an endpoint sends when it fails the connection for this violation:
// 1007 for invalid UTF-8 in a text message, 1009 for limits, 1002 for everything else.
[[nodiscard]] std::uint16_t close_code_for(violation v) noexcept;

// A set of violations, used to switch individual checks off (the reference peer's faults).
class violation_set {
public:
    constexpr violation_set() = default;
    constexpr violation_set(std::initializer_list<violation> vs)
    {
        for (auto v : vs) add(v);
    }
    constexpr void add(violation v) noexcept { bits_ |= bit(v); }
    [[nodiscard]] constexpr bool contains(violation v) const noexcept { return (bits_ & bit(v)) != 0; }
    [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }

private:
    static constexpr std::uint32_t bit(violation v) noexcept
    {
        return std::uint32_t{1} << static_cast<unsigned>(v);
    }
    std::uint32_t bits_ = 0;
};

}  // namespace wsh::codec
