// SPDX-License-Identifier: MIT
#include "cases/catalogue.hpp"

#include <algorithm>

namespace wsh::cases {

const std::vector<suite::test_case>& catalogue()
{
    static const std::vector<suite::test_case> all = [] {
        std::vector<suite::test_case> cases;
        for (auto category : {framing, pings, reserved_bits, opcodes, fragmentation, utf8_handling, close_handling, limits, misc, compression,
                              opening_handshake_server, opening_handshake_client, masking, lengths_and_limits, robustness,
                              compression_robustness}) {
            auto part = category();
            std::move(part.begin(), part.end(), std::back_inserter(cases));
        }
        std::stable_sort(cases.begin(), cases.end(),
                         [](const auto& a, const auto& b) { return suite::id_less(a.id, b.id); });
        return cases;
    }();
    return all;
}

}  // namespace wsh::cases
