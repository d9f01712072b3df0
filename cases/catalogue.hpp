// SPDX-License-Identifier: MIT
// The case catalogue: every category's declarations, in Autobahn's order of ids.
#pragma once

#include "suite/case.hpp"

#include <vector>

namespace wsh::cases {

// All cases, sorted by id tuple. Built once; references stay valid for the program's life.
[[nodiscard]] const std::vector<suite::test_case>& catalogue();

// One function per category file.
std::vector<suite::test_case> framing();          // c01_framing.cpp
std::vector<suite::test_case> pings();            // c02_pings.cpp
std::vector<suite::test_case> reserved_bits();    // c03_reserved_bits.cpp
std::vector<suite::test_case> opcodes();          // c04_opcodes.cpp
std::vector<suite::test_case> fragmentation();    // c05_fragmentation.cpp
std::vector<suite::test_case> utf8_handling();    // c06_utf8.cpp
std::vector<suite::test_case> close_handling();   // c07_close.cpp
std::vector<suite::test_case> limits();           // c09_limits.cpp
std::vector<suite::test_case> misc();             // c10_misc.cpp
std::vector<suite::test_case> compression();      // c12_compression.cpp (categories 12 and 13)
std::vector<suite::test_case> opening_handshake_server();  // c20_handshake.cpp
std::vector<suite::test_case> opening_handshake_client();  // c21_client_handshake.cpp
std::vector<suite::test_case> masking();                   // c22_masking.cpp
std::vector<suite::test_case> lengths_and_limits();        // c23_lengths.cpp
std::vector<suite::test_case> robustness();                // c24_robustness.cpp
std::vector<suite::test_case> compression_robustness();    // c25_compression.cpp

}  // namespace wsh::cases
