// SPDX-License-Identifier: MIT
#include "cases/compression_data.hpp"

#include "codec/utf8.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace wsh::cases {
namespace {

using suite::bytes;
using suite::payload_source;

// xorshift64*: a small deterministic generator (the same data on every machine).
class generator {
public:
    explicit generator(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next()
    {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545F4914F6CDD1DULL;
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    template <typename T, std::size_t N>
    const T& pick(const std::array<T, N>& items) { return items[below(N)]; }

private:
    std::uint64_t state_;
};

std::shared_ptr<const payload_source> make_source(std::string name, std::string text, std::size_t size, bool is_text)
{
    text.resize(size, ' ');
    auto s = std::make_shared<payload_source>();
    s->name = std::move(name);
    s->data.assign(text.begin(), text.end());
    s->text = is_text;
    if (is_text) {
        for (std::size_t i = 0; i < s->data.size(); ++i)
            if ((s->data[i] & 0xc0) != 0x80) s->code_points.push_back(static_cast<std::uint32_t>(i));
    }
    return s;
}

constexpr std::array<std::string_view, 12> first_names{"Ada", "Boris", "Chen", "Dana", "Emil", "Fatima",
                                                       "Goran", "Hana", "Ivo", "Jule", "Kofi", "Lena"};
constexpr std::array<std::string_view, 8> cities{"Berlin", "Lagos", "Osaka", "Lima", "Oslo", "Pune", "Quito", "Riga"};
constexpr std::array<std::string_view, 6> tags{"alpha", "beta", "gamma", "delta", "omega", "sigma"};

std::string json_record(generator& g, std::size_t id)
{
    std::string r = "  {\n    \"id\": " + std::to_string(id) + ",\n";
    r += "    \"name\": \"" + std::string(g.pick(first_names)) + " " + std::string(g.pick(first_names)) + "son\",\n";
    r += "    \"city\": \"" + std::string(g.pick(cities)) + "\",\n";
    r += "    \"active\": " + std::string(g.below(2) ? "true" : "false") + ",\n";
    r += "    \"balance\": " + std::to_string(g.below(100000)) + "." + std::to_string(10 + g.below(90)) + ",\n";
    r += "    \"tags\": [";
    for (std::size_t t = 0, n = 1 + g.below(4); t < n; ++t) r += (t ? ", \"" : "\"") + std::string(g.pick(tags)) + "\"";
    r += "],\n    \"location\": {\"lat\": " + std::to_string(g.below(180)) + "." + std::to_string(g.below(1000000)) +
         ", \"lon\": " + std::to_string(g.below(360)) + "." + std::to_string(g.below(1000000)) + "}\n  }";
    return r;
}

constexpr std::array<std::string_view, 40> german_words{
    "und", "der", "die", "das", "nicht", "ich", "ist", "mir", "mit", "sich", "auf", "dem", "wie", "ein",
    "Geist", "Herz", "Welt", "Nacht", "über", "schön", "Mädchen", "Gefühl", "Natur", "Himmel", "Erde",
    "Wahrheit", "grün", "Träume", "Straße", "Fuß", "heiß", "Glück", "müssen", "Höhe", "Schüler", "Tür",
    "wär'", "möcht'", "ewig", "Lied"};

std::string german_line(generator& g)
{
    std::string line;
    while (line.size() < 60) {
        std::string word(g.pick(german_words));
        if (line.empty()) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
        line += (line.empty() ? "" : " ") + word;
    }
    line += g.below(3) == 0 ? "!\n" : (g.below(2) ? ",\n" : ".\n");
    return line;
}

}  // namespace

std::shared_ptr<const payload_source> json_text()
{
    static const auto source = [] {
        generator g(12'1);
        std::string text = "[\n";
        for (std::size_t id = 1; text.size() < 194056; ++id) text += json_record(g, id) + ",\n";
        return make_source("JSON text", text, 194056, true);
    }();
    return source;
}

std::shared_ptr<const payload_source> bitmap_binary()
{
    static const auto source = [] {
        constexpr std::uint32_t side = 512, palette = 1024, header = 54, size = header + palette + side * side;
        std::string d(size, '\0');
        auto put32 = [&](std::size_t at, std::uint32_t v) {
            for (int i = 0; i < 4; ++i) d[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
        };
        d[0] = 'B', d[1] = 'M';
        put32(2, size), put32(10, header + palette), put32(14, 40), put32(18, side), put32(22, side);
        d[26] = 1, d[28] = 8;  // one plane, 8 bits per pixel
        put32(34, side * side), put32(46, 256);
        for (std::uint32_t i = 0; i < 256; ++i) put32(header + 4 * i, i * 0x010101);
        generator g(12'2);
        for (std::uint32_t y = 0; y < side; ++y)
            for (std::uint32_t x = 0; x < side; ++x) {
                // Smooth shapes with a little grain, like a photograph.
                const std::uint32_t dx = x > 256 ? x - 256 : 256 - x, dy = y > 200 ? y - 200 : 200 - y;
                std::uint32_t v = (dx * dx + dy * dy) / 300 + ((x / 40 + y / 56) % 3) * 30 + (x * y) / 4096;
                v = (v + static_cast<std::uint32_t>(g.below(9))) & 0xff;
                d[header + palette + y * side + x] = static_cast<char>(v);
            }
        return make_source("bitmap", d, size, false);
    }();
    return source;
}

std::shared_ptr<const payload_source> german_prose()
{
    static const auto source = [] {
        generator g(12'3);
        std::string text;
        while (text.size() < 222218) {
            if (g.below(12) == 0) text += "\n";
            text += german_line(g);
        }
        return make_source("German prose", text, 222218, false);
    }();
    return source;
}

std::shared_ptr<const payload_source> html_text()
{
    static const auto source = [] {
        // 25 two-byte characters and one three-byte one: 263647 bytes, 263620 code points.
        constexpr std::array<std::string_view, 5> accents{"é", "ü", "ñ", "ø", "ç"};
        generator g(12'4);
        std::string html = "<!DOCTYPE html>\n<html>\n<head><title>Report</title></head>\n<body>\n<table>\n";
        int placed = 0;
        for (std::size_t row = 0; html.size() < 263000; ++row) {
            html += "<tr class=\"r" + std::to_string(row % 2) + "\"><td>" + std::to_string(row) + "</td><td>" +
                    std::string(g.pick(first_names)) + "</td><td><a href=\"/city/" + std::string(g.pick(cities)) +
                    "\">" + std::string(g.pick(cities)) + "</a></td><td>" + std::to_string(g.below(10000)) + "</td></tr>\n";
            if (row % 90 == 45 && placed < 25) html += "<p>Caf" + std::string(accents[static_cast<std::size_t>(placed++ % 5)]) + "</p>\n";
        }
        html += "<p>Price: 10 €</p>\n</table>\n</body>\n</html>\n<!-- ";
        auto tail = std::string("-->\n");
        html.resize(263647 - tail.size(), '.');
        html += tail;
        return make_source("HTML text", html, 263647, true);
    }();
    return source;
}

std::shared_ptr<const payload_source> pdf_binary()
{
    static const auto source = [] {
        generator g(12'5);
        std::string pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
        for (int obj = 1; pdf.size() < 1040000; ++obj) {
            if (obj % 4 == 0) {
                pdf += std::to_string(obj) + " 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " +
                       std::to_string(obj + 1) + " 0 R >>\nendobj\n";
                continue;
            }
            const std::size_t length = 2000 + g.below(14000);
            pdf += std::to_string(obj) + " 0 obj\n<< /Length " + std::to_string(length) + " /Filter /FlateDecode >>\nstream\n";
            for (std::size_t i = 0; i < length; ++i) pdf += static_cast<char>(g.next() >> 56);
            pdf += "\nendstream\nendobj\n";
        }
        std::string trailer = "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
        pdf.resize(1042328 - trailer.size(), '\n');
        pdf += trailer;
        return make_source("PDF", pdf, 1042328, false);
    }();
    return source;
}

}  // namespace wsh::cases
