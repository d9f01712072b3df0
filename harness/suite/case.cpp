// SPDX-License-Identifier: MIT
#include "suite/case.hpp"

#include <algorithm>
#include <charconv>

namespace wsh::suite {

std::string_view to_string(behavior b) noexcept
{
    switch (b) {
    case behavior::ok: return "OK";
    case behavior::non_strict: return "NON-STRICT";
    case behavior::informational: return "INFORMATIONAL";
    case behavior::unimplemented: return "UNIMPLEMENTED";
    case behavior::failed: return "FAILED";
    case behavior::error: return "ERROR";
    }
    return "ERROR";
}

std::string_view to_string(close_behavior b) noexcept
{
    switch (b) {
    case close_behavior::ok: return "OK";
    case close_behavior::failed: return "FAILED";
    case close_behavior::unclean: return "UNCLEAN";
    case close_behavior::wrong_code: return "WRONG CODE";
    case close_behavior::failed_by_client: return "FAILED BY CLIENT";
    case close_behavior::informational: return "INFORMATIONAL";
    case close_behavior::error: return "ERROR";
    }
    return "ERROR";
}

bool operator==(const event& a, const event& b)
{
    if (a.what != b.what || a.binary != b.binary) return false;
    static const bytes empty;
    const bytes& x = a.data ? *a.data : empty;
    const bytes& y = b.data ? *b.data : empty;
    return x == y;
}

std::vector<step> full_script(const test_case& c)
{
    std::vector<step> out = c.make_sends ? c.make_sends() : std::vector<step>{};
    out.insert(out.end(), c.script.begin(), c.script.end());
    return out;
}

std::vector<int> id_tuple(std::string_view id)
{
    std::vector<int> parts;
    while (!id.empty()) {
        auto dot = id.find('.');
        auto part = id.substr(0, dot);
        int value = 0;
        std::from_chars(part.data(), part.data() + part.size(), value);
        parts.push_back(value);
        if (dot == std::string_view::npos) break;
        id.remove_prefix(dot + 1);
    }
    return parts;
}

bool id_less(std::string_view a, std::string_view b)
{
    return id_tuple(a) < id_tuple(b);
}

int category_of(std::string_view id)
{
    auto t = id_tuple(id);
    return t.empty() ? 0 : t.front();
}

std::string category_name(int category)
{
    switch (category) {
    case 1: return "1 Framing";
    case 2: return "2 Pings/Pongs";
    case 3: return "3 Reserved Bits";
    case 4: return "4 Opcodes";
    case 5: return "5 Fragmentation";
    case 6: return "6 UTF-8 Handling";
    case 7: return "7 Close Handling";
    case 9: return "9 Limits/Performance";
    case 10: return "10 Misc";
    case 12: return "12 WebSocket Compression (different payloads)";
    case 13: return "13 WebSocket Compression (different parameters)";
    case 20: return "20 Opening Handshake (testing a server)";
    case 21: return "21 Opening Handshake (testing a client)";
    case 22: return "22 Masking";
    case 23: return "23 Length Encoding and Limits";
    case 24: return "24 Robustness";
    case 25: return "25 Compression (RFC 7692)";
    default: return std::to_string(category);
    }
}

}  // namespace wsh::suite

namespace wsh::suite {

std::vector<std::pair<std::size_t, std::size_t>> payload_source::byte_ranges(std::size_t index,
                                                                              std::size_t size) const
{
    const std::size_t total = units();
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    if (total == 0 || size == 0) return ranges;
    std::size_t unit = static_cast<std::size_t>((static_cast<unsigned __int128>(index) * size) % total);
    auto byte_at = [&](std::size_t u) { return text ? std::size_t{code_points[u]} : u; };
    std::size_t left = size;
    while (left > 0) {
        const std::size_t take = std::min(left, total - unit);
        ranges.emplace_back(byte_at(unit), unit + take == total ? data.size() : byte_at(unit + take));
        left -= take;
        unit = 0;
    }
    return ranges;
}

bytes payload_source::slice(std::size_t index, std::size_t size) const
{
    bytes out;
    for (const auto& [from, to] : byte_ranges(index, size))
        out.insert(out.end(), data.begin() + static_cast<std::ptrdiff_t>(from),
                   data.begin() + static_cast<std::ptrdiff_t>(to));
    return out;
}

}  // namespace wsh::suite
