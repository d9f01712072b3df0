// SPDX-License-Identifier: MIT
#include "suite/dsl.hpp"

#include "transport/buffers.hpp"

#include <algorithm>

namespace wsh::suite::dsl {

payload data(std::string_view text)
{
    return std::make_shared<const bytes>(text.begin(), text.end());
}

payload data(std::initializer_list<std::uint8_t> octets)
{
    return std::make_shared<const bytes>(octets);
}

payload repeated(std::string_view pattern, std::size_t size)
{
    bytes out;
    if (pattern.empty()) {
        out.resize(size);
        return std::make_shared<const bytes>(std::move(out));
    }
    // One copy of the pattern, then the filled part doubled (category 9 builds megabytes per
    // run; a modulo per byte was the top cost of a run's profile). No zero-filling first: the
    // pages are touched once, by the copies (huge pages for megabytes, transport/buffers.hpp).
    transport::reserve_large(out, size);
    out.insert(out.end(), pattern.begin(), pattern.begin() + static_cast<std::ptrdiff_t>(std::min(size, pattern.size())));
    while (out.size() < size) {
        const std::size_t n = std::min(out.size(), size - out.size());
        const std::size_t at = out.size();
        out.resize(at + n);  // within the reservation: nothing moves
        std::copy_n(out.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(at));
    }
    return std::make_shared<const bytes>(std::move(out));
}

payload filled(std::size_t size, std::uint8_t octet)
{
    bytes out;
    transport::reserve_large(out, size);
    out.resize(size, octet);
    return std::make_shared<const bytes>(std::move(out));
}

payload concat(std::initializer_list<payload> parts)
{
    bytes out;
    for (const auto& p : parts)
        if (p) out.insert(out.end(), p->begin(), p->end());
    return std::make_shared<const bytes>(std::move(out));
}

payload slice(const payload& p, std::size_t from, std::size_t to)
{
    return std::make_shared<const bytes>(p->begin() + static_cast<std::ptrdiff_t>(from),
                                         p->begin() + static_cast<std::ptrdiff_t>(to));
}

frame_item frame(std::uint8_t op, payload p, bool fin, std::uint8_t rsv)
{
    codec::frame_spec spec;
    spec.fin = fin;
    spec.rsv = rsv;
    spec.opcode = op;
    return frame_item{.spec = spec, .payload = p ? std::move(p) : data("")};
}

frame_item text(payload p, bool fin, std::uint8_t rsv) { return frame(0x1, std::move(p), fin, rsv); }
frame_item binary(payload p, bool fin, std::uint8_t rsv) { return frame(0x2, std::move(p), fin, rsv); }
frame_item continuation(payload p, bool fin) { return frame(0x0, std::move(p), fin); }
frame_item ping(payload p, bool fin) { return frame(0x9, std::move(p), fin); }
frame_item pong(payload p, bool fin) { return frame(0xA, std::move(p), fin); }
frame_item close_frame(payload body, std::uint8_t rsv) { return frame(0x8, std::move(body), true, rsv); }

frame_item close_frame(std::uint16_t code, std::string_view reason)
{
    bytes body{static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code & 0xff)};
    body.insert(body.end(), reason.begin(), reason.end());
    return close_frame(std::make_shared<const bytes>(std::move(body)));
}

frame_item raw(frame_item f)
{
    f.raw = true;
    return f;
}

step send(std::vector<frame_item> frames) { return send_step{.frames = std::move(frames)}; }
step send_sync(std::vector<frame_item> frames) { return send_step{.frames = std::move(frames), .sync = true}; }
step send_chopped(std::vector<frame_item> frames, std::size_t chop)
{
    return send_step{.frames = std::move(frames), .chop = chop};
}

step send_as(std::vector<frame_item> frames, write_mode mode)
{
    switch (mode) {
    case write_mode::per_frame: return send_sync(std::move(frames));
    case write_mode::per_octet: return send_chopped(std::move(frames), 1);
    case write_mode::whole: break;
    }
    return send(std::move(frames));
}

std::vector<frame_item> fragmented(std::uint8_t op, const payload& p, std::size_t fragment)
{
    const bytes& all = *p;
    if (all.size() <= fragment) return {frame(op, p)};
    std::vector<frame_item> frames;
    payload previous;
    for (std::size_t at = 0; at < all.size(); at += fragment) {
        auto end = std::min(all.size(), at + fragment);
        auto first = all.begin() + static_cast<std::ptrdiff_t>(at);
        auto last_byte = all.begin() + static_cast<std::ptrdiff_t>(end);
        bool same = previous && std::equal(first, last_byte, previous->begin(), previous->end());
        auto piece = same ? previous : std::make_shared<const bytes>(first, last_byte);
        previous = piece;
        bool last = end == all.size() && all.size() % fragment != 0;
        frames.push_back(frame(at == 0 ? op : 0x0, std::move(piece), last));
    }
    if (all.size() % fragment == 0) frames.push_back(continuation(data(""), true));
    return frames;
}

step begin_frame(std::uint8_t op, std::uint64_t declared_length, bool fin)
{
    codec::frame_spec spec;
    spec.fin = fin;
    spec.opcode = op;
    return frame_begin_step{.spec = spec, .declared_length = declared_length};
}

step frame_data(payload part) { return frame_data_step{.data = std::move(part)}; }
step exchange(frame_item f, std::size_t count)
{
    return exchange_step{.frame = std::move(f), .count = count};
}

step kill_after(millis ms) { return timer_step{.kind = timer_kind::kill_after, .after = ms}; }
step close_after(millis ms) { return timer_step{.kind = timer_kind::close_after, .after = ms}; }
step pause(millis ms, std::string mark) { return pause_step{.duration = ms, .mark = std::move(mark)}; }

event text_message(payload p) { return event{.what = event::kind::message, .binary = false, .data = std::move(p)}; }
event binary_message(payload p) { return event{.what = event::kind::message, .binary = true, .data = std::move(p)}; }
event pong_event(payload p) { return event{.what = event::kind::pong, .data = std::move(p)}; }
event timeout_event(std::string_view tag) { return event{.what = event::kind::timeout, .data = data(tag)}; }

close_expectation tester_closes(std::vector<std::uint16_t> codes, bool require_clean)
{
    return close_expectation{.closed_by_me = true, .codes = std::move(codes),
                             .require_clean = require_clean};
}

close_expectation target_fails(std::vector<std::uint16_t> codes)
{
    return close_expectation{.closed_by_me = false, .codes = std::move(codes), .require_clean = false};
}

close_expectation target_fails_strictly(std::vector<std::uint16_t> codes)
{
    auto c = target_fails(std::move(codes));
    c.wrong_endpoint_is_fatal = true;
    return c;
}

}  // namespace wsh::suite::dsl
