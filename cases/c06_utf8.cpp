// SPDX-License-Identifier: MIT
// Autobahn category 6, UTF-8 handling: valid text comes back unchanged however it is
// fragmented; invalid UTF-8 fails the connection with 1007, as early as possible (6.4.x).
// 6.5-6.23 are Markus Kuhn's decoder stress sequences, one text frame each.
#include "cases/catalogue.hpp"
#include "suite/dsl.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace wsh::cases {

using namespace suite;
using namespace suite::dsl;
using namespace std::chrono_literals;

namespace {

constexpr const char* utf8_rule =
    "When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte stream is "
    "not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket Connection_ "
    "(RFC 6455 §8.1)";
constexpr const char* text_rule =
    "The \"Payload data\" of a text frame is text data encoded as UTF-8; a text message may be "
    "fragmented anywhere, even inside a code point (RFC 6455 §5.6, §5.4)";

// Greek "kosme", 11 bytes of 2- and 3-byte code points.
const std::initializer_list<std::uint8_t> kosme_bytes{0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf,
                                                      0x83, 0xce, 0xbc, 0xce, 0xb5};

payload from_hex(std::string_view hex)
{
    bytes out;
    for (std::size_t i = 0; i < hex.size();) {
        if (hex[i] == ' ') {
            ++i;
            continue;
        }
        if (i + 1 >= hex.size()) throw std::logic_error("odd hex digits in a UTF-8 table row");
        out.push_back(
            static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
        i += 2;
    }
    return std::make_shared<const bytes>(std::move(out));
}

// Valid text: echoed unchanged, the tester closes.
test_case echo_case(std::string id, std::string summary, std::vector<step> script, payload p)
{
    return test_case{
        .id = std::move(id),
        .section = "5.6",
        .summary = std::move(summary),
        .requirement = text_rule,
        .requirement_level = level::must,
        .script = std::move(script),
        .outcomes = {{behavior::ok, {text_message(std::move(p))}}},
        .close = tester_closes(),
    };
}

// Invalid text: nothing comes back, the target fails with 1007 (or drops TCP), and wsharness
// closing first is a FAILED behaviour too.
test_case invalid_case(std::string id, std::string summary, std::vector<step> script,
                       std::vector<outcome> outcomes = {{behavior::ok, {}}})
{
    return test_case{
        .id = std::move(id),
        .section = "8.1",
        .summary = std::move(summary),
        .requirement = utf8_rule,
        .requirement_level = level::must,
        .script = std::move(script),
        .outcomes = std::move(outcomes),
        .close = target_fails_strictly({1007}),
    };
}

void add_empty_and_valid(std::vector<test_case>& cases)
{
    cases.push_back(echo_case("6.1.1", "Send an empty text message; expect it echoed",
                              {send({text(dsl::data(""))}), close_after(1s)}, dsl::data("")));
    cases.push_back(
        echo_case("6.1.2", "Send an empty text message as three empty fragments; expect it echoed",
                  {send({text(dsl::data(""), false), continuation(dsl::data(""), false),
                         continuation(dsl::data(""))}),
                   close_after(1s)},
                  dsl::data("")));
    auto middle = dsl::data("middle frame payload");
    cases.push_back(echo_case(
        "6.1.3", "Send a text as an empty, a non-empty and an empty fragment; expect it echoed",
        {send({text(dsl::data(""), false), continuation(middle, false),
               continuation(dsl::data(""))}),
         close_after(1s)},
        middle));
    auto hello = from_hex(
        "48 65 6c 6c 6f 2d c2 b5 40 c3 9f c3 b6 c3 a4 c3 bc c3 a0 c3 a1 2d 55 54 46 2d 38 21 21");
    auto kosme = dsl::data(kosme_bytes);
    cases.push_back(echo_case("6.2.1",
                              "Send 'Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!' in "
                              "one frame; expect it echoed",
                              {send({text(hello)}), close_after(1s)}, hello));
    cases.push_back(echo_case(
        "6.2.2",
        "Send the same text in two frames split on a code point boundary; expect it echoed",
        {send({text(slice(hello, 0, 15), false), continuation(slice(hello, 15, 29))}),
         close_after(1s)},
        hello));
    cases.push_back(echo_case(
        "6.2.3", "Send the same text one byte per frame, splitting code points; expect it echoed",
        {send(fragmented(0x1, hello, 1)), close_after(1s)}, hello));
    cases.push_back(echo_case(
        "6.2.4", "Send 'kosme' one byte per frame, splitting code points; expect it echoed",
        {send(fragmented(0x1, kosme, 1)), close_after(1s)}, kosme));
}

payload invalid_kosme()
{
    return concat({dsl::data(kosme_bytes), from_hex("ed a0 80"), dsl::data("edited")});
}

// 6.4.x: valid part, 1 s, the part that makes the text invalid, 1 s, the rest. A target that
// fails within a second of part 2 gets OK, one that waits for the whole message NON-STRICT.
std::vector<outcome> fail_fast_outcomes()
{
    return {{behavior::ok, {timeout_event("A")}},
            {behavior::non_strict, {timeout_event("A"), timeout_event("B")}}};
}

test_case fail_fast_frames(std::string id, std::size_t cut1, std::size_t cut2)
{
    auto all = concat({dsl::data(kosme_bytes), from_hex("f4 90 80 80"), dsl::data("edited")});
    auto n = all->size();
    return invalid_case(
        std::move(id),
        fmt::format("Send a text in three frames 1 s apart (bytes 0-{}, {}-{}, {}-{}), the second "
                    "making it "
                    "invalid (U+110000); expect the target to fail right after the second",
                    cut1 - 1, cut1, cut2 - 1, cut2, n - 1),
        {send({text(slice(all, 0, cut1), false)}), pause(1s, "A"),
         send({continuation(slice(all, cut1, cut2), false)}), pause(1s, "B"),
         send({continuation(slice(all, cut2, n))}), kill_after(1s)},
        fail_fast_outcomes());
}

test_case fail_fast_chunks(std::string id, std::size_t cut1, std::size_t cut2)
{
    auto all = concat({dsl::data(kosme_bytes), from_hex("f4 90 80 80"), dsl::data("edited")});
    auto n = all->size();
    return invalid_case(
        std::move(id),
        fmt::format(
            "Send one text frame of {} bytes whose payload comes in three writes 1 s apart "
            "({}/{}/{} "
            "bytes), the second making it invalid; expect the target to fail inside the frame",
            n, cut1, cut2 - cut1, n - cut2),
        {begin_frame(0x1, n), frame_data(slice(all, 0, cut1)), pause(1s, "A"),
         frame_data(slice(all, cut1, cut2)), pause(1s, "B"), frame_data(slice(all, cut2, n)),
         send({continuation(dsl::data(""))}), kill_after(1s)},
        fail_fast_outcomes());
}

void add_invalid(std::vector<test_case>& cases)
{
    cases.push_back(invalid_case("6.3.1",
                                 "Send 'kosme' + a UTF-16 surrogate + 'edited' in one text frame; "
                                 "expect the target to fail the connection (1007)",
                                 {send({text(invalid_kosme())}), kill_after(1s)}));
    cases.push_back(invalid_case("6.3.2",
                                 "Send the same invalid text one byte per frame; expect the target "
                                 "to fail the connection (1007)",
                                 {send(fragmented(0x1, invalid_kosme(), 1)), kill_after(1s)}));
    cases.push_back(fail_fast_frames("6.4.1", 11, 15));
    cases.push_back(fail_fast_frames("6.4.2", 12, 13));
    cases.push_back(fail_fast_chunks("6.4.3", 11, 15));
    cases.push_back(fail_fast_chunks("6.4.4", 12, 13));
}

// 6.5-6.23: one row per sequence; validity is Autobahn's (a strict decoder: overlongs,
// surrogates, > U+10FFFF, 5/6-byte forms, stray or missing continuations, FE/FF invalid;
// non-characters and specials valid).
struct utf8_row {
    int sub;
    bool valid;
    std::string_view hex;
};

constexpr const char* group_titles[] = {
    "Some valid UTF-8 sequences",
    "All prefixes of a valid UTF-8 string that contains multi-byte code points",
    "First possible sequence of a certain length",
    "First possible sequence length 5/6 (invalid codepoints)",
    "Last possible sequence of a certain length",
    "Last possible sequence length 4/5/6 (invalid codepoints)",
    "Other boundary conditions",
    "Unexpected continuation bytes",
    "Lonely start characters",
    "Sequences with last continuation byte missing",
    "Concatenation of incomplete sequences",
    "Impossible bytes",
    "Examples of an overlong ASCII character",
    "Maximum overlong sequences",
    "Overlong representation of the NUL character",
    "Single UTF-16 surrogates",
    "Paired UTF-16 surrogates",
    "Non-character code points (valid UTF-8)",
    "Unicode specials (i.e. replacement char)",
};

constexpr utf8_row utf8_rows[] = {
    {5, true, "68 65 6c 6c 6f 24 77 6f 72 6c 64"},
    {5, true, "68 65 6c 6c 6f c2 a2 77 6f 72 6c 64"},
    {5, true, "68 65 6c 6c 6f e2 82 ac 77 6f 72 6c 64"},
    {5, true, "68 65 6c 6c 6f f0 a4 ad a2 77 6f 72 6c 64"},
    {5, true, "ce ba e1 bd b9 cf 83 ce bc ce b5"},
    {6, false, "ce"},
    {6, true, "ce ba"},
    {6, false, "ce ba e1"},
    {6, false, "ce ba e1 bd"},
    {6, true, "ce ba e1 bd b9"},
    {6, false, "ce ba e1 bd b9 cf"},
    {6, true, "ce ba e1 bd b9 cf 83"},
    {6, false, "ce ba e1 bd b9 cf 83 ce"},
    {6, true, "ce ba e1 bd b9 cf 83 ce bc"},
    {6, false, "ce ba e1 bd b9 cf 83 ce bc ce"},
    {6, true, "ce ba e1 bd b9 cf 83 ce bc ce b5"},
    {7, true, "00"},
    {7, true, "c2 80"},
    {7, true, "e0 a0 80"},
    {7, true, "f0 90 80 80"},
    {8, false, "f8 88 80 80 80"},
    {8, false, "fc 84 80 80 80 80"},
    {9, true, "7f"},
    {9, true, "df bf"},
    {9, true, "ef bf bf"},
    {9, true, "f4 8f bf bf"},
    {10, false, "f7 bf bf bf"},
    {10, false, "fb bf bf bf bf"},
    {10, false, "fd bf bf bf bf bf"},
    {11, true, "ed 9f bf"},
    {11, true, "ee 80 80"},
    {11, true, "ef bf bd"},
    {11, true, "f4 8f bf bf"},
    {11, false, "f4 90 80 80"},
    {12, false, "80"},
    {12, false, "bf"},
    {12, false, "80 bf"},
    {12, false, "80 bf 80"},
    {12, false, "80 bf 80 bf"},
    {12, false, "80 bf 80 bf 80"},
    {12, false, "80 bf 80 bf 80 bf"},
    {12, false,
     "80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f 90 91 92 93 94 95 96 97 "
     "98 99 9a 9b 9c 9d 9e 9f a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af "
     "b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 ba bb bc bd be"},
    {13, false,
     "c0 20 c1 20 c2 20 c3 20 c4 20 c5 20 c6 20 c7 20 c8 20 c9 20 ca 20 cb 20 "
     "cc 20 cd 20 ce 20 cf 20 d0 20 d1 20 d2 20 d3 20 d4 20 d5 20 d6 20 d7 20 "
     "d8 20 d9 20 da 20 db 20 dc 20 dd 20 de 20"},
    {13, false,
     "e0 20 e1 20 e2 20 e3 20 e4 20 e5 20 e6 20 e7 20 e8 20 e9 20 ea 20 eb 20 "
     "ec 20 ed 20 ee 20"},
    {13, false, "f0 20 f1 20 f2 20 f3 20 f4 20 f5 20 f6 20"},
    {13, false, "f8 20 f9 20 fa 20"},
    {13, false, "fc 20"},
    {14, false, "c0"},
    {14, false, "e0 80"},
    {14, false, "f0 80 80"},
    {14, false, "f8 80 80 80"},
    {14, false, "fc 80 80 80 80"},
    {14, false, "df"},
    {14, false, "ef bf"},
    {14, false, "f7 bf bf"},
    {14, false, "fb bf bf bf"},
    {14, false, "fd bf bf bf bf"},
    {15, false,
     "c0 e0 80 f0 80 80 f8 80 80 80 fc 80 80 80 80 df ef bf f7 bf bf fb bf bf "
     "bf fd bf bf bf bf"},
    {16, false, "fe"},
    {16, false, "ff"},
    {16, false, "fe fe ff ff"},
    {17, false, "c0 af"},
    {17, false, "e0 80 af"},
    {17, false, "f0 80 80 af"},
    {17, false, "f8 80 80 80 af"},
    {17, false, "fc 80 80 80 80 af"},
    {18, false, "c1 bf"},
    {18, false, "e0 9f bf"},
    {18, false, "f0 8f bf bf"},
    {18, false, "f8 87 bf bf bf"},
    {18, false, "fc 83 bf bf bf bf"},
    {19, false, "c0 80"},
    {19, false, "e0 80 80"},
    {19, false, "f0 80 80 80"},
    {19, false, "f8 80 80 80 80"},
    {19, false, "fc 80 80 80 80 80"},
    {20, false, "ed a0 80"},
    {20, false, "ed ad bf"},
    {20, false, "ed ae 80"},
    {20, false, "ed af bf"},
    {20, false, "ed b0 80"},
    {20, false, "ed be 80"},
    {20, false, "ed bf bf"},
    {21, false, "ed a0 80 ed b0 80"},
    {21, false, "ed a0 80 ed bf bf"},
    {21, false, "ed ad bf ed b0 80"},
    {21, false, "ed ad bf ed bf bf"},
    {21, false, "ed ae 80 ed b0 80"},
    {21, false, "ed ae 80 ed bf bf"},
    {21, false, "ed af bf ed b0 80"},
    {21, false, "ed af bf ed bf bf"},
    {22, true, "ef bf be"},
    {22, true, "ef bf bf"},
    {22, true, "f0 9f bf be"},
    {22, true, "f0 9f bf bf"},
    {22, true, "f0 af bf be"},
    {22, true, "f0 af bf bf"},
    {22, true, "f0 bf bf be"},
    {22, true, "f0 bf bf bf"},
    {22, true, "f1 8f bf be"},
    {22, true, "f1 8f bf bf"},
    {22, true, "f1 9f bf be"},
    {22, true, "f1 9f bf bf"},
    {22, true, "f1 af bf be"},
    {22, true, "f1 af bf bf"},
    {22, true, "f1 bf bf be"},
    {22, true, "f1 bf bf bf"},
    {22, true, "f2 8f bf be"},
    {22, true, "f2 8f bf bf"},
    {22, true, "f2 9f bf be"},
    {22, true, "f2 9f bf bf"},
    {22, true, "f2 af bf be"},
    {22, true, "f2 af bf bf"},
    {22, true, "f2 bf bf be"},
    {22, true, "f2 bf bf bf"},
    {22, true, "f3 8f bf be"},
    {22, true, "f3 8f bf bf"},
    {22, true, "f3 9f bf be"},
    {22, true, "f3 9f bf bf"},
    {22, true, "f3 af bf be"},
    {22, true, "f3 af bf bf"},
    {22, true, "f3 bf bf be"},
    {22, true, "f3 bf bf bf"},
    {22, true, "f4 8f bf be"},
    {22, true, "f4 8f bf bf"},
    {23, true, "ef bf b9"},
    {23, true, "ef bf ba"},
    {23, true, "ef bf bb"},
    {23, true, "ef bf bc"},
    {23, true, "ef bf bd"},
    {23, true, "ef bf be"},
    {23, true, "ef bf bf"},
};

test_case sequence_case(const utf8_row& row, int index)
{
    auto p = from_hex(row.hex);
    auto id = fmt::format("6.{}.{}", row.sub, index);
    auto shown =
        row.hex.size() > 48 ? fmt::format("{} ...", row.hex.substr(0, 47)) : std::string(row.hex);
    auto what = fmt::format("'{}' ({}): {} in one text frame", group_titles[row.sub - 5],
                            row.valid ? "valid" : "invalid", shown);
    if (row.valid)
        return echo_case(std::move(id), fmt::format("Send {}; expect it echoed", what),
                         {send({text(p)}), kill_after(500ms)}, p);
    return invalid_case(
        std::move(id),
        fmt::format("Send {}; expect the target to fail the connection (1007)", what),
        {send({text(p)}), kill_after(500ms)});
}

}  // namespace

std::vector<test_case> utf8_handling()
{
    std::vector<test_case> cases;
    add_empty_and_valid(cases);
    add_invalid(cases);
    int sub = 0;
    int index = 0;
    for (const auto& row : utf8_rows) {
        index = row.sub == sub ? index + 1 : 1;
        sub = row.sub;
        cases.push_back(sequence_case(row, index));
    }
    return cases;
}

}  // namespace wsh::cases
