// SPDX-License-Identifier: MIT
#include "transport/url.hpp"

#include <charconv>

namespace wsh::transport {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view text)
{
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || value > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text,
                                                                     std::string& error)
{
    std::string host;
    std::string_view port_text;
    if (text.starts_with('[')) {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            error = "expected [IPv6]:PORT";
            return std::nullopt;
        }
        host = std::string(text.substr(1, close - 1));
        port_text = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            error = "expected HOST:PORT";
            return std::nullopt;
        }
        host = std::string(text.substr(0, colon));
        port_text = text.substr(colon + 1);
    }
    auto port = parse_port(port_text);
    if (host.empty() || !port) {
        error = "expected HOST:PORT with a port from 0 to 65535";
        return std::nullopt;
    }
    return std::pair{host, *port};
}

std::optional<ws_url> parse_ws_url(std::string_view text, std::string& error)
{
    ws_url url;
    if (text.starts_with("ws://")) {
        text.remove_prefix(5);
    } else if (text.starts_with("wss://")) {
        url.secure = true;
        text.remove_prefix(6);
    } else {
        error = "URL must start with ws:// or wss://";
        return std::nullopt;
    }
    if (text.find('#') != std::string_view::npos) {
        error = "URL must not have a fragment (RFC 6455 §3)";
        return std::nullopt;
    }
    auto slash = text.find_first_of("/?");
    auto authority = text.substr(0, slash);
    if (slash != std::string_view::npos) {
        url.target = std::string(text.substr(slash));
        if (url.target.front() == '?') url.target.insert(0, "/");
    }
    std::uint16_t default_port = url.secure ? 443 : 80;
    bool bracketed = authority.starts_with('[');
    auto colon = authority.rfind(':');
    bool has_port = colon != std::string_view::npos &&
                    (!bracketed || authority.find(']') < colon);
    if (has_port) {
        std::string port_error;
        auto hp = parse_host_port(authority, port_error);
        if (!hp) {
            error = "bad host or port in URL";
            return std::nullopt;
        }
        url.host = hp->first;
        url.port = hp->second;
    } else {
        url.host = std::string(bracketed ? authority.substr(1, authority.size() - 2) : authority);
        url.port = default_port;
    }
    if (url.host.empty() || url.port == 0) {
        error = "URL needs a host and a non-zero port";
        return std::nullopt;
    }
    return url;
}

std::string ws_url::host_header() const
{
    bool v6 = host.find(':') != std::string::npos;
    std::string h = v6 ? "[" + host + "]" : host;
    if (port != (secure ? 443 : 80)) h += ":" + std::to_string(port);
    return h;
}

std::string ws_url::to_string() const
{
    bool v6 = host.find(':') != std::string::npos;
    return std::string(secure ? "wss://" : "ws://") + (v6 ? "[" + host + "]" : host) + ":" +
           std::to_string(port) + target;
}

}  // namespace wsh::transport
