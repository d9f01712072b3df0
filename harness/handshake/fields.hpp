// SPDX-License-Identifier: MIT
// Helpers shared by request.cpp and response.cpp.
#pragma once

#include "handshake/handshake.hpp"

#include <string>
#include <string_view>

namespace wsh::handshake::detail {

// Appends "name: value\r\n".
inline void append_field(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
}

// The values of every field called `name`, joined with ", " (RFC 9110 §5.3: the same as one
// field). Unlike http_head::list this keeps commas inside quoted strings intact.
[[nodiscard]] std::string join_values(const http_head& head, std::string_view name);

// "HTTP/x.y" at least HTTP/1.1?
[[nodiscard]] bool is_http_1_1_or_later(std::string_view version);

}  // namespace wsh::handshake::detail
