#include "core/triage/fingerprint.h"

#include <xxhash.h>

#include "core/triage/normalize.h"

namespace sentinel::triage {

std::uint64_t Fingerprint64(std::string_view text) {
  return XXH3_64bits_withSeed(text.data(), text.size(), static_cast<XXH64_hash_t>(kNormalizerVersion));
}

void FormatFingerprint(std::uint64_t fp, char out[16]) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    out[i] = kDigits[fp & 0xF];
    fp >>= 4;
  }
}

std::string FingerprintHex(std::string_view text) {
  std::string s(16, '0');
  FormatFingerprint(Fingerprint64(text), s.data());
  return s;
}

}  // namespace sentinel::triage
