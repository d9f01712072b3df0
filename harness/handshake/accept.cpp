// SPDX-License-Identifier: MIT
// RFC 6455 §1.3 and §4.1: the client key and the server's accept value.
#include "handshake/handshake.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace wsh::handshake {
namespace {

// RFC 6455 §1.3: the GUID appended to the key before hashing.
constexpr std::string_view accept_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

}  // namespace

std::string compute_accept(std::string_view key) {
    std::string input{key};
    input += accept_guid;
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1) {
        throw std::runtime_error("SHA-1 is not available from OpenSSL");
    }
    return base64_encode(std::span<const std::uint8_t>{digest.data(), length});
}

// RFC 6455 §4.1: "a randomly selected 16-byte value that has been base64-encoded". Strict
// decoding already rejects non-canonical pad bits, so 24 characters that decode to 16 bytes
// is exactly the canonical "xxxxxxxxxxxxxxxxxxxxxx==" form.
bool is_valid_client_key(std::string_view key) {
    if (key.size() != 24) {
        return false;
    }
    const auto bytes = base64_decode(key);
    return bytes.has_value() && bytes->size() == 16;
}

std::string make_client_key(std::span<const std::uint8_t, 16> nonce) {
    return base64_encode(nonce);
}

}  // namespace wsh::handshake
