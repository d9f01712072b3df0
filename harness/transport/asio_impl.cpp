// SPDX-License-Identifier: MIT
// The compiled part of Boost.Asio (BOOST_ASIO_SEPARATE_COMPILATION).
#include <utility>

#include <boost/asio/impl/src.hpp>
