// SPDX-License-Identifier: MIT
#include "profile.hpp"

#include "command.hpp"
#include "suite/filter.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace wsh::cli {
namespace {

std::uint64_t parse_size(const std::string& key, const std::string& value)
{
    try {
        std::size_t used = 0;
        auto n = std::stoull(value, &used);
        if (used == value.size() && n > 0) return n;
    } catch (const std::exception&) {
    }
    throw usage_error("--profile " + key + " needs a positive byte count, not '" + value + "'");
}

struct sizes {
    std::uint64_t largest_frame = 0;
    std::uint64_t largest_message = 0;
};

bool is_data_opcode(std::uint8_t opcode) { return opcode <= 0x2; }

void add_frame(sizes& s, std::uint64_t& message, const codec::frame_spec& spec, std::uint64_t length)
{
    s.largest_frame = std::max(s.largest_frame, length);
    if (!is_data_opcode(spec.opcode)) return;
    message = spec.opcode == 0x0 ? message + length : length;
    s.largest_message = std::max(s.largest_message, message);
}

// The largest frame and message the case's script sends.
sizes sizes_sent(const suite::test_case& c)
{
    sizes s;
    std::uint64_t message = 0;
    for (const auto& st : suite::full_script(c)) {
        if (auto* send = std::get_if<suite::send_step>(&st)) {
            for (const auto& f : send->frames) add_frame(s, message, f.spec, f.payload ? f.payload->size() : 0);
        } else if (auto* begin = std::get_if<suite::frame_begin_step>(&st)) {
            add_frame(s, message, begin->spec, begin->declared_length);
        } else if (auto* ex = std::get_if<suite::exchange_step>(&st)) {
            add_frame(s, message, ex->frame.spec, ex->frame.payload ? ex->frame.payload->size() : 0);
        }
    }
    return s;
}

bool expects_code(const suite::test_case& c, std::uint16_t code)
{
    return std::find(c.close.codes.begin(), c.close.codes.end(), code) != c.close.codes.end();
}

}  // namespace

suite::target_profile parse_target_profile_option(const std::string& text)
{
    if (auto p = suite::parse_target_profile(text)) return *p;
    throw usage_error("--target-profile: unknown profile '" + text + "' (echo, sink, push, broadcast)");
}

profile parse_profile(const std::string& text)
{
    profile p;
    for (const auto& item : suite::split_patterns(text)) {
        auto eq = item.find('=');
        auto key = item.substr(0, eq);
        auto value = eq == std::string::npos ? "" : item.substr(eq + 1);
        if (key == "no-utf8-validation" && value.empty()) p.no_utf8_validation = true;
        else if (key == "no-compression" && value.empty()) p.no_compression = true;
        else if (key == "max-message") p.max_message = parse_size(key, value);
        else if (key == "max-frame") p.max_frame = parse_size(key, value);
        else
            throw usage_error("unknown --profile entry '" + item +
                              "' (known: no-utf8-validation, no-compression, max-message=N, max-frame=N)");
    }
    return p;
}

std::optional<std::string> skip_reason(const suite::test_case& c, const profile& p)
{
    int category = suite::category_of(c.id);
    // 1007 (invalid_frame_payload_data) is the code a validating endpoint fails with (§7.4.1).
    if (p.no_utf8_validation && expects_code(c, 1007))
        return "profile no-utf8-validation: the target declares it does not validate UTF-8";
    if (p.no_compression && (category == 12 || category == 13))
        return "profile no-compression: the target declares it has no permessage-deflate";
    // Building the sends costs category 9's megabytes: only when a size limit asks.
    if (!p.max_message && !p.max_frame) return std::nullopt;
    auto s = sizes_sent(c);
    if (p.max_message && s.largest_message > *p.max_message)
        return fmt::format("profile max-message={}: the case sends a {}-byte message", *p.max_message,
                           s.largest_message);
    if (p.max_frame && s.largest_frame > *p.max_frame)
        return fmt::format("profile max-frame={}: the case sends a {}-byte frame", *p.max_frame, s.largest_frame);
    return std::nullopt;
}

}  // namespace wsh::cli
