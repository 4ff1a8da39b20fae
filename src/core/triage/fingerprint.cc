#include "core/triage/fingerprint.h"

#include <xxhash.h>

#include "core/triage/normalize.h"

namespace sentinel::triage {

std::uint64_t Fingerprint64(std::string_view text) {
  return XXH3_64bits_withSeed(text.data(), text.size(), static_cast<XXH64_hash_t>(kNormalizerVersion));
}

namespace {
// "000102...ff": the two hex digits of every byte value.
struct HexPairs {
  char pairs[512];
  constexpr HexPairs() : pairs() {
    constexpr char kDigits[] = "0123456789abcdef";
    for (int b = 0; b < 256; ++b) {
      pairs[2 * b] = kDigits[b >> 4];
      pairs[2 * b + 1] = kDigits[b & 15];
    }
  }
};
constexpr HexPairs kHexPairs;
}  // namespace

void FormatFingerprint(std::uint64_t fp, char out[16]) {
  for (int i = 7; i >= 0; --i) {  // a byte (two digits) per step
    const char* pair = kHexPairs.pairs + 2 * (fp & 0xFF);
    out[2 * i] = pair[0];
    out[2 * i + 1] = pair[1];
    fp >>= 8;
  }
}

std::string FingerprintHex(std::string_view text) {
  std::string s(16, '0');
  FormatFingerprint(Fingerprint64(text), s.data());
  return s;
}

}  // namespace sentinel::triage
