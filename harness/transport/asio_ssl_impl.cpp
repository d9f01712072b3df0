// SPDX-License-Identifier: MIT
// The compiled part of Boost.Asio's OpenSSL support (BOOST_ASIO_SEPARATE_COMPILATION).
#include <utility>

#include <boost/asio/ssl/impl/src.hpp>
