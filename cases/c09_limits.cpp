// SPDX-License-Identifier: MIT
// Autobahn category 9, Limits/Performance: large messages (up to 16 MiB), messages in many
// small frames or many small writes, and 1000 strict request/response rounds. Only the type and
// length of each echo count; the wire log is off; the timer bounds the case (closeAfter W: if it
// fires first, the missing echo makes the verdict FAILED).
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kib = 1024;
constexpr std::size_t mib = 1024 * kib;
constexpr const char* text_pattern = "BAsd7&jh23";
constexpr std::string_view binary_pattern{"\x00\xfe\x23\xfa\xf0", 5};

constexpr const char* limits_rule =
    "A message is echoed whatever its size and fragmentation; implementations with size limits "
    "MUST protect themselves against exceeding them (RFC 6455 §5.4, §10.4)";

std::string size_text(std::size_t size)
{
    if (size >= mib && size % mib == 0) return fmt::format("{} MiB", size / mib);
    if (size >= kib && size % kib == 0) return fmt::format("{} KiB", size / kib);
    return fmt::format("{} bytes", size);
}

// The sends are built when the case runs (test_case::make_sends): the catalogue keeps no
// megabytes, only each expected echo's type, size and first bytes (for the report).
// What a case costs on the build machine (issue 11, for the order of a run only): about 2.5 us
// per KiB moved, 30 us per separate write, 1 us per frame, and 1 ms per strict round trip: 65 us
// alone, but a round trip waits for the CPU behind every busy case of the run, so the round-trip
// cases go first, while the other lanes hold cases that wait on purpose.
std::chrono::microseconds work(std::size_t bytes, std::size_t writes, std::size_t rounds, std::size_t frames)
{
    return std::chrono::microseconds(static_cast<long>(bytes / kib * 5 / 2 + writes * 30 + rounds * 1000 + frames));
}

test_case limits_case(std::string id, std::string summary, std::function<std::vector<step>()> sends,
                      millis wait, std::vector<event> expected, std::chrono::microseconds cost)
{
    return test_case{
        .id = std::move(id),
        .section = "5.4",
        .summary = std::move(summary),
        .requirement = limits_rule,
        .requirement_level = level::should,
        .script = {close_after(wait)},
        .outcomes = {{behavior::ok, std::move(expected)}},
        .close = tester_closes(),
        .judged_by = judge::length_only,
        .wirelog = false,
        .make_sends = std::move(sends),
        .work_hint = cost,
    };
}

// A message of `size` bytes made by `make` (called with a size): its type, its size, and as
// data only the first 65 bytes (the report shows 64 and " ..." after them).
event echo_of(bool is_binary, const std::function<payload(std::size_t)>& make, std::size_t size)
{
    return event{.what = event::kind::message,
                 .binary = is_binary,
                 .data = make(std::min<std::size_t>(size, 65)),
                 .size_only = size};
}

std::function<payload(std::size_t)> pattern_of(bool is_binary)
{
    return [is_binary](std::size_t size) {
        return is_binary ? repeated(binary_pattern, size) : repeated(text_pattern, size);
    };
}

// 9.1/9.2: one unfragmented message.
void add_single_frame(std::vector<test_case>& cases, bool is_binary)
{
    static constexpr std::size_t sizes[] = {64 * kib, 256 * kib, 1 * mib,
                                            4 * mib,  8 * mib,   16 * mib};
    static constexpr int text_wait[] = {10, 10, 100, 100, 100, 100};
    static constexpr int binary_wait[] = {10, 10, 10, 10, 100, 100};
    const auto make = pattern_of(is_binary);
    for (int i = 0; i < 6; ++i) {
        const std::size_t size = sizes[i];
        cases.push_back(limits_case(
            fmt::format("9.{}.{}", is_binary ? 2 : 1, i + 1),
            fmt::format("Send a {} message of {} in one frame; expect an echo of that "
                        "type and length",
                        is_binary ? "binary" : "text", size_text(size)),
            [=] {
                auto p = make(size);
                return std::vector<step>{send({is_binary ? binary(p) : text(p)})};
            },
            std::chrono::seconds(is_binary ? binary_wait[i] : text_wait[i]),
            {echo_of(is_binary, make, size)}, work(size, 1, 1, 1)));
    }
}

