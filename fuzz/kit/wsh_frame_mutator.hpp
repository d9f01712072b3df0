// SPDX-License-Identifier: MIT
// wsharness fuzz kit: a structure-aware libFuzzer mutator for RFC 6455 byte streams.
//
// Include this header in exactly one translation unit of your fuzz target (after defining
// your LLVMFuzzerTestOneInput) and libFuzzer uses it instead of plain byte mutation: each
// input is read as a sequence of frames, one frame-level change is made (opcode, FIN/RSV bits,
// mask flag and key, length form: minimal, 16-bit, 64-bit or lying; payload: valid UTF-8,
// invalid UTF-8, a deflate stream, bytes; fragmenting a message; a control frame between
// fragments; frames dropped, duplicated or swapped; a frame turned into a compressed message),
// and the frames are written back. Most changes keep the stream near-valid, so the parser gets
// past its first checks. One call in eight falls back to libFuzzer's own byte mutation, which
// finds what structure cannot.
//
// Define WSH_KIT_NO_MUTATOR to keep the helpers but not the LLVMFuzzerCustom* entry points.
// Define WSH_KIT_SERVER_ROLE 0 if your parser is a client (frames arrive unmasked).
// Needs only the standard library; no part of wsharness.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <vector>

#ifndef WSH_KIT_SERVER_ROLE
#define WSH_KIT_SERVER_ROLE 1
#endif

// Define WSH_KIT_COMPRESSION 0 if your parser never agrees on permessage-deflate: the mutator
// then never turns a frame into a compressed message (RSV1 with a deflated payload).
#ifndef WSH_KIT_COMPRESSION
#define WSH_KIT_COMPRESSION 1
#endif

// The byte-level mutation the kit falls back to: libFuzzer's, unless the includer supplies
// another function with the same signature (wsharness's network fuzzer does).
#ifndef WSH_KIT_BYTE_MUTATE
#define WSH_KIT_BYTE_MUTATE LLVMFuzzerMutate
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);
#endif

// The mutator's own code is left out of the coverage instrumentation (clang's
// -fsanitize=fuzzer instruments every function of the target's translation unit): its
// comparisons would go into libFuzzer's table of compared values, which guides the byte
// mutations towards the parser's constants, and tracing them costs time on every mutation.
#if defined(__clang__)
#define WSH_KIT_UNTRACED __attribute__((no_sanitize("coverage")))
#else
#define WSH_KIT_UNTRACED
#endif

