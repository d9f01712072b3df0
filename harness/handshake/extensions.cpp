// SPDX-License-Identifier: MIT
// RFC 6455 §9.1 Sec-WebSocket-Extensions grammar:
//   extension-list = 1#extension
//   extension      = extension-token *( ";" extension-param )
//   extension-param = token [ "=" (token | quoted-string) ]
#include "handshake/handshake.hpp"

#include "handshake/text.hpp"

namespace wsh::handshake {
namespace {

using detail::is_ows;
using detail::is_tchar;

// A cursor over the header value; every method leaves it after what it read.
class extension_reader {
public:
    explicit extension_reader(std::string_view text) noexcept : text_(text) {}

    [[nodiscard]] bool at_end() const noexcept { return pos_ == text_.size(); }
    [[nodiscard]] char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }
    void skip_ows() noexcept {
        while (!at_end() && is_ows(text_[pos_])) {
            ++pos_;
        }
    }
    bool accept(char c) noexcept {
        if (peek() != c || at_end()) {
            return false;
        }
        ++pos_;
        return true;
    }
    // RFC 9110 §5.6.2: token = 1*tchar. Empty if there is none here.
    std::string_view read_token() noexcept {
        const std::size_t start = pos_;
        while (!at_end() && is_tchar(text_[pos_])) {
            ++pos_;
        }
        return text_.substr(start, pos_ - start);
    }
    std::optional<std::string> read_quoted_string();

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

// RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE, with
// quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text). Returns the unescaped content.
std::optional<std::string> extension_reader::read_quoted_string() {
    if (!accept('"')) {
        return std::nullopt;
    }
    std::string out;
    while (!at_end()) {
        char c = text_[pos_++];
        if (c == '"') {
            return out;
        }
        if (c == '\\') {
            if (at_end()) {
                return std::nullopt;
            }
            c = text_[pos_++];
        }
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f) {
            return std::nullopt;
        }
        out.push_back(c);
    }
    return std::nullopt;
}

// extension-param = token [ "=" (token | quoted-string) ], whitespace tolerated around "=".
bool read_param(extension_reader& in, extension_offer& offer) {
    in.skip_ows();
    const std::string_view name = in.read_token();
    if (name.empty()) {
        return false;
    }
    in.skip_ows();
    if (!in.accept('=')) {
        offer.params.emplace_back(std::string{name}, std::nullopt);
        return true;
    }
    in.skip_ows();
    std::optional<std::string> value;
    if (in.peek() == '"') {
        value = in.read_quoted_string();
        // RFC 6455 §9.1: a quoted value MUST conform to the token ABNF once unquoted.
        if (!value || !detail::is_token(*value)) {
            return false;
        }
    } else {
        const std::string_view token = in.read_token();
        if (token.empty()) {
            return false;
        }
        value = std::string{token};
    }
    offer.params.emplace_back(std::string{name}, std::move(value));
    in.skip_ows();
    return true;
}

// extension = extension-token *( ";" extension-param ); the reader is left at "," or the end.
bool read_extension(extension_reader& in, extension_offer& offer) {
    const std::string_view name = in.read_token();
    if (name.empty()) {
        return false;
    }
    offer.name = name;
    in.skip_ows();
    while (in.accept(';')) {
        if (!read_param(in, offer)) {
            return false;
        }
    }
    return in.at_end() || in.peek() == ',';
}

}  // namespace

// RFC 9110 §5.6.1: empty list elements ("a, , b", a trailing comma) are ignored by recipients;
// an element that has parameters but no name is a broken grammar.
std::optional<std::vector<extension_offer>> parse_extensions(std::string_view value) {
    extension_reader in{value};
    std::vector<extension_offer> offers;
    while (true) {
        in.skip_ows();
        if (in.at_end()) {
            return offers;
        }
        if (in.accept(',')) {
            continue;
        }
        extension_offer offer;
        if (!read_extension(in, offer)) {
            return std::nullopt;
        }
        offers.push_back(std::move(offer));
    }
}

}  // namespace wsh::handshake
