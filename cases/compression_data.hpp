// SPDX-License-Identifier: MIT
// The payloads of Autobahn 12.x/13.x, generated here: deterministic data of the same sizes and
// kinds as Autobahn's test files (autobahn.md §1.11), not copies of them.
#pragma once

#include "suite/case.hpp"

#include <memory>

namespace wsh::cases {

// JSON-like text, pure ASCII, 194056 bytes (Autobahn's data1.json).
[[nodiscard]] std::shared_ptr<const suite::payload_source> json_text();
// An uncompressed 512x512 8-bit grey BMP, 263222 bytes (lena512.bmp).
[[nodiscard]] std::shared_ptr<const suite::payload_source> bitmap_binary();
// German-like prose with umlauts and ß, 222218 bytes, sent as binary (pg2229.txt).
[[nodiscard]] std::shared_ptr<const suite::payload_source> german_prose();
// HTML with 26 non-ASCII characters, 263647 bytes, 263620 code points (data1.html).
[[nodiscard]] std::shared_ptr<const suite::payload_source> html_text();
// A PDF-like binary of mostly compressed-looking streams, 1042328 bytes.
[[nodiscard]] std::shared_ptr<const suite::payload_source> pdf_binary();

}  // namespace wsh::cases