namespace wsh_kit {

using bytes = std::vector<std::uint8_t>;

enum class length_form : std::uint8_t { minimal, len16, len64, lying };

// One frame as the mutator sees it; the payload is kept unmasked.
struct frame {
    bool fin = true;
    std::uint8_t rsv = 0;  // RSV1..3 as bits 2..0
    std::uint8_t opcode = 1;
    bool masked = WSH_KIT_SERVER_ROLE != 0;
    std::array<std::uint8_t, 4> key{0x37, 0xfa, 0x21, 0x3d};
    length_form form = length_form::minimal;
    std::int64_t lie = 0;  // added to the real length when form == lying
    bytes payload;
};

// A parsed input: its frames, then whatever bytes did not make a whole frame.
struct stream {
    std::vector<frame> frames;
    bytes tail;
};

WSH_KIT_UNTRACED inline std::uint64_t read_be(const std::uint8_t* p, int n)
{
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
    return v;
}

// Reads one frame header and payload at `p`; returns bytes used, or 0 if they are not all there.
WSH_KIT_UNTRACED inline std::size_t parse_frame(const std::uint8_t* p, std::size_t n, frame& f)
{
    if (n < 2) return 0;
    f.fin = (p[0] & 0x80) != 0;
    f.rsv = (p[0] >> 4) & 7;
    f.opcode = p[0] & 0x0f;
    f.masked = (p[1] & 0x80) != 0;
    std::uint64_t len = p[1] & 0x7f;
    std::size_t at = 2;
    int ext = len == 126 ? 2 : len == 127 ? 8 : 0;
    if (n < at + ext) return 0;
    if (ext) len = read_be(p + at, ext);
    f.form = ext == 0 ? length_form::minimal : ext == 2 ? length_form::len16 : length_form::len64;
    at += ext;
    if (f.masked) {
        if (n < at + 4) return 0;
        std::memcpy(f.key.data(), p + at, 4);
        at += 4;
    }
    if (len > n - at) return 0;
    f.payload.assign(p + at, p + at + len);
    for (std::size_t i = 0; f.masked && i < f.payload.size(); ++i) f.payload[i] ^= f.key[i % 4];
    return at + len;
}

WSH_KIT_UNTRACED inline stream parse_stream(const std::uint8_t* data, std::size_t size)
{
    stream s;
    std::size_t at = 0;
    for (;;) {
        frame f;
        std::size_t used = parse_frame(data + at, size - at, f);
        if (used == 0) break;
        s.frames.push_back(std::move(f));
        at += used;
    }
    s.tail.assign(data + at, data + size);
    return s;
}

WSH_KIT_UNTRACED inline void write_length(bytes& out, std::uint8_t mask_bit, std::uint64_t len, length_form form)
{
    if (form == length_form::minimal && len > 0xffff) form = length_form::len64;
    else if (form == length_form::minimal && len > 125) form = length_form::len16;
    if (form == length_form::minimal) {
        out.push_back(mask_bit | std::uint8_t(len));
        return;
    }
    int width = form == length_form::len16 ? 2 : 8;
    out.push_back(mask_bit | (width == 2 ? 126 : 127));
    for (int i = width - 1; i >= 0; --i) out.push_back(std::uint8_t(len >> (8 * i)));
}

WSH_KIT_UNTRACED inline void write_frame(bytes& out, const frame& f)
{
    out.push_back(std::uint8_t((f.fin ? 0x80 : 0) | (f.rsv << 4) | (f.opcode & 0x0f)));
    std::uint64_t len = f.payload.size();
    length_form form = f.form;
    if (form == length_form::lying) {
        len = std::uint64_t(std::int64_t(len) + f.lie);
        form = len > 0xffff ? length_form::len64 : length_form::len16;
    }
    write_length(out, f.masked ? 0x80 : 0, len, form);
    if (f.masked) out.insert(out.end(), f.key.begin(), f.key.end());
    for (std::size_t i = 0; i < f.payload.size(); ++i)
        out.push_back(f.masked ? f.payload[i] ^ f.key[i % 4] : f.payload[i]);
}

WSH_KIT_UNTRACED inline bytes write_stream(const stream& s)
{
    bytes out;
    for (const auto& f : s.frames) write_frame(out, f);
    out.insert(out.end(), s.tail.begin(), s.tail.end());
    return out;
}

// Payloads chosen for what parsers get wrong.
WSH_KIT_UNTRACED inline bytes pick_payload(std::mt19937& rng)
{
    static const std::vector<bytes> choices{
        {},
        {'H', 'e', 'l', 'l', 'o'},
        {0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5},  // valid Greek
        {0xf0, 0x9f, 0x98, 0x80},                                            // valid 4-byte
        {0xed, 0xa0, 0x80},                                                  // surrogate
        {0xc0, 0xaf},                                                        // overlong
        {0xf4, 0x90, 0x80, 0x80},                                            // above U+10FFFF
        {0xce, 0xba, 0xe1},                                                  // cut sequence
        {0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00},                          // deflate "Hello"
        {0x00, 0x00, 0xff, 0xff},                                            // deflate sync tail
        {0x03, 0xe8},                                                        // close 1000
        {0x03, 0xe8, 'b', 'y', 'e'},
        {0x03, 0xed},                                                        // close 1005
        {0x0b, 0xb8},                                                        // close 3000
        {0x03},                                                              // 1-byte close
    };
    bytes p = choices[rng() % choices.size()];
    if (rng() % 4 == 0) p.resize(p.size() + rng() % 300, std::uint8_t(rng()));
    return p;
}

// A raw DEFLATE writer (RFC 1951), enough to make permessage-deflate payloads without zlib:
// bits go in least-significant first, Huffman codes most-significant first (§3.1.1).
struct bit_writer {
    bytes out;
    unsigned used = 0;  // bits used in out.back()
    WSH_KIT_UNTRACED void put(std::uint32_t value, unsigned count)  // value's low `count` bits, LSB first
    {
        for (unsigned i = 0; i < count; ++i) {
            if (used == 0) out.push_back(0);
            out.back() |= std::uint8_t(((value >> i) & 1) << used);
            used = (used + 1) % 8;
        }
    }
    WSH_KIT_UNTRACED void code(std::uint32_t value, unsigned count)  // a Huffman code, MSB first
    {
        for (unsigned i = count; i-- > 0;) put((value >> i) & 1, 1);
    }
    void align() { used = 0; }
};

// A canonical Huffman code from its code lengths (RFC 1951 §3.2.2).
struct huffman {
    std::array<std::uint16_t, 288> code{};
    std::array<std::uint8_t, 288> length{};
    WSH_KIT_UNTRACED explicit huffman(const std::vector<std::uint8_t>& lengths)
    {
        std::array<std::uint16_t, 16> count{}, next{};
        for (auto l : lengths) ++count[l];
        count[0] = 0;
        for (unsigned bits = 1, c = 0; bits < 16; ++bits) next[bits] = std::uint16_t(c = (c + count[bits - 1]) << 1);
        for (std::size_t s = 0; s < lengths.size(); ++s) {
            length[s] = lengths[s];
            if (lengths[s]) code[s] = next[lengths[s]]++;
        }
    }
    WSH_KIT_UNTRACED void emit(bit_writer& w, unsigned symbol) const { w.code(code[symbol], length[symbol]); }
};

// The fixed code of §3.2.6.
WSH_KIT_UNTRACED inline std::vector<std::uint8_t> fixed_literal_lengths()
{
    std::vector<std::uint8_t> l(288);
    for (std::size_t s = 0; s < l.size(); ++s) l[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    return l;
}

WSH_KIT_UNTRACED inline std::vector<std::uint8_t> fixed_distance_lengths() { return std::vector<std::uint8_t>(30, 5); }

// The code symbols of a length (3..258) and of a distance (1..32768), with their extra bits.
struct length_symbol {
    unsigned code, extra_bits, extra;
};

WSH_KIT_UNTRACED inline length_symbol length_code(unsigned length)
{
    static constexpr std::uint16_t base[] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,
                                             15, 17, 19, 23, 27, 31, 35, 43, 51,  59,
                                             67, 83, 99, 115, 131, 163, 195, 227, 258};
    static constexpr std::uint8_t extra[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                             2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    unsigned l = 28;
    while (base[l] > length) --l;
    return {257 + l, extra[l], length - base[l]};
}

WSH_KIT_UNTRACED inline length_symbol distance_code(unsigned distance)
{
    static constexpr std::uint16_t base[] = {1,    2,    3,    4,    5,    7,     9,     13,
                                             17,   25,   33,   49,   65,   97,    129,   193,
                                             257,  385,  513,  769,  1025, 1537,  2049,  3073,
                                             4097, 6145, 8193, 12289, 16385, 24577};
    unsigned d = 29;
    while (base[d] > distance) --d;
    return {d, d < 4 ? 0 : d / 2 - 1, distance - base[d]};
}

// One LZ77 token: a literal (distance 0) or a match.
struct token {
    std::uint16_t length_or_literal;
    std::uint16_t distance;
};

// Greedy LZ77 over hash chains of 3-byte prefixes, at most 32 candidates per position: linear
// in the input (an exhaustive search is quadratic and stalled the fuzzer for minutes on a long
// repetitive text). `literals_only` gives no matches.
WSH_KIT_UNTRACED inline std::vector<token> lz77(const bytes& data, bool literals_only)
{
    std::vector<token> out;
    constexpr std::size_t hash_size = 1u << 12;
    std::vector<std::int32_t> head(hash_size, -1), prev(data.size(), -1);
    auto hash = [&](std::size_t i) WSH_KIT_UNTRACED {
        return ((data[i] << 7) ^ (data[i + 1] << 3) ^ data[i + 2]) & (hash_size - 1);
    };
    for (std::size_t i = 0; i < data.size();) {
        std::size_t best = 0, best_distance = 0;
        if (!literals_only && i + 3 <= data.size()) {
            std::int32_t from = head[hash(i)];
            for (int tries = 0; from >= 0 && tries < 32 && i - std::size_t(from) <= 32768; ++tries, from = prev[from]) {
                std::size_t n = 0;
                while (n < 258 && i + n < data.size() && data[std::size_t(from) + n] == data[i + n]) ++n;
                if (n > best) best = n, best_distance = i - std::size_t(from);
            }
        }
        std::size_t step = best >= 3 ? best : 1;
        out.push_back(best >= 3 ? token{std::uint16_t(best), std::uint16_t(best_distance)} : token{data[i], 0});
        for (std::size_t j = i; j < i + step; ++j) {
            if (j + 3 > data.size()) break;
            prev[j] = head[hash(j)];
            head[hash(j)] = std::int32_t(j);
        }
        i += step;
    }
    return out;
}

// Code lengths of a random complete prefix code over the symbols marked in `used` (at least
// two; unmarked symbols get length 0), no code longer than `max_bits`: a random binary tree
// grown by splitting random leaves, its leaves dealt to the symbols at random.
WSH_KIT_UNTRACED inline std::vector<std::uint8_t> random_code(std::vector<bool> used, unsigned max_bits,
                                                              std::mt19937& rng)
{
    std::vector<std::size_t> symbols;
    for (std::size_t s = 0; s < used.size(); ++s)
        if (used[s]) symbols.push_back(s);
    while (symbols.size() < 2) {  // a code of one symbol is not complete: add one
        std::size_t s = rng() % used.size();
        if (!used[s]) used[s] = true, symbols.push_back(s);
    }
    std::vector<std::uint8_t> leaves{0};
    while (leaves.size() < symbols.size()) {
        std::size_t at = rng() % leaves.size();
        for (std::size_t n = 0; leaves[at] >= max_bits && n < leaves.size(); ++n) at = (at + 1) % leaves.size();
        std::uint8_t depth = std::uint8_t(leaves[at] + 1);
        leaves[at] = depth;
        leaves.push_back(depth);
    }
    std::shuffle(leaves.begin(), leaves.end(), rng);
    std::vector<std::uint8_t> lengths(used.size(), 0);
    for (std::size_t i = 0; i < symbols.size(); ++i) lengths[symbols[i]] = leaves[i];
    return lengths;
}

// The header of a dynamic block (RFC 1951 §3.2.7): HLIT, HDIST, HCLEN, the code-length code,
// then the literal/length and distance code lengths, with runs written as the repeat codes
// 16 (previous length 3-6 times), 17 (3-10 zeros) and 18 (11-138 zeros) unless `plain_runs`.
WSH_KIT_UNTRACED inline void write_dynamic_header(bit_writer& w, const std::vector<std::uint8_t>& lit,
                                                  const std::vector<std::uint8_t>& dist, bool plain_runs,
                                                  std::mt19937& rng)
{
    std::size_t hlit = 286, hdist = 30;
    while (hlit > 257 && lit[hlit - 1] == 0) --hlit;
    while (hdist > 1 && dist[hdist - 1] == 0) --hdist;
    if (rng() % 4 == 0) hlit = 286, hdist = 30;  // trailing zeros declared as well
    std::vector<std::uint8_t> all(lit.begin(), lit.begin() + std::ptrdiff_t(hlit));
    all.insert(all.end(), dist.begin(), dist.begin() + std::ptrdiff_t(hdist));
    struct item {
        std::uint8_t symbol, extra_bits, extra;
    };
    std::vector<item> items;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t run = 1;
        while (i + run < all.size() && all[i + run] == all[i]) ++run;
        if (plain_runs || run < 3 || (all[i] != 0 && run < 4)) {
            items.push_back({all[i], 0, 0});
            ++i;
        } else if (all[i] == 0) {
            std::size_t n = std::min<std::size_t>(run, 138);
            items.push_back(n <= 10 ? item{17, 3, std::uint8_t(n - 3)} : item{18, 7, std::uint8_t(n - 11)});
            i += n;
        } else {  // the length once, then "repeat the previous" 3-6 times
            std::size_t n = std::min<std::size_t>(run - 1, 6);
            items.push_back({all[i], 0, 0});
            items.push_back({16, 2, std::uint8_t(n - 3)});
            i += 1 + n;
        }
    }
    std::vector<bool> cl_used(19, false);
    for (const auto& it : items) cl_used[it.symbol] = true;
    auto cl_lengths = random_code(cl_used, 7, rng);
    const huffman cl(cl_lengths);
    static constexpr std::uint8_t order[] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    std::size_t hclen = 19;
    while (hclen > 4 && cl_lengths[order[hclen - 1]] == 0) --hclen;
    w.put(unsigned(hlit - 257), 5);
    w.put(unsigned(hdist - 1), 5);
    w.put(unsigned(hclen - 4), 4);
    for (std::size_t i = 0; i < hclen; ++i) w.put(cl_lengths[order[i]], 3);
    for (const auto& it : items) {
        cl.emit(w, it.symbol);
        w.put(it.extra, it.extra_bits);
    }
}

// Compresses `data` as one block: stored, fixed Huffman or dynamic Huffman, with greedy LZ77
// matches (or literals only). A dynamic block declares a random complete code over the
// symbols it uses, its lengths written with or without the repeat codes. `final_block` sets
// BFINAL; permessage-deflate senders use a non-final block and drop the 00 00 ff ff of the
// flush (RFC 7692 §7.2.1).
WSH_KIT_UNTRACED inline bytes deflate_block(const bytes& data, unsigned type, bool final_block, std::mt19937& rng)
{
    bit_writer w;
    w.put(final_block ? 1 : 0, 1);
    if (type == 0) {
        std::size_t n = std::min<std::size_t>(data.size(), 0xffff);
        w.put(0, 2);
        w.align();
        w.out.push_back(std::uint8_t(n));
        w.out.push_back(std::uint8_t(n >> 8));
        w.out.push_back(std::uint8_t(~n));
        w.out.push_back(std::uint8_t(~n >> 8));
        w.out.insert(w.out.end(), data.begin(), data.begin() + std::ptrdiff_t(n));
        return w.out;
    }
    w.put(type == 1 ? 1 : 2, 2);
    auto tokens = lz77(data, rng() % 4 == 0);
    std::vector<std::uint8_t> lit_lengths = fixed_literal_lengths(), dist_lengths = fixed_distance_lengths();
    if (type != 1) {
        std::vector<bool> lit_used(286, false), dist_used(30, false);
        lit_used[256] = true;
        for (auto t : tokens) {
            if (t.distance == 0) {
                lit_used[t.length_or_literal] = true;
            } else {
                lit_used[length_code(t.length_or_literal).code] = true;
                dist_used[distance_code(t.distance).code] = true;
            }
        }
        for (unsigned extra = rng() % 3 == 0 ? rng() % 40 : 0; extra > 0; --extra) lit_used[rng() % 286] = true;
        lit_lengths = random_code(lit_used, 15, rng);
        dist_lengths = random_code(dist_used, 15, rng);
        write_dynamic_header(w, lit_lengths, dist_lengths, rng() % 4 == 0, rng);
    }
    const huffman lit(lit_lengths), dist(dist_lengths);
    for (auto t : tokens) {
        if (t.distance == 0) {
            lit.emit(w, t.length_or_literal);
            continue;
        }
        auto l = length_code(t.length_or_literal);
        lit.emit(w, l.code);
        w.put(l.extra, l.extra_bits);
        auto d = distance_code(t.distance);
        dist.emit(w, d.code);
        w.put(d.extra, d.extra_bits);
    }
    lit.emit(w, 256);
    if (!final_block && rng() % 2 == 0) {  // the sync flush, then drop its 00 00 ff ff
        w.put(0, 3);
        w.align();
    }
    return w.out;
}

// Turns frame `i` into a compressed message (RSV1, deflated payload), as a peer that agreed
// on permessage-deflate sends it; the text is the frame's own payload or a chosen one.
WSH_KIT_UNTRACED inline void compress_frame(frame& f, std::mt19937& rng, const bytes& text)
{
    bytes plain = rng() % 2 ? f.payload : text;
    if (rng() % 3 == 0) {  // repetitive text: long matches, long distances
        bytes r;
        for (std::size_t n = 1 + rng() % 40; n > 0 && r.size() < 8192; --n) r.insert(r.end(), plain.begin(), plain.end());
        r.insert(r.end(), {'a', 'b', 'c'});
        plain = std::move(r);
    }
    if (f.opcode != 1 && f.opcode != 2) f.opcode = rng() % 2 ? 1 : 2;
    f.rsv = 4;
    f.form = length_form::minimal;
    f.payload = deflate_block(plain, rng() % 3, rng() % 4 == 0, rng);
}

WSH_KIT_UNTRACED inline std::uint8_t pick_opcode(std::mt19937& rng)
{
    static constexpr std::uint8_t common[] = {0x0, 0x1, 0x2, 0x8, 0x9, 0xa};
    return rng() % 8 == 0 ? std::uint8_t(rng() % 16) : common[rng() % 6];
}

WSH_KIT_UNTRACED inline frame control_frame(std::mt19937& rng)
{
    frame f;
    f.opcode = rng() % 3 == 0 ? 0x8 : rng() % 2 ? 0x9 : 0xa;
    f.payload = f.opcode == 0x8 ? bytes{0x03, 0xe8} : bytes(rng() % 8, 'p');
    return f;
}

// Splits frame `i` into two fragments: same opcode then a continuation.
WSH_KIT_UNTRACED inline void fragment(stream& s, std::size_t i, std::mt19937& rng)
{
    frame first = s.frames[i];
    frame second = first;
    std::size_t cut = first.payload.empty() ? 0 : rng() % (first.payload.size() + 1);
    first.payload.resize(cut);
    first.fin = false;
    second.opcode = 0;
    if (WSH_KIT_COMPRESSION && rng() % 8 != 0) second.rsv = 0;  // RSV1 belongs on the first frame only
    second.payload.erase(second.payload.begin(), second.payload.begin() + cut);
    s.frames[i] = first;
    s.frames.insert(s.frames.begin() + i + 1, second);
}

// One change to one frame.
WSH_KIT_UNTRACED inline void mutate_frame(frame& f, std::mt19937& rng)
{
    switch (rng() % 9) {
    case 0: f.fin = !f.fin; break;
    case 1: f.rsv = rng() % 4 == 0 ? std::uint8_t(rng() % 8) : 0; break;
    case 2: f.opcode = pick_opcode(rng); break;
    case 3: f.masked = !f.masked; break;
    case 4: f.key = {std::uint8_t(rng()), std::uint8_t(rng()), std::uint8_t(rng()), std::uint8_t(rng())}; break;
    case 5: f.form = length_form(rng() % 3); break;
    case 6:
        f.form = length_form::lying;
        f.lie = rng() % 2 ? std::int64_t(rng() % 9) - 4 : std::int64_t(1) << (rng() % 63);
        break;
    case 7: f.payload = pick_payload(rng); break;
    default: {
        f.payload.resize(f.payload.size() + 16);
        std::size_t n = WSH_KIT_BYTE_MUTATE(f.payload.data(), f.payload.size() - 16, f.payload.size());
        f.payload.resize(n);
    }
    }
}

// One change to the stream of frames.
WSH_KIT_UNTRACED inline void mutate_stream(stream& s, std::mt19937& rng)
{
    if (s.frames.empty() || rng() % 10 == 0) {
        frame f;
        f.payload = pick_payload(rng);
        s.frames.insert(s.frames.begin() + rng() % (s.frames.size() + 1), f);
        return;
    }
    std::size_t i = rng() % s.frames.size();
    unsigned change = rng() % (WSH_KIT_COMPRESSION ? 9 : 8);
    if (change == 8) {
        compress_frame(s.frames[i], rng, pick_payload(rng));
        return;
    }
    switch (change) {
    case 0: fragment(s, i, rng); break;
    case 1: s.frames.insert(s.frames.begin() + i, control_frame(rng)); break;
    case 2: s.frames.insert(s.frames.begin() + i, s.frames[i]); break;
    case 3: if (s.frames.size() > 1) s.frames.erase(s.frames.begin() + i); break;
    case 4: std::swap(s.frames[i], s.frames[rng() % s.frames.size()]); break;
    case 5: s.tail.clear(); break;
    default: mutate_frame(s.frames[i], rng);
    }
}

// The whole mutation: returns the new size (at most max_size) of data.
WSH_KIT_UNTRACED inline std::size_t mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed)
{
    std::mt19937 rng(seed);
    if (rng() % 8 == 0) return WSH_KIT_BYTE_MUTATE(data, size, max_size);
    stream s = parse_stream(data, size);
    for (unsigned n = 1 + rng() % 3; n > 0; --n) mutate_stream(s, rng);
    bytes out = write_stream(s);
    if (out.size() > max_size) return WSH_KIT_BYTE_MUTATE(data, size, max_size);
    std::copy(out.begin(), out.end(), data);
    return out.size();
}

