#pragma once
// Fingerprints of templates: XXH3-64 of the text, seeded with the normalizer
// version (normalize.h) so a normalizer change never makes an old fingerprint
// mean a different template. Pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace sentinel::triage {

// XXH3_64bits_withSeed(text, seed = kNormalizerVersion).
std::uint64_t Fingerprint64(std::string_view text);

// Fingerprint64 as 16 lowercase hex digits, zero-padded.
std::string FingerprintHex(std::string_view text);

// Writes the 16 hex digits of `fp` into out[0..15] (no terminator).
void FormatFingerprint(std::uint64_t fp, char out[16]);

}  // namespace sentinel::triage
