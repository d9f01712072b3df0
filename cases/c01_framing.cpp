// SPDX-License-Identifier: MIT
// Autobahn category 1, Framing: one unfragmented data frame of each interesting length (the
// 7-, 16- and 64-bit length forms and their edges) must come back unchanged.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

struct framing_row {
    int index;          // last id component
    std::size_t size;   // payload bytes
    std::size_t chop;   // 0: one write
};

constexpr framing_row framing_rows[] = {
    {1, 0, 0},     {2, 125, 0},   {3, 126, 0},   {4, 127, 0},
    {5, 128, 0},   {6, 65535, 0}, {7, 65536, 0}, {8, 65536, 997},
};

test_case framing_case(bool is_binary, const framing_row& row)
{
    auto p = is_binary ? filled(row.size, 0xfe) : repeated("*", row.size);
    auto f = is_binary ? binary(p) : text(p);
    auto kind = is_binary ? "binary" : "text";
    test_case c{
        .id = fmt::format("1.{}.{}", is_binary ? 2 : 1, row.index),
        .section = "5.6",
        .summary = fmt::format("Send a {} message of {} bytes in one frame{}; expect it echoed",
                               kind, row.size, row.chop ? fmt::format(", written in {}-byte chops", row.chop) : ""),
        .requirement = "Data frames carry application data; the length is encoded in 7, 16 or 64 bits "
                       "(RFC 6455 §5.2, §5.6)",
        .requirement_level = level::must,
        .applies_to = roles::both,
        .script = {row.chop ? send_chopped({f}, row.chop) : send({f}),
                   kill_after(row.size >= 65535 ? 10s : 1s)},
        .outcomes = {{behavior::ok, {is_binary ? binary_message(p) : text_message(p)}}},
        .close = tester_closes(),
    };
    return c;
}

}  // namespace

std::vector<test_case> framing()
{
    std::vector<test_case> cases;
    for (bool is_binary : {false, true})
        for (const auto& row : framing_rows) cases.push_back(framing_case(is_binary, row));
    return cases;
}

}  // namespace wsh::cases
