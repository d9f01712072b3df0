// SPDX-License-Identifier: MIT
// Target profiles (--target-profile): what kind of application the target is, and so what each
// case can check. Autobahn's catalogue assumes an echo endpoint; real applications swallow
// messages (sink), send their own (push), or relay every message to everyone inside an
// envelope (broadcast). A profile rewrites a case's echo expectations into what can be judged
// for that shape of application; everything else (protocol errors, ping/pong, reserved bits,
// opcodes, UTF-8 validation, the closing handshake) is judged unchanged.
#pragma once

#include "suite/case.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace wsh::suite {

enum class target_profile : std::uint8_t {
    echo,       // every data message comes back unchanged (Autobahn's assumption)
    sink,       // messages are consumed; nothing comes back
    push,       // the target sends messages of its own at any time and never echoes
    broadcast,  // every text message is relayed to every client as {"message": TEXT, ...}
};

[[nodiscard]] std::string_view to_string(target_profile p) noexcept;
// "echo", "sink", "push" or "broadcast"; nullopt for anything else.
[[nodiscard]] std::optional<target_profile> parse_target_profile(std::string_view text);

// The health check that replaces an echo in the sink and push profiles: a Ping with this
// payload after the case's own frames, whose Pong must come back.
[[nodiscard]] std::string_view health_ping_payload() noexcept;

// A case as `profile` judges it: the case itself (adapted), or why it cannot be judged.
struct profiled_case {
    std::optional<test_case> adapted;
    std::string unimplemented;  // set when `adapted` is empty
};

// Rewrites `c` for `profile` (a copy of `c` for echo). Never throws for any catalogue case.
[[nodiscard]] profiled_case adapt_case(const test_case& c, target_profile profile);

// Does some outcome of `c` expect a data message from the target (an echo)?
[[nodiscard]] bool expects_echo(const test_case& c);

}  // namespace wsh::suite
