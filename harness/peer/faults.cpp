// SPDX-License-Identifier: MIT
#include "peer/faults.hpp"

#include <array>

namespace wsh::peer {
namespace {

using v = codec::violation;

constexpr fault_info none_info{fault::none, "none", "a correct peer", fault_scope::both, {}};

const std::array faults{
    fault_info{fault::no_utf8_validation, "no-utf8-validation",
               "accepts text messages that are not valid UTF-8 (RFC 6455 §8.1)", fault_scope::both,
               {v::invalid_utf8}},
    fault_info{fault::accept_wrong_mask_direction, "accept-wrong-mask-direction",
               "accepts unmasked frames from a client / masked frames from a server (§5.1)",
               fault_scope::both, {v::unmasked_client_frame, v::masked_server_frame}},
    fault_info{fault::ignore_rsv_bits, "ignore-rsv-bits",
               "ignores RSV bits that no extension negotiated (§5.2)", fault_scope::both,
               {v::reserved_bits_set}},
    fault_info{fault::accept_reserved_opcodes, "accept-reserved-opcodes",
               "silently drops frames with reserved opcodes instead of failing (§5.2)",
               fault_scope::both, {v::reserved_opcode}},
    fault_info{fault::accept_fragmented_control, "accept-fragmented-control",
               "accepts control frames with FIN=0 (§5.5)", fault_scope::both,
               {v::fragmented_control_frame}},
    fault_info{fault::accept_oversized_control, "accept-oversized-control",
               "accepts control frames with more than 125 bytes of payload (§5.5)",
               fault_scope::both, {v::control_frame_too_long}},
    fault_info{fault::pong_wrong_payload, "pong-wrong-payload",
               "answers a ping with a pong whose payload differs (§5.5.3)", fault_scope::both, {}},
    fault_info{fault::no_pong, "no-pong", "never answers pings (§5.5.2)", fault_scope::both, {}},
    fault_info{fault::close_wrong_code, "close-wrong-code",
               "every Close it sends carries 1011 instead of the right code (§7.4.1)",
               fault_scope::both, {}},
    fault_info{fault::no_close_reply, "no-close-reply",
               "never answers a Close frame (§5.5.1)", fault_scope::both, {}},
    fault_info{fault::echo_after_close, "echo-after-close",
               "still echoes data frames that arrive behind a Close (§5.5.1)", fault_scope::both, {}},
    fault_info{fault::accept_bad_close_codes, "accept-bad-close-codes",
               "accepts close codes that are not allowed on the wire (§7.4)", fault_scope::both,
               {v::invalid_close_code}},
    fault_info{fault::accept_invalid_close_reason, "accept-invalid-close-reason",
               "accepts a close reason that is not valid UTF-8 (§5.5.1)", fault_scope::both,
               {v::invalid_close_reason}},
    fault_info{fault::accept_interleaved_data, "accept-interleaved-data",
               "lets a new data frame start inside a fragmented message (§5.4)", fault_scope::both,
               {v::expected_continuation}},
    fault_info{fault::truncate_large_messages, "truncate-large-messages",
               "echoes only the first 65535 bytes of longer messages", fault_scope::both, {}},
    fault_info{fault::wrong_accept_key, "wrong-accept-key",
               "answers the opening handshake with a wrong Sec-WebSocket-Accept (§4.2.2)",
               fault_scope::serve, {}},
    fault_info{fault::skip_accept_check, "skip-accept-check",
               "does not check the server's Sec-WebSocket-Accept: missing, wrong or repeated (§4.1)",
               fault_scope::drive, {}},
    fault_info{fault::accept_non_101, "accept-non-101",
               "takes any status with upgrade headers for an upgrade, not only 101 (§4.1)",
               fault_scope::drive, {}},
    fault_info{fault::accept_http10_upgrade, "accept-http10-upgrade",
               "takes an HTTP/1.0 101 answer for an upgrade (RFC 9110 §7.8, §15.2: 101 is HTTP/1.1)",
               fault_scope::drive, {}},
    fault_info{fault::ignore_upgrade_header, "ignore-upgrade-header",
               "does not check the server's Upgrade: websocket (§4.1)", fault_scope::drive, {}},
    fault_info{fault::ignore_connection_header, "ignore-connection-header",
               "does not check the server's Connection: Upgrade (§4.1)", fault_scope::drive, {}},
    fault_info{fault::accept_unoffered_subprotocol, "accept-unoffered-subprotocol",
               "accepts a Sec-WebSocket-Protocol it did not offer (§4.1)", fault_scope::drive, {}},
    fault_info{fault::accept_unoffered_extension, "accept-unoffered-extension",
               "accepts a Sec-WebSocket-Extensions it did not offer (§4.1)", fault_scope::drive, {}},
    fault_info{fault::unmasked_frames, "unmasked-frames",
               "sends its frames unmasked (a client MUST mask every frame, §5.3)", fault_scope::drive, {}},
    fault_info{fault::fixed_mask_key, "fixed-mask-key",
               "masks every frame with the same key (§5.3: a fresh, unpredictable key per frame)",
               fault_scope::drive, {}},
    fault_info{fault::accept_any_key, "accept-any-key",
               "accepts a Sec-WebSocket-Key that is missing, not base64 or not 16 bytes (§4.2.1)",
               fault_scope::serve, {}},
    fault_info{fault::no_version_header, "no-version-header",
               "refuses a wrong version without naming Sec-WebSocket-Version: 13 (§4.2.2, §4.4)",
               fault_scope::serve, {}},
    fault_info{fault::select_unoffered_protocol, "select-unoffered-protocol",
               "answers a subprotocol offer with one the client did not offer (§4.2.2)",
               fault_scope::serve, {}},
    fault_info{fault::accept_non_minimal_length, "accept-non-minimal-length",
               "accepts payload lengths not written in the minimal number of bytes (§5.2)",
               fault_scope::both, {v::non_minimal_length}},
    fault_info{fault::no_size_limit, "no-size-limit",
               "imposes no limit on frame or message size and waits for any declared length (§10.4)",
               fault_scope::both, {v::payload_too_big, v::message_too_big}},
    fault_info{fault::reject_registered_close_codes, "reject-registered-close-codes",
               "fails the connection on close codes 1012-1014, registered after RFC 6455 (§7.4.2)",
               fault_scope::both, {}},
    fault_info{fault::answer_while_closing, "answer-while-closing",
               "after sending its Close keeps reading for 100 ms and still echoes messages, answers "
               "Pings and every Close (§5.5.1, §7.1.7)",
               fault_scope::serve, {}},
    fault_info{fault::crash_on_rsv2, "crash-on-rsv2",
               "the process aborts on a frame with RSV2 set (other RSV bits still fail, §5.2)",
               fault_scope::both, {v::reserved_bits_set}},
    fault_info{fault::hang_on_fragmented_ping, "hang-on-fragmented-ping",
               "a ping inside a fragmented message stalls the connection: no pong, no close",
               fault_scope::both, {}},
    fault_info{fault::leak_on_many_fragments, "leak-on-many-fragments",
               "every continuation frame leaks 256 KiB; past 64 MiB the process dies (out of memory)",
               fault_scope::both, {}},
    fault_info{fault::deflate_ignore_context_takeover, "deflate-ignore-context-takeover",
               "with --deflate: keeps its compression context across messages although it agreed "
               "to *_no_context_takeover (RFC 7692 §7.1.1)", fault_scope::both, {}},
    fault_info{fault::deflate_ignore_window_bits, "deflate-ignore-window-bits",
               "with --deflate: compresses with a 15-bit window whatever *_max_window_bits it "
               "agreed to (RFC 7692 §7.1.2)", fault_scope::both, {}},
    fault_info{fault::deflate_rsv1_on_continuation, "deflate-rsv1-on-continuation",
               "with --deflate: sends each echo in two frames and sets RSV1 on the continuation "
               "too (RFC 7692 §6.1)", fault_scope::both, {}},
    fault_info{fault::deflate_accept_rsv1_on_continuation, "deflate-accept-rsv1-on-continuation",
               "with --deflate: accepts RSV1 on a continuation frame (RFC 7692 §6.1)",
               fault_scope::both, {v::compressed_continuation}},
    fault_info{fault::deflate_accept_rsv1_on_control, "deflate-accept-rsv1-on-control",
               "with --deflate: accepts RSV1 on a control frame (RFC 7692 §6.1)", fault_scope::both,
               {v::compressed_control_frame}},
    fault_info{fault::deflate_no_size_limit, "deflate-no-size-limit",
               "with --deflate: inflates messages without a size limit (a deflate bomb, RFC 7692 §8.1)",
               fault_scope::both, {}},
    fault_info{fault::deflate_no_utf8_after_inflate, "deflate-no-utf8-after-inflate",
               "with --deflate: does not validate the UTF-8 of inflated text messages (RFC 6455 §8.1)",
               fault_scope::both, {}},
    fault_info{fault::deflate_echo_as_received, "deflate-echo-as-received",
               "with --deflate: echoes compressed messages in the bytes they came in, even where its "
               "agreed window or no_context_takeover forbids them; as a server it asks the client "
               "for no matching parameters (RFC 7692 §7.1.1, §7.1.2)",
               fault_scope::both, {}},
};

}  // namespace

std::span<const fault_info> all_faults() noexcept { return faults; }

const fault_info& info(fault f) noexcept
{
    for (const auto& i : faults)
        if (i.id == f) return i;
    return none_info;
}

std::optional<fault> find_fault(std::string_view name) noexcept
{
    if (name == "none") return fault::none;
    for (const auto& i : faults)
        if (i.name == name) return i.id;
    return std::nullopt;
}

}  // namespace wsh::peer
