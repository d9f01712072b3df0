// SPDX-License-Identifier: MIT
// The reference peer's injectable faults: each is exactly one known bug. Adding one is a line
// in the table of faults.cpp plus the code of the bug (or just the check it switches off).
#pragma once

#include "codec/violation.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace wsh::peer {

enum class fault : std::uint8_t {
    none,
    no_utf8_validation,
    accept_wrong_mask_direction,
    ignore_rsv_bits,
    accept_reserved_opcodes,
    accept_fragmented_control,
    accept_oversized_control,
    pong_wrong_payload,
    no_pong,
    close_wrong_code,
    no_close_reply,
    echo_after_close,
    accept_bad_close_codes,
    accept_invalid_close_reason,
    accept_interleaved_data,
    truncate_large_messages,
    wrong_accept_key,   // serve only
    skip_accept_check,  // drive only
    accept_any_key,              // serve only
    no_version_header,           // serve only
    select_unoffered_protocol,   // serve only
    accept_non_minimal_length,
    no_size_limit,
    reject_registered_close_codes,
    answer_while_closing,     // serve only
    crash_on_rsv2,            // found by the network fuzzer (wsharness fuzz)
    hang_on_fragmented_ping,  // found by the network fuzzer
    leak_on_many_fragments,   // found by the network fuzzer
    deflate_ignore_context_takeover,
    deflate_ignore_window_bits,
    deflate_rsv1_on_continuation,
    deflate_accept_rsv1_on_continuation,
    deflate_accept_rsv1_on_control,
    deflate_no_size_limit,
    deflate_no_utf8_after_inflate,
    deflate_echo_as_received,
    accept_non_101,                // drive only: category 21
    accept_http10_upgrade,         // drive only
    ignore_upgrade_header,         // drive only
    ignore_connection_header,      // drive only
    accept_unoffered_subprotocol,  // drive only
    accept_unoffered_extension,    // drive only
    unmasked_frames,               // drive only: category 22
    fixed_mask_key,                // drive only
};

enum class fault_scope : std::uint8_t { both, serve, drive };

struct fault_info {
    fault id = fault::none;
    std::string_view name;     // as on the command line: "no-utf8-validation"
    std::string_view summary;  // one line
    fault_scope scope = fault_scope::both;
    codec::violation_set ignored;  // checks the bug switches off
};

[[nodiscard]] std::span<const fault_info> all_faults() noexcept;
[[nodiscard]] const fault_info& info(fault f) noexcept;
[[nodiscard]] std::optional<fault> find_fault(std::string_view name) noexcept;

}  // namespace wsh::peer
