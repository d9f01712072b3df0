// SPDX-License-Identifier: MIT
// Category 25, permessage-deflate beyond Autobahn (RFC 7692): RSV1 where it must not be, a
// deflate bomb, invalid UTF-8 only visible after inflating, window-bits 8 and a response that
// names a parameter the offer did not have. Compressed payloads are built with an 8-bit window
// (distance-1 matches), valid under any window the target may have asked for.
#include "cases/catalogue.hpp"
#include "cases/compression_data.hpp"
#include "suite/dsl.hpp"

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr const char* rsv1_rule =
    "An endpoint MUST NOT set the \"Per-Message Compressed\" bit of control frames and non-first "
    "fragments of a data message; the receiver fails the connection (RFC 7692 §6.1, RFC 6455 §5.2)";

payload compressed(const payload& p)
{
    return std::make_shared<const bytes>(codec::deflate_message(*p, 8));
}

// The tester offers permessage-deflate as browsers do and, as a server, accepts any valid offer.
deflate_setup plain_deflate()
{
    return deflate_setup{.offers = {codec::deflate_params{.client_max_window_bits = true}}};
}

test_case rsv1_on_continuation()
{
    auto c = compressed(repeated("Hello, compressed world! ", 400));
    const auto half = c->size() / 2;
    return test_case{
        .id = "25.1.1",
        .section = "RFC 7692 §6.1",
        .summary = "Send a compressed text message in two frames with RSV1 on both; expect the target "
                   "to fail the connection",
        .requirement = rsv1_rule,
        .script = {send({text(slice(c, 0, half), false, codec::rsv1),
                         frame(0x0, slice(c, half, c->size()), true, codec::rsv1)}),
                   kill_after(2s)},
        .outcomes = {{behavior::ok, {}}},
        .close = target_fails({1002}),
        .deflate = plain_deflate(),
    };
}

test_case rsv1_on_control()
{
    return test_case{
        .id = "25.1.2",
        .section = "RFC 7692 §6.1",
        .summary = "Send a Ping with RSV1 set after negotiating permessage-deflate; expect the target "
                   "to fail the connection",
        .requirement = rsv1_rule,
        .script = {send({frame(0x9, data("ping"), true, codec::rsv1)}), kill_after(2s)},
        .outcomes = {{behavior::ok, {}}},
        .close = target_fails({1002}),
        .deflate = plain_deflate(),
    };
}

test_case rsv1_without_negotiation()
{
    return test_case{
        .id = "25.1.3",
        .section = "RFC 7692 §6.1",
        .summary = "Send a compressed text message with RSV1 without having negotiated "
                   "permessage-deflate; expect the target to fail the connection",
        .requirement = "RSV1 MUST be 0 unless an extension that defines it was negotiated "
                       "(RFC 6455 §5.2); without permessage-deflate RSV1 is not a compression mark",
        .script = {send({text(compressed(data("Hello")), true, codec::rsv1)}), kill_after(2s)},
        .outcomes = {{behavior::ok, {}}},
        .close = target_fails({1002}),
    };
}

test_case bomb()
{
    // 168 MB of zeros from 163 KB: above the limits of common libraries (ws: 100 MiB,
    // websockets' echo server here: 100 MiB, the reference peer: 64 MiB).
    constexpr std::uint64_t matches = 650'000;
    auto b = std::make_shared<const bytes>(codec::deflate_zero_bomb(matches));
    return test_case{
        .id = "25.2.1",
        .section = "RFC 7692 §8.1",
        .summary = "Send a binary message of 163 KB that inflates to 168 MB of zeros (a deflate bomb); "
                   "expect the target to refuse it with 1009 (or 1008) instead of inflating it all",
        .requirement = "An endpoint SHOULD limit the size of a decompressed message and fail the "
                       "connection with 1009 when it is passed (RFC 7692 §8.1, RFC 6455 §10.4)",
        .requirement_level = level::should,
        .script = {send({binary(b, true, codec::rsv1)}), kill_after(10s)},
        .outcomes = {{behavior::ok, {}}},
        .close = target_fails({1009, 1008}),
        .wirelog = false,
        .deflate = plain_deflate(),
    };
}

test_case invalid_utf8_inside()
{
    // 64 KiB of text whose byte 60000 is 0xff: only the inflated message shows it.
    std::string body(65536, 'a');
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
    body[60000] = '\xff';
    return test_case{
        .id = "25.3.1",
        .section = "RFC 7692 §7.2.2",
        .summary = "Send a compressed text message of 64 KiB whose inflated byte 60000 is 0xFF; "
                   "expect the target to fail the connection with 1007",
        .requirement = "A text message MUST be valid UTF-8 once decompressed; the receiver fails the "
                       "connection with 1007 (RFC 6455 §8.1 after RFC 7692 §7.2.2)",
        .script = {send({text(compressed(dsl::data(body)), true, codec::rsv1)}), kill_after(2s)},
        .outcomes = {{behavior::ok, {}}},
        .close = target_fails_strictly({1007}),
        .deflate = plain_deflate(),
    };
}

test_case window_bits_8()
{
    // As client: ask the server for an 8-bit window, with a plain offer after it. As server:
    // limit the client to 8 bits if it offered client_max_window_bits.
    deflate_setup d{.offers = {codec::deflate_params{.server_max_window_bits = 8, .client_max_window_bits = true},
                               codec::deflate_params{.client_max_window_bits = true}},
                    .answers = {{.request_client_max_window_bits = 8}, {}}};
    return test_case{
        .id = "25.4.1",
        .section = "RFC 7692 §7.1.2",
        .summary = "Offer (or answer) max_window_bits=8, then echo 100 compressed 4096-character "
                   "JSON text messages; the target declines the offer or keeps to a 256-byte window",
        .requirement = "An endpoint that agreed to a max_window_bits value MUST NOT use a larger LZ77 "
                       "sliding window; a server MAY decline an offer it cannot honour (RFC 7692 "
                       "§7.1.2.1, §7.1.2.2)",
        .script = {close_after(60s), compressed_echo_step{.source = json_text(), .size = 4096, .count = 100}},
        .close = tester_closes(),
        .judged_by = judge::echo_rounds,
        .wirelog = false,
        .deflate = std::move(d),
    };
}

test_case unoffered_client_window_bits()
{
    return test_case{
        .id = "25.4.2",
        .section = "RFC 7692 §7.1.2.2",
        .summary = "Offer permessage-deflate without client_max_window_bits, then echo 10 compressed "
                   "messages; the response must not name client_max_window_bits",
        .requirement = "If a received offer doesn't have the client_max_window_bits parameter, the "
                       "corresponding response MUST NOT include it (RFC 7692 §7.1.2.2)",
        .applies_to = roles::server,
        .script = {close_after(10s), compressed_echo_step{.source = json_text(), .size = 256, .count = 10}},
        .close = tester_closes(),
        .judged_by = judge::echo_rounds,
        .wirelog = false,
        .deflate = deflate_setup{.offers = {codec::deflate_params{}}},
    };
}

}  // namespace

std::vector<test_case> compression_robustness()
{
    std::vector<test_case> cases{rsv1_on_continuation(), rsv1_on_control(), rsv1_without_negotiation(), bomb(),
                                 invalid_utf8_inside(), window_bits_8(), unoffered_client_window_bits()};
    return cases;
}

}  // namespace wsh::cases