// Frames of `a` up to a random point, then frames of `b` from a random point.
WSH_KIT_UNTRACED inline std::size_t cross_over(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b,
                              std::uint8_t* out, std::size_t max_size, unsigned seed)
{
    std::mt19937 rng(seed);
    stream x = parse_stream(a.data(), a.size());
    stream y = parse_stream(b.data(), b.size());
    stream mixed;
    std::size_t from_x = x.frames.empty() ? 0 : rng() % (x.frames.size() + 1);
    std::size_t from_y = y.frames.empty() ? 0 : rng() % (y.frames.size() + 1);
    mixed.frames.assign(x.frames.begin(), x.frames.begin() + from_x);
    mixed.frames.insert(mixed.frames.end(), y.frames.begin() + from_y, y.frames.end());
    bytes bytes_out = write_stream(mixed);
    std::size_t n = std::min(bytes_out.size(), max_size);
    std::copy_n(bytes_out.begin(), n, out);
    return n;
}

// Split points for feeding `size` bytes in pieces, derived from the bytes themselves (FNV-1a)
// so a mutated input is also fed differently. Calls feed(offset, length) for each piece.
template <class Feed>
void for_each_chunk(const std::uint8_t* data, std::size_t size, Feed feed)
{
    std::uint32_t h = 2166136261u;
    for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
    std::size_t at = 0;
    while (at < size) {
        std::size_t n = (h & 3) == 0 ? size - at : std::min<std::size_t>(size - at, 1 + h % 97);
        feed(at, n);
        at += n;
        h = h * 1103515245u + 12345u;
    }
}

}  // namespace wsh_kit

#ifndef WSH_KIT_NO_MUTATOR
extern "C" WSH_KIT_UNTRACED std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed)
{
    return wsh_kit::mutate(data, size, max_size, seed);
}

extern "C" WSH_KIT_UNTRACED std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1,
                                                 const std::uint8_t* data2, std::size_t size2,
                                                 std::uint8_t* out, std::size_t max_out_size,
                                                 unsigned int seed)
{
    return wsh_kit::cross_over({data1, size1}, {data2, size2}, out, max_out_size, seed);
}
#endif
