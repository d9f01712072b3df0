// SPDX-License-Identifier: MIT
// The one place that includes Boost.Asio (with what Boost 1.74's coroutine headers forget).
#pragma once

#include <utility>

#include <boost/asio.hpp>

namespace wsh::transport {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using steady_clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;
template <typename T = void>
using awaitable = asio::awaitable<T>;

// Completion token for coroutines that stores the error in `ec` instead of throwing: peer
// behaviour (a reset, a timeout) is data, never an exception.
inline auto nothrow(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }
}  // namespace wsh::transport
