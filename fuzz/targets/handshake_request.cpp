// SPDX-License-Identifier: MIT
// Property: the request head parser never crashes, one read and two reads agree, it keeps
// exactly the bytes it consumed (never past the blank line), and check_request on any parsed
// head answers 400/426 on failure, and on success a key that is valid and offers it parsed.
// Input: the bytes a client sends, head first.
#include "../common/head.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wsh::handshake;
    using wsh::fuzz::require;
    auto parser = wsh::fuzz::parse_both_ways(head_kind::request, {data, size});
    if (!parser.error().empty() || parser.raw().empty()) return 0;
    if (parser.head().method.empty()) return 0;
    auto check = check_request(parser.head());
    if (!check.ok) {
        require(check.status == 400 || check.status == 426, "a refused request is 400 or 426");
        return 0;
    }
    require(is_valid_client_key(check.key), "an accepted request has a valid key");
    require(compute_accept(check.key).size() == 28, "the accept value is 28 characters");
    return 0;
}
