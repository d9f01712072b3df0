// SPDX-License-Identifier: MIT
// Property: the response head parser never crashes, one read and two reads agree, it keeps
// exactly the bytes it consumed, and check_response on any parsed head accepts only a 101
// carrying the right accept value, with a subprotocol and extensions that were offered.
// Input: the bytes a server answers with, head first.
#include "../common/head.hpp"

#include <array>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wsh::handshake;
    using wsh::fuzz::require;
    auto parser = wsh::fuzz::parse_both_ways(head_kind::response, {data, size});
    if (!parser.error().empty() || parser.raw().empty()) return 0;
    const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";  // RFC 6455 §1.3's example key
    const std::array<std::string, 2> protocols{"chat", "superchat"};
    const std::array<std::string, 1> extensions{"permessage-deflate"};
    auto check = check_response(parser.head(), key, protocols, extensions);
    if (!check.ok) return 0;
    require(parser.head().status == 101, "an accepted response is 101");
    require(parser.head().find("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            "an accepted response carries the right accept value");
    if (check.protocol)
        require(*check.protocol == "chat" || *check.protocol == "superchat",
                "an accepted subprotocol was offered");
    for (const auto& e : check.extensions)
        require(e.name == "permessage-deflate", "an accepted extension was offered");
    return 0;
}
