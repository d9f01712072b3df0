// SPDX-License-Identifier: MIT
// Memory for large payloads. A fresh 16 MiB buffer costs 4096 page faults, each zeroing a page:
// about 17 ms on the build machine against 2 ms for copying it (issue 11, category 9). Buffers
// of megabytes therefore ask the kernel for transparent huge pages (madvise; a kernel set to
// "never" or an old one ignores the advice and nothing changes but the speed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace wsh::transport {

// Below this size a buffer is left as the allocator gives it.
inline constexpr std::size_t large_buffer = 2u << 20;

// Reserves room for `n` bytes in `b` (nothing is written, so no page is touched); when the
// reservation is new and at least large_buffer, the whole pages inside it get MADV_HUGEPAGE.
void reserve_large(std::vector<std::uint8_t>& b, std::size_t n);

// Makes room for `more` bytes after the end of `b`: capacity grows at least twofold, through
// reserve_large (appending megabytes frame by frame).
void grow_for(std::vector<std::uint8_t>& b, std::size_t more);

// A read buffer whose bytes are not initialised: the pages a short read never reaches are
// never touched (a 256 KiB zero-filled buffer per connection was 64 page faults each).
class read_buffer {
public:
    explicit read_buffer(std::size_t size) : data_(std::make_unique_for_overwrite<std::uint8_t[]>(size)), size_(size) {}
    [[nodiscard]] std::uint8_t* data() noexcept { return data_.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    std::unique_ptr<std::uint8_t[]> data_;
    std::size_t size_;
};

}  // namespace wsh::transport
