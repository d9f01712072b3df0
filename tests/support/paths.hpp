// SPDX-License-Identifier: MIT
// Where the end-to-end tests find the wsharness binary and the repo's fixtures (set by CMake).
#pragma once

#include <string>

namespace wsh::test {

inline std::string wsharness_binary() { return WSH_BINARY; }
inline std::string source_dir() { return WSH_SOURCE_DIR; }
// Debian's python3 sees Debian's python3-websockets; the python3 first on PATH may not.
inline std::string debian_python() { return "/usr/bin/python3"; }

}  // namespace wsh::test
