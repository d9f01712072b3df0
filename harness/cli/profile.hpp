// SPDX-License-Identifier: MIT
// Capability profiles (--profile): what the target deliberately does not do. The cases that
// check such a capability become UNIMPLEMENTED with the reason, not failures.
#pragma once

#include "suite/case.hpp"
#include "suite/target_profile.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace wsh::cli {

struct profile {
    bool no_utf8_validation = false;             // text payloads are not checked (RFC 6455 §8.1)
    bool no_compression = false;                 // no permessage-deflate (categories 12, 13)
    std::optional<std::uint64_t> max_message;    // messages above N bytes are refused (§10.4)
    std::optional<std::uint64_t> max_frame;      // frames above N bytes are refused (§10.4)
};

// Parses "no-utf8-validation,max-message=65536"; a usage_error names an unknown entry.
[[nodiscard]] profile parse_profile(const std::string& text);

// Parses --target-profile (echo, sink, push, broadcast); a usage_error for anything else.
[[nodiscard]] suite::target_profile parse_target_profile_option(const std::string& text);

// Why `c` is skipped under `p`, or nullopt if it runs.
[[nodiscard]] std::optional<std::string> skip_reason(const suite::test_case& c, const profile& p);

}  // namespace wsh::cli
