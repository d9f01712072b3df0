// SPDX-License-Identifier: MIT
#include "suite/waits.hpp"

#include <algorithm>

namespace wsh::suite {
namespace {

bool expects_mark(const test_case& c, const std::string& mark)
{
    if (c.outcomes.empty()) return false;
    const auto& events = c.outcomes.front().events;
    return std::any_of(events.begin(), events.end(), [&](const event& e) {
        return e.what == event::kind::timeout && e.data &&
               std::equal(e.data->begin(), e.data->end(), mark.begin(), mark.end());
    });
}

// Bytes a tester (the client: every frame masked) writes for `frames`.
std::size_t wire_size(const std::vector<frame_item>& frames)
{
    std::size_t size = 0;
    for (const auto& f : frames) {
        const std::size_t n = f.payload ? f.payload->size() : 0;
        const std::size_t extended = n < 126 ? 0 : n <= 0xFFFF ? 2 : 8;
        size += 2 + extended + (f.unmasked ? 0 : 4) + n;
    }
    return size;
}

millis wait_of(const test_case& c, const std::vector<step>& steps)
{
    millis total{0};
    for (const auto& s : steps) {
        if (const auto* p = std::get_if<pause_step>(&s)) {
            if (p->mark.empty() || expects_mark(c, p->mark)) total += p->duration;
        } else if (const auto* w = std::get_if<send_step>(&s); w && w->chop > 0) {
            // The writer pauses after every piece (session.cpp write_loop).
            const std::size_t pieces = (wire_size(w->frames) + w->chop - 1) / w->chop;
            total += w->gap * static_cast<long>(pieces);
        }
    }
    return total;
}

}  // namespace

millis deliberate_wait(const test_case& c) { return wait_of(c, c.make_sends ? full_script(c) : c.script); }

millis scripted_wait(const test_case& c) { return wait_of(c, c.script); }

wait_floor floor_of(const std::vector<const test_case*>& cases, unsigned jobs)
{
    wait_floor f{.jobs = std::max(1u, jobs)};
    for (const auto* c : cases) {
        const millis w = deliberate_wait(*c);
        f.total += w;
        f.longest = std::max(f.longest, w);
    }
    return f;
}

}  // namespace wsh::suite
