#pragma once
// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), self-contained: the one
// cryptographic need of the project (webhook signatures) does not justify a
// new library dependency. Verified against the FIPS and RFC 4231 test vectors.
// Pure functions; thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sentinel::crypto {

using Digest = std::array<std::uint8_t, 32>;

Digest Sha256(std::string_view data);
Digest HmacSha256(std::string_view key, std::string_view message);

// Lower-case hex of the digest.
std::string ToHex(const Digest& digest);

// Compares in time that depends only on the lengths, not on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True when hex_signature (case-insensitive) is the HMAC-SHA256 of body under secret.
bool VerifyHmacSha256Hex(std::string_view secret, std::string_view body, std::string_view hex_signature);

}  // namespace sentinel::crypto