// 9.3/9.4: 4 MiB in frames of 64 bytes up to 4 MiB. 9.4.1 sends 0xFE bytes; 9.4.2-9.4.9 send
// '*' bytes in binary frames, as Autobahn does.
void add_fragmented(std::vector<test_case>& cases, bool is_binary)
{
    static constexpr std::size_t fragments[] = {64,       256,       kib, 4 * kib, 16 * kib,
                                                64 * kib, 256 * kib, mib, 4 * mib};
    for (int i = 0; i < 9; ++i) {
        const bool fe = is_binary && i == 0;
        const std::function<payload(std::size_t)> make = [fe](std::size_t size) {
            return fe ? filled(size, 0xfe) : repeated("*", size);
        };
        const std::size_t fragment = fragments[i];
        cases.push_back(
            limits_case(fmt::format("9.{}.{}", is_binary ? 4 : 3, i + 1),
                        fmt::format("Send a {} message of 4 MiB in frames of {}; expect an echo of "
                                    "that type and length",
                                    is_binary ? "binary" : "text", size_text(fragment)),
                        [=] {
                            return std::vector<step>{
                                send(fragmented(is_binary ? 0x2 : 0x1, make(4 * mib), fragment))};
                        },
                        100s, {echo_of(is_binary, make, 4 * mib)}, work(4 * mib, 1, 1, 4 * mib / fragment)));
    }
}

// 9.5/9.6: the 1 MiB messages of 9.1.3/9.2.3, written in chops.
void add_chopped(std::vector<test_case>& cases, bool is_binary)
{
    static constexpr std::size_t chops[] = {64, 128, 256, 512, 1024, 2048};
    const auto make = pattern_of(is_binary);
    for (int i = 0; i < 6; ++i) {
        const std::size_t chop = chops[i];
        cases.push_back(
            limits_case(fmt::format("9.{}.{}", is_binary ? 6 : 5, i + 1),
                        fmt::format("Send a {} message of 1 MiB in one frame, {} bytes per write; "
                                    "expect an echo of that type and length",
                                    is_binary ? "binary" : "text", chop),
                        [=] {
                            auto p = make(mib);
                            return std::vector<step>{
                                send_chopped({is_binary ? binary(p) : text(p)}, chop)};
                        },
                        1000s, {echo_of(is_binary, make, mib)}, work(mib, mib / chop, 1, 1)));
    }
}

// 9.7/9.8: the next message goes out only when the previous echo came back.
void add_round_trips(std::vector<test_case>& cases, bool is_binary)
{
    static constexpr std::size_t sizes[] = {0, 16, 64, 256, 1024, 4096};
    static constexpr int wait[] = {60, 60, 60, 120, 240, 480};
    constexpr std::size_t rounds = 1000;
    for (int i = 0; i < 6; ++i) {
        auto p = is_binary ? filled(sizes[i], 0xfe) : repeated("*", sizes[i]);
        cases.push_back(limits_case(
            fmt::format("9.{}.{}", is_binary ? 8 : 7, i + 1),
            fmt::format("Send {} {} messages of {} bytes, each after the previous echo; "
                        "expect every echo with that type and length",
                        rounds, is_binary ? "binary" : "text", sizes[i]),
            [=] { return std::vector<step>{exchange(is_binary ? binary(p) : text(p), rounds)}; },
            std::chrono::seconds(wait[i]),
            std::vector<event>(rounds, is_binary ? binary_message(p) : text_message(p)),
            work(rounds * sizes[i], rounds, rounds, rounds)));
    }
}

}  // namespace

std::vector<test_case> limits()
{
    std::vector<test_case> cases;
    add_single_frame(cases, false);
    add_single_frame(cases, true);
    add_fragmented(cases, false);
    add_fragmented(cases, true);
    add_chopped(cases, false);
    add_chopped(cases, true);
    add_round_trips(cases, false);
    add_round_trips(cases, true);
    return cases;
}

}  // namespace wsh::cases
