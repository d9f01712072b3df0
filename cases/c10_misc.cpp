// SPDX-License-Identifier: MIT
// Autobahn category 10, Misc (10.1 Auto-fragmentation): a message fragmented by the tester
// comes back whole. The frame-count check validates wsharness's own fragmenter, not the target.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

std::vector<test_case> misc()
{
    constexpr std::size_t size = 65536;
    constexpr std::size_t fragment = 1300;  // Autobahn's autoFragmentSize
    auto p = repeated("*", size);
    return {test_case{
        .id = "10.1.1",
        .section = "5.4",
        .summary =
            "Send a 64 KiB text auto-fragmented into 1300-byte frames (1 text + 50 continuation); "
            "expect it echoed whole",
        .requirement =
            "A fragmented message consists of a single frame with the FIN bit clear and an "
            "opcode other than 0, followed by zero or more frames with the FIN bit clear and "
            "the opcode set to 0, and terminated by a single frame with the FIN bit set and an "
            "opcode of 0 (RFC 6455 §5.4)",
        .requirement_level = level::must,
        .script = {send(fragmented(0x1, p, fragment)), kill_after(10s)},
        .outcomes = {{behavior::ok, {text_message(p)}}},
        .close = tester_closes(),
        .expect_tx = {{.opcode = 0x0, .frames = size / fragment}, {.opcode = 0x1, .frames = 1}},
    }};
}

}  // namespace wsh::cases
