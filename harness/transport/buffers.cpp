// SPDX-License-Identifier: MIT
#include "transport/buffers.hpp"

#include <sys/mman.h>

#include <algorithm>

namespace wsh::transport {
namespace {

constexpr std::uintptr_t page = 4096;

void advise_huge_pages(std::uint8_t* data, std::size_t size)
{
#ifdef MADV_HUGEPAGE
    const auto from = (reinterpret_cast<std::uintptr_t>(data) + page - 1) & ~(page - 1);
    const auto to = (reinterpret_cast<std::uintptr_t>(data) + size) & ~(page - 1);
    if (to > from) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);  // advice only
#else
    (void)data;
    (void)size;
#endif
}

}  // namespace

void reserve_large(std::vector<std::uint8_t>& b, std::size_t n)
{
    if (n <= b.capacity()) return;
    if (n < large_buffer) {
        b.reserve(n);
        return;
    }
    // The advice goes on the new memory before the old bytes are copied into it.
    std::vector<std::uint8_t> fresh;
    fresh.reserve(n);
    advise_huge_pages(fresh.data(), fresh.capacity());
    fresh.insert(fresh.end(), b.begin(), b.end());
    b.swap(fresh);
}

void grow_for(std::vector<std::uint8_t>& b, std::size_t more)
{
    const std::size_t need = b.size() + more;
    if (need <= b.capacity()) return;
    reserve_large(b, std::max(need, 2 * b.capacity()));
}

}  // namespace wsh::transport
