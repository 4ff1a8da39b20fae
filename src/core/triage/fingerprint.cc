#include "core/triage/fingerprint.h"

#include <xxhash.h>

#include <bit>
#include <cstring>

#include "core/triage/normalize.h"

namespace sentinel::triage {

std::uint64_t Fingerprint64(std::string_view text) {
  return XXH3_64bits_withSeed(text.data(), text.size(), static_cast<XXH64_hash_t>(kNormalizerVersion));
}

namespace {
// The 8 hex digits of `v`, most significant first, as 8 bytes to store in
// memory order: nibbles spread one per byte, turned to ASCII without a branch
// ('0' + n, plus 'a' - '0' - 10 where n >= 10), then byte-swapped.
static_assert(std::endian::native == std::endian::little, "HexDigits8 stores in little-endian order");
inline std::uint64_t HexDigits8(std::uint32_t v) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  std::uint64_t x = v;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;  // byte i = nibble i
  std::uint64_t letter = ((x + kOnes * 6) >> 4) & kOnes;  // 1 where nibble >= 10
  x += kOnes * '0' + letter * ('a' - '0' - 10);
  return __builtin_bswap64(x);  // little-endian store: nibble 7 first
}
}  // namespace

void FormatFingerprint(std::uint64_t fp, char out[16]) {
  std::uint64_t hi = HexDigits8(static_cast<std::uint32_t>(fp >> 32));
  std::uint64_t lo = HexDigits8(static_cast<std::uint32_t>(fp));
  std::memcpy(out, &hi, 8);
  std::memcpy(out + 8, &lo, 8);
}

std::string FingerprintHex(std::string_view text) {
  std::string s(16, '0');
  FormatFingerprint(Fingerprint64(text), s.data());
  return s;
}

}  // namespace sentinel::triage
