// SPDX-License-Identifier: MIT
// RFC 9112 §2-§5 message head: incremental framing on the blank line, then a strict parse of
// the start line and the header fields.
#include "handshake/handshake.hpp"

#include "handshake/text.hpp"

#include <algorithm>

namespace wsh::handshake {
namespace {

using detail::is_ows;
using detail::is_token;
using detail::trim_ows;

// RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT.
bool is_http_version(std::string_view v) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return v.size() == 8 && v.starts_with("HTTP/") && digit(v[5]) && v[6] == '.' && digit(v[7]);
}

// Does the head end with an empty line (LF LF or LF CR LF)?
bool ends_with_blank_line(std::string_view raw) {
    return raw.ends_with("\n\n") || raw.ends_with("\n\r\n");
}

// RFC 9110 §5.5: field values are visible characters, SP, HTAB and obs-text; CTLs are invalid.
bool is_field_value(std::string_view v) {
    return std::none_of(v.begin(), v.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\t') || u == 0x7f;
    });
}

// Splits the head into lines without their terminators; false on a CR not followed by LF.
bool split_lines(std::string_view raw, std::vector<std::string_view>& lines) {
    while (!raw.empty()) {
        const std::size_t lf = raw.find('\n');
        std::string_view line = raw.substr(0, lf);
        raw.remove_prefix(lf + 1);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        // RFC 9112 §2.2: a bare CR is rejected rather than guessed at.
        if (line.find('\r') != std::string_view::npos) {
            return false;
        }
        lines.push_back(line);
    }
    return true;
}

// RFC 9112 §3: request-line = method SP request-target SP HTTP-version.
bool parse_request_line(std::string_view line, http_head& head) {
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = line.find(' ', sp1 == std::string_view::npos ? sp1 : sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
        return false;
    }
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    const bool target_ok = !target.empty() && is_field_value(target) &&
                           target.find('\t') == std::string_view::npos;
    if (!is_token(method) || !target_ok || !is_http_version(version)) {
        return false;
    }
    head.method = method;
    head.target = target;
    head.version = version;
    return true;
}

// RFC 9112 §4: status-line = HTTP-version SP status-code [SP reason-phrase]. The reason is
// optional here, SP included: some servers omit both and nothing depends on it.
bool parse_status_line(std::string_view line, http_head& head) {
    if (line.size() < 12) {
        return false;
    }
    const std::string_view version = line.substr(0, 8);
    const std::string_view code = line.substr(9, 3);
    const bool code_ok = std::all_of(code.begin(), code.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
    if (!is_http_version(version) || line[8] != ' ' || !code_ok ||
        (line.size() > 12 && line[12] != ' ') || !is_field_value(line.substr(12))) {
        return false;
    }
    head.version = version;
    head.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    head.reason = line.size() > 12 ? line.substr(13) : std::string_view{};
    return true;
}

}  // namespace

head_parser::step head_parser::feed(std::span<const std::uint8_t> input) {
    step result;
    if (status_ != parse_status::need_more) {
        result.status = status_;
        return result;
    }
    for (const std::uint8_t byte : input) {
        if (raw_.size() == max_size_) {
            error_ = "header section larger than " + std::to_string(max_size_) + " bytes";
            status_ = parse_status::error;
            break;
        }
        raw_.push_back(static_cast<char>(byte));
        ++result.consumed;
        if (byte == '\n' && (raw_.size() == 1 || raw_ == "\r\n" || ends_with_blank_line(raw_))) {
            status_ = parse() ? parse_status::complete : parse_status::error;
            break;
        }
    }
    result.status = status_;
    return result;
}

bool head_parser::parse() {
    std::vector<std::string_view> lines;
    if (!split_lines(raw_, lines)) {
        error_ = "bare CR in header section";
        return false;
    }
    if (lines.front().empty()) {
        error_ = "empty start line";
        return false;
    }
    const bool start_ok = kind_ == head_kind::request ? parse_request_line(lines.front(), head_)
                                                      : parse_status_line(lines.front(), head_);
    if (!start_ok) {
        error_ = kind_ == head_kind::request ? "malformed request line" : "malformed status line";
        return false;
    }
    for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
        if (!parse_field(lines[i])) {
            return false;
        }
    }
    return true;
}

bool head_parser::parse_field(std::string_view line) {
    // RFC 9112 §5.2: obs-fold is rejected (a server may also replace it; we do not).
    if (is_ows(line.front())) {
        error_ = "obsolete line folding in header section";
        return false;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
        error_ = "header line without a colon";
        return false;
    }
    const std::string_view name = line.substr(0, colon);
    // RFC 9112 §5.1: no whitespace is allowed between the field name and the colon.
    if (!name.empty() && is_ows(name.back())) {
        error_ = "whitespace before the colon in header " + std::string{trim_ows(name)};
        return false;
    }
    // RFC 9110 §5.1: field-name = token.
    if (!is_token(name)) {
        error_ = "invalid header name";
        return false;
    }
    const std::string_view value = trim_ows(line.substr(colon + 1));
    // RFC 9110 §5.5: CTLs other than HTAB are invalid in a field value.
    if (!is_field_value(value)) {
        error_ = "invalid character in the value of header " + std::string{name};
        return false;
    }
    head_.fields.push_back({std::string{name}, std::string{value}});
    return true;
}

std::optional<std::string_view> http_head::find(std::string_view name) const {
    const auto it = std::find_if(fields.begin(), fields.end(), [&](const header_field& f) {
        return detail::iequals(f.name, name);
    });
    if (it == fields.end()) {
        return std::nullopt;
    }
    return std::string_view{it->value};
}

std::size_t http_head::count(std::string_view name) const {
    return static_cast<std::size_t>(std::count_if(
        fields.begin(), fields.end(),
        [&](const header_field& f) { return detail::iequals(f.name, name); }));
}

std::vector<std::string> http_head::list(std::string_view name) const {
    std::vector<std::string> out;
    for (const header_field& f : fields) {
        if (!detail::iequals(f.name, name)) {
            continue;
        }
        std::string_view rest = f.value;
        while (true) {
            const std::size_t comma = rest.find(',');
            const std::string_view element = trim_ows(rest.substr(0, comma));
            if (!element.empty()) {
                out.emplace_back(element);
            }
            if (comma == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(comma + 1);
        }
    }
    return out;
}

bool http_head::has_token(std::string_view name, std::string_view token) const {
    const std::vector<std::string> elements = list(name);
    return std::any_of(elements.begin(), elements.end(),
                       [&](const std::string& e) { return detail::iequals(e, token); });
}

}  // namespace wsh::handshake
