// SPDX-License-Identifier: MIT
// Property: parse_extensions never crashes, and whatever it accepts, written back with every
// parameter value as a quoted-string, parses to the same offers (names, parameters, values).
// Input: a Sec-WebSocket-Extensions header value.
#include "../common/check.hpp"

#include "handshake/handshake.hpp"

#include <string>

namespace {

using namespace wsh::handshake;

std::string quote(const std::string& value)
{
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + "\"";
}

std::string serialize(const std::vector<extension_offer>& offers)
{
    std::string out;
    for (const auto& offer : offers) {
        if (!out.empty()) out += ", ";
        out += offer.name;
        for (const auto& [name, value] : offer.params) {
            out += "; " + name;
            if (value) out += "=" + quote(*value);
        }
    }
    return out;
}

bool same(const std::vector<extension_offer>& a, const std::vector<extension_offer>& b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || a[i].params != b[i].params) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using wsh::fuzz::require;
    std::string_view value(reinterpret_cast<const char*>(data), size);
    auto offers = parse_extensions(value);
    if (!offers) return 0;
    auto again = parse_extensions(serialize(*offers));
    require(again.has_value(), "a written-back offer list parses");
    require(same(*offers, *again), "a written-back offer list parses to the same offers");
    return 0;
}
