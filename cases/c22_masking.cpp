// SPDX-License-Identifier: MIT
// Category 22, Masking, testing a server (RFC 6455 §5.1, §5.3): a server MUST close the
// connection on a frame that is not masked. Autobahn always masks, so it never checks this.
// (Whether the target's own frames use the right direction is checked in every case: our
// decoder reports a masked frame from a server as a violation.)
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

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

}  // namespace

std::vector<test_case> masking()
{
    auto hello = data("Hello, world!");
    return {
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
}

}  // namespace wsh::cases
