// SPDX-License-Identifier: MIT
// Comparing a run's verdicts with a stored baseline (reports/baselines/).
#pragma once

#include <set>
#include <string>

namespace wsh::test {

// In the "valid message, then a bad frame" cases Autobahn itself gives OK or NON-STRICT depending
// on whether the peer echoed the first message before it read the bad frame: a race inside the
// peer, seen to flip between runs for Python's websockets (as server and as client). There, and
// only there, OK and NON-STRICT stand for each other; every other verdict must match exactly.
inline bool same_up_to_race(const std::string& id, const std::string& got, const std::string& want)
{
    static const std::set<std::string> racy{"3.2",   "3.3",   "3.4",   "4.1.3", "4.1.4",
                                            "4.1.5", "4.2.3", "4.2.4", "4.2.5", "5.15", "22.1.3", "22.2.3"};
    if (got == want) return true;
    auto lenient = [](const std::string& b) { return b == "OK" || b == "NON-STRICT"; };
    return racy.contains(id) && lenient(got) && lenient(want);
}

}  // namespace wsh::test
