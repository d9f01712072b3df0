// SPDX-License-Identifier: MIT
// Autobahn's 12.x/13.x send 1000 messages per case cut from one payload, most of them 32 KiB to
// 128 KiB, and compressing each one (zlib level 1 does 40-180 MB/s on these payloads) was most of
// what a full run cost the tester. A payload's bytes are instead compressed once per run in
// fixed chunks, each on its own and ended by a sync flush (codec::deflater::compress_piece), and
// a message is assembled from the chunks it covers whole plus its two partial ends, which are
// sent as stored blocks (codec::store_piece): a message costs a copy. Under context takeover the
// first piece is compressed after the end of the message before, so that every message still
// refers back into the receiver's history (RFC 7692 §7.1.1).
//
// What the receiver gets is deflate all the same: dynamic Huffman blocks, stored blocks between
// them, sync-flush markers inside the message. Chunks of 16 KiB keep its inflate close to that of
// the message compressed whole: smaller ones mean more blocks, each with its own Huffman tables
// (JSON: 4 KiB chunks inflate at 0.62x the whole message's speed, 16 KiB at 0.90x).
#pragma once

#include "codec/deflate.hpp"
#include "suite/case.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace wsh::suite {

class compressed_chunks {
public:
    static constexpr std::size_t chunk_bytes = 16 * 1024;
    // zlib's best: chunks are made once per run, and the fewer symbols, the faster the target
    // inflates them. A chunk that does not shrink by a 32nd is stored instead, as deflate's own
    // stored blocks are meant for (the PDF-like payload: its server CPU in 12.5 2.8 s -> 1.7 s).
    static constexpr int chunk_level = 9;

    // `source`'s bytes in chunks compressed for a receiver window of `window_bits` (8..15).
    compressed_chunks(const payload_source& source, int window_bits);

    // The process's chunks of `source` for `window_bits`, made by the first caller; `source`
    // must outlive the process's use of them (the catalogue's payloads are never freed).
    [[nodiscard]] static std::shared_ptr<const compressed_chunks> of(const payload_source& source, int window_bits);

    // At most this much of the history is used: enough for references into it, little to hash.
    static constexpr std::size_t history_bytes = 4 * 1024;

    // Appends message `index` of `size` units of the source (payload_source::slice), compressed
    // without the 00 00 FF FF tail: the chunks it covers whole as they are, its partial ends
    // stored, except that a partial first piece is compressed by `d` after `history` (what the
    // receiver holds before the message: empty without context takeover, or for the first
    // message). `d` compresses for the same window and keeps no context (compress_piece()).
    void assemble(std::size_t index, std::size_t size, codec::deflater& d, std::span<const std::uint8_t> history,
                  std::vector<std::uint8_t>& out) const;

    [[nodiscard]] std::size_t chunk_count() const noexcept { return offsets_.size() - 1; }
    [[nodiscard]] std::size_t stored_bytes() const noexcept { return data_.size(); }

private:
    const payload_source* source_;
    std::vector<std::uint8_t> data_;      // the compressed chunks, one after another
    std::vector<std::size_t> offsets_;    // chunk k is data_[offsets_[k], offsets_[k + 1])
};

}  // namespace wsh::suite
