#pragma once
// Line normalization: turns one log line into a template by masking what varies
// between runs of the same failure (timestamps, numbers, addresses, ids, temp
// paths, ANSI colours, progress bars) and keeping what identifies it (words,
// error/exception types, errno and signal names, exit and HTTP status codes,
// test ids, source file names with their line). Pure and history-free: the same
// line gives the same template on every machine. Thread-safe (no state).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sentinel::triage {

// Bumped whenever NormalizeLine's output changes for some input. It is mixed
// into every fingerprint (fingerprint.h), so old clusters keep their identity
// under the old version and never collide with templates of a new one.
constexpr int kNormalizerVersion = 1;

// Mask tokens that appear in templates: '<', uppercase letters, '>'. Literal
// angle brackets of the input are kept ("Object.<anonymous>" stays), so a
// literal "<NUM>" in the input is indistinguishable from a masked number.
inline constexpr std::string_view kMaskNum = "<NUM>";    // integers, decimals, versions
inline constexpr std::string_view kMaskHex = "<HEX>";    // 0x.., addresses, hashes
inline constexpr std::string_view kMaskUuid = "<UUID>";
inline constexpr std::string_view kMaskIp = "<IP>";      // IPv4/IPv6, with any port
inline constexpr std::string_view kMaskTs = "<TS>";      // dates, times, month/day names next to them
inline constexpr std::string_view kMaskDur = "<DUR>";    // 12ms, 1.5s, 3m20s
inline constexpr std::string_view kMaskSize = "<SIZE>";  // 4.5MB, 12KiB
inline constexpr std::string_view kMaskPath = "<PATH>";  // run-specific directory prefix
inline constexpr std::string_view kMaskId = "<ID>";      // random-looking mixed ids
inline constexpr std::string_view kMaskBar = "<BAR>";    // progress bars

// Returns the template of one line. ANSI escape sequences are removed, only
// the last carriage-return redraw counts, runs of whitespace (and control
// bytes) become one space, leading/trailing whitespace and padding inside
// brackets are dropped, banner words of one repeated punctuation character
// ("=====") become three of it. Kept verbatim: words, exception/error types,
// errno and signal names, error codes (E0425), test ids, source file names
// with ":LINE[:COL]", and numbers that follow exit/status/code/signal/line/
// Error keys or form an HTTP status (after `HTTP/1.1"` or before a reason
// phrase). Bytes >= 0x80 are copied unchanged, so valid UTF-8 stays valid.
// Fingerprint of a failure line: FingerprintHex(NormalizeLine(line)).
std::string NormalizeLine(std::string_view line);

// Same as NormalizeLine, writing into *out (cleared first) so a caller on a hot
// path can reuse its buffer.
void NormalizeLineInto(std::string_view line, std::string* out);

// Template bytes [out, out + len) are the line's bytes [in, in + len).
struct DigitCopy {
  std::uint32_t out;
  std::uint32_t in;
  std::uint32_t len;
};

// How a template depends on the ASCII digits of its line. When `reusable`,
// every line of the same length whose non-digit bytes are equal (the same
// digit-zeroed "shape") has the template obtained by replacing each `copies`
// range with that line's bytes at `in`: no rule looked at a digit's value
// (HTTP status and version, "0x", 19xx/20xx years, "f90"-like extensions) and
// every digit of the template was copied from the listed places. `copies` is
// empty when the template holds no digit.
struct ShapeTrace {
  bool reusable = false;
  std::vector<DigitCopy> copies;
};

// Same as NormalizeLineInto, also filling *trace (template_miner.cc uses it to
// skip normalizing lines of a shape seen before).
void NormalizeLineInto(std::string_view line, std::string* out, ShapeTrace* trace);

}  // namespace sentinel::triage
