// SPDX-License-Identifier: MIT
// RFC 4648 §4 base64, written for the handshake keys: padded encoding and strict decoding.
#include "handshake/handshake.hpp"

#include <algorithm>
#include <array>

namespace wsh::handshake {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of a base64 character, or -1 if it is not in the alphabet.
constexpr std::array<std::int8_t, 256> make_decode_table() {
    std::array<std::int8_t, 256> table{};
    table.fill(-1);
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    }
    return table;
}

constexpr auto decode_table = make_decode_table();

int sextet(char c) { return decode_table[static_cast<unsigned char>(c)]; }

// Decodes one 4-character group into `out`; false on a character outside the alphabet, on
// misplaced padding or on non-zero pad bits (RFC 4648 §3.5: canonical encoding).
bool decode_group(std::string_view group, bool is_last, std::vector<std::uint8_t>& out) {
    const std::size_t pad = group[3] != '=' ? 0 : (group[2] == '=' ? 2 : 1);
    if (pad > 0 && !is_last) {
        return false;
    }
    std::uint32_t bits = 0;
    for (std::size_t i = 0; i < 4 - pad; ++i) {
        const int v = sextet(group[i]);
        if (v < 0) {
            return false;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(v);
    }
    bits <<= 6 * pad;
    const std::uint32_t unused_mask = pad == 2 ? 0xffffu : (pad == 1 ? 0xffu : 0u);
    if ((bits & unused_mask) != 0) {
        return false;
    }
    out.push_back(static_cast<std::uint8_t>(bits >> 16));
    if (pad < 2) {
        out.push_back(static_cast<std::uint8_t>(bits >> 8));
    }
    if (pad < 1) {
        out.push_back(static_cast<std::uint8_t>(bits));
    }
    return true;
}

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t bits = std::uint32_t{bytes[i]} << 16;
        if (n > 1) {
            bits |= std::uint32_t{bytes[i + 1]} << 8;
        }
        if (n > 2) {
            bits |= bytes[i + 2];
        }
        out.push_back(alphabet[(bits >> 18) & 0x3f]);
        out.push_back(alphabet[(bits >> 12) & 0x3f]);
        out.push_back(n > 1 ? alphabet[(bits >> 6) & 0x3f] : '=');
        out.push_back(n > 2 ? alphabet[bits & 0x3f] : '=');
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        if (!decode_group(text.substr(i, 4), i + 4 == text.size(), out)) {
            return std::nullopt;
        }
    }
    return out;
}

}  // namespace wsh::handshake
