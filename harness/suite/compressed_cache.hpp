// SPDX-License-Identifier: MIT
// Compressed messages shared between the connections of one run. Autobahn's 12.x/13.x send the
// same 1000 messages in several cases (12.1.10 and 12.1.15-18 differ only in how the compressed
// bytes are cut into frames; 13.1 repeats 12.1), and with codec::deflater::compress_alone a
// message's compressed form depends only on the message, its history and the parameters. The
// first case that needs a message compresses it; cases running beside it take the bytes. Bounded:
// least recently used entries go past the cap, and a case that lags behind computes again.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace wsh::suite {

struct compressed_key {
    const void* source = nullptr;    // the payload_source
    std::uint64_t start = 0;         // first unit of the slice
    std::uint64_t size = 0;          // units
    int window_bits = 15;
    bool no_context_takeover = false;
    bool with_history = false;       // a message after the first, with context takeover
    int level = 1;

    friend auto operator<=>(const compressed_key&, const compressed_key&) = default;
};

class compressed_cache {
public:
    using bytes = std::vector<std::uint8_t>;

    explicit compressed_cache(std::size_t cap_bytes);
    ~compressed_cache();
    compressed_cache(const compressed_cache&) = delete;
    compressed_cache& operator=(const compressed_cache&) = delete;

    // The process's cache (16 MiB).
    static compressed_cache& shared();

    // The bytes stored under `key`, computing them with `make` if absent. A connection on
    // another thread that is computing the same key is waited for (make() never waits, so
    // this cannot deadlock).
    [[nodiscard]] std::shared_ptr<const bytes> get(const compressed_key& key, const std::function<bytes()>& make);

    [[nodiscard]] std::uint64_t hits() const;
    [[nodiscard]] std::uint64_t misses() const;
    [[nodiscard]] std::size_t stored_bytes() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace wsh::suite
