// SPDX-License-Identifier: MIT
// Category 22, Masking (RFC 6455 §5.1, §5.3). 22.1 tests a server: it MUST close the connection
// on a frame that is not masked (Autobahn always masks, so it never checks this). 22.2 tests a
// client: it MUST fail on a masked frame, mask its own frames, and pick a fresh key for each.
// (Whether the target's own frames use the right direction is checked in every case: our
// decoder reports a masked frame from a server, or an unmasked one from a client, as a violation.)
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <array>
#include <string>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr const char* mask_rule =
    "A server MUST close the connection upon receiving a frame that is not masked; it MAY send a "
    "Close frame with status code 1002 (RFC 6455 §5.1)";

frame_item unmasked(frame_item f)
{
    f.unmasked = true;
    return f;
}

test_case mask_case(std::string id, std::string summary, std::vector<frame_item> frames,
                    std::vector<outcome> outcomes = {{behavior::ok, {}, true}})
{
    return test_case{
        .id = std::move(id),
        .section = "5.1",
        .summary = std::move(summary),
        .requirement = mask_rule,
        .applies_to = roles::server,
        .script = {send(std::move(frames)), kill_after(1s)},
        .outcomes = std::move(outcomes),
        .close = target_fails({1002}),
    };
}

constexpr const char* client_mask_rule =
    "A client MUST close a connection if it detects a masked frame (RFC 6455 §5.1); it MAY send a "
    "Close frame with status code 1002";
constexpr const char* client_masks_rule =
    "A client MUST mask all frames that it sends to the server (RFC 6455 §5.1, §5.3)";
constexpr const char* fresh_key_rule =
    "When preparing a masked frame, the client MUST pick a fresh masking key from the set of "
    "allowed 32-bit values; it needs to be unpredictable (RFC 6455 §5.3)";

frame_item masked(frame_item f, std::array<std::uint8_t, 4> key = {0x5a, 0x17, 0xc3, 0x01})
{
    f.spec.mask = key;
    return f;
}

test_case client_case(std::string id, std::string summary, const char* rule, std::vector<frame_item> frames,
                      std::vector<outcome> outcomes, close_expectation close)
{
    return test_case{
        .id = std::move(id),
        .section = "5.1",
        .summary = std::move(summary),
        .requirement = rule,
        .applies_to = roles::client,
        .script = {send(std::move(frames)), kill_after(1s)},
        .outcomes = std::move(outcomes),
        .close = std::move(close),
    };
}

// Category 22.2: testing a client. Its frames must be masked (checked in every case by our
// decoder, here on purpose), with a fresh key each, and it must refuse masked frames.
std::vector<test_case> client_masking()
{
    auto hello = data("Hello, world!");
    std::vector<frame_item> many;
    std::vector<event> echoes;
    for (int i = 0; i < 8; ++i) {
        auto p = dsl::data("message " + std::to_string(i));
        many.push_back(text(p));
        echoes.push_back(text_message(p));
    }
    auto fresh = client_case("22.2.5", "Send 8 text messages; expect 8 echoes, each frame masked with a key of its own",
                             fresh_key_rule, many, {{behavior::ok, echoes}}, tester_closes());
    fresh.section = "5.3";
    fresh.fresh_mask_keys = true;
    auto binary_hello = data({0x00, 0xff, 0x10, 0x80});
    auto masks = client_case("22.2.4", "Send a text and a binary message; expect both echoed in masked frames",
                             client_masks_rule, {text(hello), binary(binary_hello)},
                             {{behavior::ok, {text_message(hello), binary_message(binary_hello)}}}, tester_closes());
    masks.section = "5.3";
    return {
        client_case("22.2.1", "Send a masked text frame; expect the client to fail the connection", client_mask_rule,
                    {masked(text(hello))}, {{behavior::ok, {}, true}}, target_fails({1002})),
        client_case("22.2.2", "Send a masked ping; expect no pong and the connection failed", client_mask_rule,
                    {masked(ping(data("masked ping")))}, {{behavior::ok, {}, true}}, target_fails({1002})),
        client_case("22.2.3", "Send an unmasked text, then a masked text; expect the first echoed, then a fail",
                    client_mask_rule, {text(hello), masked(text(hello))},
                    {{behavior::ok, {text_message(hello)}}, {behavior::non_strict, {}}}, target_fails({1002})),
        masks,
        fresh,
    };
}

}  // namespace

std::vector<test_case> masking()
{
    auto hello = data("Hello, world!");
    auto client = client_masking();
    std::vector<test_case> all{
        mask_case("22.1.1", "Send an unmasked text frame; expect the target to fail the connection",
                  {unmasked(text(hello))}),
        mask_case("22.1.2", "Send an unmasked ping; expect no pong and the connection failed",
                  {unmasked(ping(data("unmasked ping")))}),
        mask_case("22.1.3", "Send a masked text, then an unmasked text; expect the first echoed, then a fail",
                  {text(hello), unmasked(text(hello))},
                  {{behavior::ok, {text_message(hello)}}, {behavior::non_strict, {}}}),
        mask_case("22.1.4", "Send a fragmented text whose continuation is unmasked; expect a fail",
                  {text(data("fragment1"), false), unmasked(continuation(data("fragment2")))}),
    };
    std::move(client.begin(), client.end(), std::back_inserter(all));
    return all;
}

}  // namespace wsh::cases
