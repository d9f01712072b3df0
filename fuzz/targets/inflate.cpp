// SPDX-License-Identifier: MIT
// Property: for any bytes taken as the compressed payload of a permessage-deflate message,
// the inflater never produces more than its limit (a bomb stops there), gives the same result
// whole and split at any points, and whatever it accepted deflates and inflates back to
// itself. The first byte picks the window bits and the limit.
// Input: [window/limit byte] payload, then a trailer choosing the chunk sizes.
#include "../common/check.hpp"

#include "codec/deflate.hpp"

#include <vector>

namespace {

using wsh::fuzz::require;
using namespace wsh::codec;
using bytes = std::vector<std::uint8_t>;

struct inflated {
    inflate_status status = inflate_status::ok;
    bytes out;
};

inflated inflate_in_chunks(int window_bits, std::uint64_t limit, std::span<const std::uint8_t> data,
                           const std::vector<std::size_t>& chunks)
{
    inflater in(window_bits, false, limit);
    inflated r;
    std::size_t at = 0;
    for (auto n : chunks) {
        r.status = in.feed(data.subspan(at, n), r.out);
        at += n;
        require(r.out.size() <= limit, "output never passes the limit");
        if (r.status != inflate_status::ok) return r;
    }
    r.status = in.finish(r.out);
    require(r.out.size() <= limit, "output never passes the limit");
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const int window_bits = 8 + (data[0] & 0x07);
    const std::uint64_t limit = (data[0] & 0x80) != 0 ? 1024 : 256 * 1024;
    auto split = wsh::fuzz::split_by_trailer({data + 1, size - 1});
    const std::vector<std::size_t> whole_chunk{split.data.size()};
    auto whole = inflate_in_chunks(window_bits, limit, split.data, whole_chunk);
    auto parts = inflate_in_chunks(window_bits, limit, split.data, split.chunks);
    require(whole.status == parts.status, "split inflation ends the same way");
    if (whole.status == inflate_status::ok) {
        require(whole.out == parts.out, "split inflation gives the same bytes");
        bytes again = deflate_message(whole.out, window_bits, 6);
        inflater back(window_bits, true, limit);
        bytes round;
        require(back.feed(again, round) == inflate_status::ok, "our own output inflates");
        require(back.finish(round) == inflate_status::ok, "our own output ends cleanly");
        require(round == whole.out, "deflate then inflate is the identity");
    }
    return 0;
}
