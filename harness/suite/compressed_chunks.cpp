// SPDX-License-Identifier: MIT
#include "suite/compressed_chunks.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

namespace wsh::suite {

compressed_chunks::compressed_chunks(const payload_source& source, int window_bits) : source_(&source)
{
    codec::deflater d(window_bits, true, chunk_level);
    const std::span<const std::uint8_t> all(source.data);
    offsets_.push_back(0);
    for (std::size_t at = 0; at < all.size(); at += chunk_bytes) {
        const auto chunk = all.subspan(at, std::min(chunk_bytes, all.size() - at));
        const std::size_t before = data_.size();
        d.compress_piece(chunk, {}, data_);
        if (data_.size() - before > chunk.size() - chunk.size() / 32) {
            data_.resize(before);
            codec::store_piece(chunk, data_);
        }
        offsets_.push_back(data_.size());
    }
    data_.shrink_to_fit();
}

std::shared_ptr<const compressed_chunks> compressed_chunks::of(const payload_source& source, int window_bits)
{
    static std::mutex lock;
    static std::map<std::pair<const payload_source*, int>, std::shared_ptr<const compressed_chunks>> made;
    const std::scoped_lock hold(lock);
    auto& chunks = made[{&source, window_bits}];
    if (!chunks) chunks = std::make_shared<const compressed_chunks>(source, window_bits);
    return chunks;
}

void compressed_chunks::assemble(std::size_t index, std::size_t size, codec::deflater& d,
                                 std::span<const std::uint8_t> history, std::vector<std::uint8_t>& out) const
{
    const std::size_t start = out.size();
    const std::span<const std::uint8_t> all(source_->data);
    bool first = true;
    for (const auto& [from, to] : source_->byte_ranges(index, size)) {
        for (std::size_t at = from; at < to; first = false) {
            const std::size_t k = at / chunk_bytes;
            const std::size_t chunk_end = std::min(all.size(), (k + 1) * chunk_bytes);
            if (at == k * chunk_bytes && chunk_end <= to) {
                out.insert(out.end(), data_.begin() + static_cast<std::ptrdiff_t>(offsets_[k]),
                           data_.begin() + static_cast<std::ptrdiff_t>(offsets_[k + 1]));
                at = chunk_end;
            } else {
                const std::size_t stop = std::min(to, chunk_end);
                const auto piece = all.subspan(at, stop - at);
                if (first && !history.empty()) {
                    d.compress_piece(piece, history.last(std::min(history.size(), history_bytes)), out);
                } else {
                    codec::store_piece(piece, out);
                }
                at = stop;
            }
        }
    }
    codec::end_message(out, start);
}

}  // namespace wsh::suite
