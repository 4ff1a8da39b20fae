#include "core/triage/normalize.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

// A hand-written scanner (no regex on the hot path). A line is cut into
// whitespace-separated words; each word loses its surrounding brackets/quotes,
// then its core is tried against whole-token shapes (timestamp, IP, UUID, hex,
// number with unit, path, source location) before being split at structural
// delimiters (= , ; @ brackets quotes, then : / \) and, inside a piece, at
// - _ . where digit runs are masked and random-looking segments become <ID>.

namespace sentinel::triage {
namespace {

using sv = std::string_view;

enum CharClass : std::uint8_t {
  kDigit = 1,
  kLower = 2,
  kUpper = 4,
  kHexLetter = 8,
  kSpace = 16,
  kDelimA = 32,  // = , ; | ( ) [ ] { } < > " ' ` @
  kDelimB = 64,  // : / backslash
};

constexpr std::array<std::uint8_t, 256> MakeTable() {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] |= kDigit;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kLower;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kUpper;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= kHexLetter;
  for (int c = 'A'; c <= 'F'; ++c) t[c] |= kHexLetter;
  for (int c = 0; c <= 32; ++c) t[c] |= kSpace;
  t[127] |= kSpace;
  for (char c : sv("=,;|()[]{}<>\"'`@")) t[static_cast<unsigned char>(c)] |= kDelimA;
  for (char c : sv(":/\\")) t[static_cast<unsigned char>(c)] |= kDelimB;
  return t;
}
constexpr std::array<std::uint8_t, 256> kTable = MakeTable();

inline std::uint8_t Cls(char c) { return kTable[static_cast<unsigned char>(c)]; }
inline bool IsDigit(char c) { return Cls(c) & kDigit; }
inline bool IsAlpha(char c) { return Cls(c) & (kLower | kUpper); }
inline bool IsHex(char c) { return Cls(c) & (kDigit | kHexLetter); }
inline bool IsSpace(char c) { return Cls(c) & kSpace; }
inline bool IsWordByte(char c) {  // letters, digits, UTF-8 bytes
  return (Cls(c) & (kDigit | kLower | kUpper)) || static_cast<unsigned char>(c) >= 0x80;
}
inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool EqualsLower(sv s, sv lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (Lower(s[i]) != lower[i]) return false;
  return true;
}
bool AllDigits(sv s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!IsDigit(c)) return false;
  return true;
}
// Hand-rolled: the suffixes are a few bytes and usually differ in the last
// ones, where a library memcmp call costs more than the compare.
inline bool EndsWith(sv s, sv suffix) {
  if (s.size() < suffix.size()) return false;
  const char* a = s.data() + s.size();
  const char* b = suffix.data() + suffix.size();
  for (std::size_t i = 0; i < suffix.size(); ++i)
    if (*--a != *--b) return false;
  return true;
}
bool StartsWith(sv s, sv prefix) { return s.substr(0, prefix.size()) == prefix; }

// Membership in a short word list; size and first byte are checked before a
// full compare.
template <std::size_t N>
bool InList(sv x, const sv (&list)[N]) {
  if (x.empty()) return false;
  for (sv k : list)
    if (k.size() == x.size() && k[0] == x[0] && k == x) return true;
  return false;
}

// Words after which a small integer is meaningful and kept: exit codes,
// status codes, signal numbers, source line numbers.
bool IsKeepKeyword(sv w) {
  switch (w.size()) {
    case 2: return EqualsLower(w, "rc");
    case 4: return EqualsLower(w, "code") || EqualsLower(w, "exit") || EqualsLower(w, "line");
    case 5: return w == "Error" || EqualsLower(w, "errno");
    case 6: return EqualsLower(w, "status") || EqualsLower(w, "signal") || EqualsLower(w, "lineno");
    case 8: return EqualsLower(w, "exitcode");
    case 9: return EqualsLower(w, "exit_code") || EqualsLower(w, "exit-code");
    case 10: return EqualsLower(w, "returncode") || EqualsLower(w, "statuscode");
    case 11: return EqualsLower(w, "status_code") || EqualsLower(w, "exit_status") || EqualsLower(w, "http_status");
    default: return false;
  }
}

// First word of an HTTP reason phrase after a status code ("404 Not Found").
bool IsHttpReasonWord(sv w) {
  static constexpr sv kWords[] = {"OK", "Not", "Bad", "Internal", "Forbidden", "Unauthorized", "Service",
                                  "Gateway", "Created", "Accepted", "No", "Moved", "Found", "Too", "Conflict",
                                  "Method", "Request", "Unprocessable", "Payment", "Permanent", "Temporary",
                                  "Precondition", "Payload", "Unsupported", "Partial", "See"};
  for (sv k : kWords)
    if (w == k) return true;
  return false;
}

bool IsMonthOrDayName(sv w);

constexpr std::uint32_t Pack3(char a, char b, char c) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(a)) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b)) << 8 | static_cast<unsigned char>(c);
}

bool IsMonthOrDay(sv w) {
  if (w.size() < 3 || w.size() > 9 || !(Cls(w[0]) & kUpper)) return false;
  static constexpr std::uint32_t kPrefixes[] = {
      Pack3('j', 'a', 'n'), Pack3('f', 'e', 'b'), Pack3('m', 'a', 'r'), Pack3('a', 'p', 'r'), Pack3('m', 'a', 'y'),
      Pack3('j', 'u', 'n'), Pack3('j', 'u', 'l'), Pack3('a', 'u', 'g'), Pack3('s', 'e', 'p'), Pack3('o', 'c', 't'),
      Pack3('n', 'o', 'v'), Pack3('d', 'e', 'c'), Pack3('m', 'o', 'n'), Pack3('t', 'u', 'e'), Pack3('w', 'e', 'd'),
      Pack3('t', 'h', 'u'), Pack3('f', 'r', 'i'), Pack3('s', 'a', 't'), Pack3('s', 'u', 'n')};
  std::uint32_t p = Pack3(Lower(w[0]), Lower(w[1]), Lower(w[2]));
  bool prefix = false;
  for (std::uint32_t k : kPrefixes) prefix |= (k == p);
  if (!prefix) return false;
  if (w.size() == 3) return true;
  return IsMonthOrDayName(w);
}

bool IsMonthOrDayName(sv w) {
  static constexpr sv kNames[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct",
                                  "nov", "dec", "january", "february", "march", "april", "june", "july",
                                  "august", "september", "october", "november", "december", "mon", "tue",
                                  "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
                                  "thursday", "friday", "saturday", "sunday"};
  for (sv k : kNames)
    if (EqualsLower(w, k)) return true;
  return false;
}

bool IsTimeZoneWord(sv w) {
  if (w.empty() || w.size() > 4 || !(Cls(w[0]) & kUpper)) return false;
  static constexpr sv kZones[] = {"UTC", "GMT", "CET", "CEST", "PST", "PDT", "EST", "EDT", "AM", "PM", "Z"};
  for (sv k : kZones)
    if (w == k) return true;
  return false;
}

// File extensions whose "name.ext:LINE[:COL]" is a source location to keep.
bool IsSourceExt(sv ext) {
  if (ext.empty() || ext.size() > 6) return false;
  static constexpr sv kExts[] = {"c", "cc", "cpp", "cxx", "c++", "h", "hh", "hpp", "hxx", "ipp", "inl", "py",
                                 "pyx", "js", "mjs", "cjs", "ts", "tsx", "jsx", "rs", "go", "java", "kt", "scala",
                                 "rb", "php", "cs", "swift", "m", "mm", "sh", "bash", "cmake", "txt", "mk", "yml",
                                 "yaml", "json", "toml", "xml", "proto", "S", "s", "asm", "lua", "pl", "sql",
                                 "ini", "cfg", "conf", "gradle", "vue", "dart", "ex", "exs", "erl", "hs", "ml",
                                 "cu", "f90", "zig", "nim", "groovy", "ps1", "bat"};
  return InList(ext, kExts);
}
bool IsSourceBareName(sv name) {
  return name == "Makefile" || name == "makefile" || name == "GNUmakefile" || name == "Dockerfile" ||
         name == "Jenkinsfile" || name == "BUILD" || name == "WORKSPACE";
}

// Splits "name.ext" at the last dot; returns ext ("" when none).
sv Extension(sv name) {
  std::size_t dot = name.rfind('.');
  if (dot == sv::npos || dot == 0 || dot + 1 == name.size()) return {};
  return name.substr(dot + 1);
}

bool IsUuid(sv s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!IsHex(s[i])) {
      return false;
    }
  }
  return true;
}

// Hex literal or a long hex string with both digits and letters (hashes,
// addresses). Pure-letter words like "deadbeef" or "accede" stay words.
bool IsHexToken(sv s) {
  if (s.size() >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (std::size_t i = 2; i < s.size(); ++i)
      if (!IsHex(s[i])) return false;
    return true;
  }
  if (s.size() < 7) return false;
  bool digit = false, letter = false;
  for (char c : s) {
    if (IsDigit(c)) digit = true;
    else if (Cls(c) & kHexLetter) letter = true;
    else return false;
  }
  return digit && letter;
}

// IPv4 with optional ":port".
bool IsIpv4(sv s) {
  int groups = 0, len = 0;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (IsDigit(c)) {
      if (++len > 3) return false;
    } else if (c == '.') {
      if (len == 0) return false;
      ++groups;
      len = 0;
    } else if (c == ':') {
      break;
    } else {
      return false;
    }
  }
  if (len == 0 || groups != 3) return false;
  if (i < s.size()) return AllDigits(s.substr(i + 1));
  return true;
}

bool IsIpv6(sv s) {
  if (s.size() < 3) return false;
  int colons = 0, group = 0;
  bool dbl = false, digit = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') {
      ++colons;
      if (i > 0 && s[i - 1] == ':') dbl = true;
      group = 0;
    } else if (IsHex(c)) {
      if (++group > 4) return false;
      if (IsDigit(c)) digit = true;
    } else if (c == '.' || c == '%') {
      // v4-mapped tail or zone index: accept the rest loosely.
      return colons >= 2 && (dbl || colons >= 6);
    } else {
      return false;
    }
  }
  if (colons < 2) return false;
  if (colons >= 7) return true;
  return dbl && (digit || s == "::");
}

// Shapes made of digits and - / : . , + T Z: dates, times, numbers, IPs,
// versions. Returns the mask, or empty when the token is not of this kind.
sv ClassifyNumeric(sv s) {
  std::size_t i = 0;
  if (i < s.size() && (s[0] == '-' || s[0] == '+')) ++i;
  if (i >= s.size() || !IsDigit(s[i])) return {};
  int groups = 1, dots = 0, colons = 0, dashes = 0, slashes = 0, commas = 0, other = 0;
  int first_len = 0, len = 0, two_digit_after_colon = 0;
  bool in_first = true;
  char last_sep = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (IsDigit(c)) {
      ++len;
      if (in_first) ++first_len;
      continue;
    }
    if (len == 0) return {};  // two separators in a row
    if (last_sep == ':' && len == 2) ++two_digit_after_colon;
    in_first = false;
    switch (c) {
      case '.': ++dots; break;
      case ':': ++colons; break;
      case '-': ++dashes; break;
      case '/': ++slashes; break;
      case ',': ++commas; break;
      case '+': ++other; break;
      case 'T':
        ++other;
        break;
      case 'Z':
        if (i + 1 != s.size()) return {};
        return kMaskTs;
      default:
        return {};
    }
    last_sep = c;
    ++groups;
    len = 0;
  }
  if (len == 0) return {};
  if (last_sep == ':' && len == 2) ++two_digit_after_colon;
  if (groups == 1) return kMaskNum;
  if (colons == 0 && dashes == 0 && slashes == 0 && other == 0) {
    if (commas) return {};
    if (dots == 1) return kMaskNum;
    if (dots == 3 && IsIpv4(s)) return kMaskIp;
    if (dots == 2 && first_len == 4) return kMaskTs;  // 2005.06.03
    return kMaskNum;                                   // versions 1.2.3
  }
  if (dots == 3 && colons == 1 && IsIpv4(s)) return kMaskIp;
  if (colons > 0 && two_digit_after_colon > 0) return kMaskTs;
  if (dashes > 0 && (first_len == 2 || first_len == 4 || first_len == 8) && groups >= 2 && slashes == 0)
    return kMaskTs;
  if (slashes >= 2 && (first_len <= 2 || first_len == 4)) return kMaskTs;
  return {};
}

constexpr std::size_t kNpos = sv::npos;


// Duration and size units after a number ("12ms", "4.5MB", "1m30s").
sv UnitMask(sv s) {
  std::size_t i = 0;
  if (i < s.size() && (s[0] == '-' || s[0] == '+')) ++i;
  if (i >= s.size() || !IsDigit(s[i])) return {};
  // Compound durations: 1h2m3s, 3m20.5s.
  bool all_dur = true;
  bool any_unit = false;
  bool size = false;
  while (i < s.size()) {
    std::size_t d = i;
    while (i < s.size() && (IsDigit(s[i]) || s[i] == '.')) ++i;
    if (i == d) return {};
    std::size_t u = i;
    while (i < s.size() && !IsDigit(s[i])) ++i;
    sv unit = s.substr(u, i - u);
    if (unit.empty()) return {};
    any_unit = true;
    static constexpr sv kDur[] = {"ns", "us", "\xc2\xb5s", "ms", "s", "sec", "secs", "m", "min", "mins", "h",
                                  "hr", "hrs", "d", "seconds", "second", "millis", "ns,", "days"};
    static constexpr sv kSize[] = {"b", "B", "k", "K", "kb", "KB", "kB", "KiB", "M", "MB", "MiB", "Mb", "G",
                                   "GB", "GiB", "Gb", "T", "TB", "TiB", "bytes", "kbps", "Mbps", "Gbps", "x"};
    bool dur = unit.size() <= 7 && InList(unit, kDur);
    if (!dur) {
      bool sz = unit.size() <= 5 && InList(unit, kSize);
      if (!sz) {
        if (unit == "%" && i == s.size()) return "%";
        return {};
      }
      size = true;
      all_dur = false;
      if (i != s.size()) return {};
    }
  }
  if (!any_unit) return {};
  if (size) return kMaskSize;
  return all_dur ? kMaskDur : sv{};
}

// A segment that looks generated rather than written: mixed letters and
// digits with several alternations (tmpa8d9f2x, x2k4j) or long hex.
bool IsRandomSegment(sv s) {
  int transitions = 0, digits = 0, letters = 0;
  int prev = 0;  // 1 digit, 2 letter
  for (char c : s) {
    int k = IsDigit(c) ? 1 : (IsAlpha(c) ? 2 : 0);
    if (k == 1) ++digits;
    if (k == 2) ++letters;
    if (k && prev && k != prev) ++transitions;
    if (k) prev = k;
  }
  if (!digits || !letters) return false;
  return transitions >= 3 || (s.size() >= 16 && transitions >= 2);
}

// Error-code shapes kept verbatim: E0425, C2065, TS2304, SC2086, W0611.
bool IsErrorCodeShape(sv s) {
  std::size_t i = 0;
  while (i < s.size() && (Cls(s[i]) & kUpper)) ++i;
  if (i == 0 || i > 4) return false;
  std::size_t d = s.size() - i;
  return d >= 3 && d <= 6 && AllDigits(s.substr(i));
}

// First index >= i of a whitespace byte (IsSpace: <= 0x20 or 0x7F), or
// line.size(); eight bytes per step while none is there.
inline std::size_t WordEnd(sv line, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  for (; i + 8 <= line.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, line.data() + i, 8);
    // Exact for existence: some byte < 0x21, or some byte == 0x7F.
    std::uint64_t lt = (x - kOnes * 0x21) & ~x & kHigh;
    std::uint64_t y = x ^ (kOnes * 0x7F);
    std::uint64_t del = (y - kOnes) & ~y & kHigh;
    if (lt | del) break;
  }
  while (i < line.size() && !IsSpace(line[i])) ++i;
  return i;
}

class Normalizer {
 public:
  explicit Normalizer(std::string* out) : out_(out) {}

  void Run(sv line) {
    // A carriage return redraws the terminal line: only the last drawing counts.
    std::size_t cr = line.find('\r');
    while (cr != kNpos) {
      sv rest = line.substr(cr + 1);
      bool blank = true;
      for (char c : rest)
        if (!IsSpace(c)) {
          blank = false;
          break;
        }
      if (blank) {
        line = line.substr(0, cr);
        cr = line.find('\r');
        continue;
      }
      line = rest;
      cr = line.find('\r');
    }
    if (line.find('\x1b') != kNpos) {
      StripAnsi(line);
      line = stripped_;
    }
    line_ = line;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && IsSpace(line[i])) ++i;
      if (i >= line.size()) break;
      if (line[i] == '[' && TryBar(line, &i)) continue;
      std::size_t j = i;
      j = WordEnd(line, j);
      // Padding inside brackets ("[ 50%]", "( 3 )") is layout, not content.
      if (!out_->empty() && out_->back() != '[' && out_->back() != '(' && line[i] != ']' && line[i] != ')')
        out_->push_back(' ');
      next_word_start_ = j;
      Word(line.substr(i, j - i));
      i = j;
    }
  }

 private:
  void StripAnsi(sv line) {
    stripped_.clear();
    for (std::size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (c != '\x1b') {
        stripped_.push_back(c);
        continue;
      }
      if (i + 1 >= line.size()) break;
      char n = line[i + 1];
      if (n == '[') {  // CSI: parameters, then a final byte in @..~
        i += 2;
        while (i < line.size() && !(line[i] >= '@' && line[i] <= '~')) ++i;
      } else if (n == ']') {  // OSC: until BEL or ESC backslash
        i += 2;
        while (i < line.size() && line[i] != '\x07' && !(line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '\\'))
          ++i;
        if (i < line.size() && line[i] == '\x1b') ++i;
      } else {
        ++i;  // two-byte escape
      }
    }
  }

  // "[#####     ]" or "[====>   ]": a progress bar, possibly with spaces.
  bool TryBar(sv line, std::size_t* pos) {
    std::size_t i = *pos + 1;
    int bar = 0;
    for (; i < line.size() && i - *pos < 200; ++i) {
      char c = line[i];
      if (c == ']') break;
      if (c == '#' || c == '=' || c == '>' || c == '-' || c == '*' || c == '.' || c == '|' || c == '<') {
        ++bar;
      } else if (c != ' ' && static_cast<unsigned char>(c) < 0x80) {
        return false;
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        ++bar;  // block characters
      }
    }
    if (i >= line.size() || line[i] != ']' || bar < 3) return false;
    // "[==========]" or "[----------]" with one repeated character and no gap
    // is a banner (gtest), not progress: it becomes "[===]".
    sv inner = line.substr(*pos + 1, i - *pos - 1);
    bool banner = inner[0] == '=' || inner[0] == '-';
    for (char c : inner)
      if (c != inner[0]) banner = false;
    if (!out_->empty()) out_->push_back(' ');
    if (banner) {
      out_->push_back('[');
      out_->append(3, inner[0]);
      out_->push_back(']');
      *pos = i + 1;
      return true;
    }
    out_->append("[");
    out_->append(kMaskBar);
    out_->append("]");
    *pos = i + 1;
    return true;
  }

  static bool IsBarWord(sv w) {
    // Unicode block / box characters (U+2580..U+259F, U+2500..U+257F), 3+ of them.
    int n = 0;
    for (std::size_t i = 0; i < w.size();) {
      unsigned char c = static_cast<unsigned char>(w[i]);
      if (c == 0xE2 && i + 2 < w.size() + 0 && i + 2 <= w.size() - 1) {
        unsigned char b = static_cast<unsigned char>(w[i + 1]);
        if (b == 0x94 || b == 0x95 || b == 0x96) {
          ++n;
          i += 3;
          continue;
        }
        return false;
      }
      if (c == '#' || c == '=' || c == '>' || c == '|' || c == ' ') {
        ++i;
        continue;
      }
      return false;
    }
    return n >= 3;
  }

  void Word(sv w) {
    if (month_ts_ && !EndsWith(*out_, "<TS> ") && !EndsWith(*out_, "<TS> <NUM> ")) month_ts_ = false;
    bool keep = keep_next_;
    keep_next_ = false;
    // Banners: a word of one repeated punctuation character.
    if (w.size() >= 3 && !IsWordByte(w[0])) {
      bool same = true;
      for (char c : w)
        if (c != w[0]) {
          same = false;
          break;
        }
      if (same) {
        out_->append(3, w[0]);
        return;
      }
    }
    if (static_cast<unsigned char>(w[0]) >= 0x80 && IsBarWord(w)) {
      out_->append(kMaskBar);
      return;
    }
    std::size_t b = 0, e = w.size();
    while (b < e && IsLeadPunct(w[b])) ++b;
    while (e > b && IsTrailPunct(w[e - 1])) --e;
    out_->append(w.substr(0, b));
    sv core = w.substr(b, e - b);
    if (!core.empty()) {
      if (!(keep && KeepNumber(core))) Core(core, 0);
      if (IsKeepKeyword(core)) keep_next_ = true;
      if (w.back() == '"' && w.find("HTTP/") != kNpos) value_dep_ = true;  // the version's digits decide
      if (w.back() == '"' && (EndsWith(w, "HTTP/1.1\"") || EndsWith(w, "HTTP/1.0\"") || EndsWith(w, "HTTP/2\"") ||
                              EndsWith(w, "HTTP/2.0\"")))
        keep_next_ = true;
    }
    out_->append(w.substr(e));
  }

  static bool IsLeadPunct(char c) {
    return c == '(' || c == '[' || c == '{' || c == '<' || c == '"' || c == '\'' || c == '`';
  }
  static bool IsTrailPunct(char c) {
    return c == ')' || c == ']' || c == '}' || c == '>' || c == '"' || c == '\'' || c == '`' || c == ',' ||
           c == ';' || c == ':' || c == '.' || c == '!' || c == '?';
  }

  bool KeepNumber(sv core) {
    std::size_t n = core.size();
    if (n == 0 || n > 6) return false;
    if (!AllDigits(core) && !(n >= 3 && core[0] == '-' && AllDigits(core.substr(1)))) return false;
    Copy(core);
    return true;
  }

  bool NextWordIsHttpReason() const {
    std::size_t i = next_word_start_;
    while (i < line_.size() && IsSpace(line_[i])) ++i;
    std::size_t j = i;
    while (j < line_.size() && !IsSpace(line_[j])) ++j;
    return IsHttpReasonWord(line_.substr(i, j - i));
  }

  // Emits a mask, merging adjacent date/time parts into one <TS>.
  void EmitMask(sv mask) {
    if (mask == kMaskTs) {
      if (EndsWith(*out_, "<TS> ")) {
        out_->pop_back();
        return;
      }
      if (EndsWith(*out_, "<TS> <NUM> ")) {
        out_->resize(out_->size() - 7);
        return;
      }
    }
    out_->append(mask);
  }

  // A whole token (no surrounding brackets/quotes). depth bounds recursion.
  void Core(sv s, int depth) {
    if (s.empty()) return;
    char c0 = s[0];
    // Fast path: a plain word (letters, '_', '-', '.', UTF-8; no digit, no
    // delimiter) is kept as is unless it is part of a timestamp.
    bool plain = true;
    for (char c : s) {
      if (!(IsAlpha(c) || c == '_' || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80)) {
        plain = false;
        break;
      }
    }
    if (plain) {
      if (IsMonthOrDay(s) && (AfterTsOrNum() || NextWordStartsWithDigitOrMonth())) {
        EmitMask(kMaskTs);
        month_ts_ = true;
      } else if (IsTimeZoneWord(s) && AfterTs()) {
        out_->pop_back();
      } else {
        out_->append(s);
      }
      return;
    }
    if (IsDigit(c0) || ((c0 == '-' || c0 == '+') && s.size() > 1 && IsDigit(s[1]))) {
      sv m = ClassifyNumeric(s);
      if (!m.empty()) {
        if (m == kMaskNum && month_ts_ && s.size() == 4 && AfterTs()) value_dep_ = true;  // 19xx/20xx
        if (m == kMaskNum && AfterTs() && IsYearOrZone(s, month_ts_)) {
          out_->pop_back();
          return;
        }
        if (m == kMaskNum && s.size() == 3 && NextWordIsHttpReason()) {
          value_dep_ = true;  // the first digit decides
          if (c0 >= '1' && c0 <= '5') {
            Copy(s);
            return;
          }
        }
        EmitMask(m);
        return;
      }
      if (IsUuid(s) || HexToken(s)) {
        EmitMask(IsUuid(s) ? kMaskUuid : kMaskHex);
        return;
      }
      sv u = UnitMask(s);
      if (!u.empty()) {
        if (u == "%") {
          out_->append(kMaskNum);
          out_->push_back('%');
        } else {
          out_->append(u);
        }
        return;
      }
    } else if (IsHex(c0) || c0 == ':') {
      if (IsUuid(s)) {
        out_->append(kMaskUuid);
        return;
      }
      if (HexToken(s)) {
        out_->append(kMaskHex);
        return;
      }
    }
    if ((c0 == ':' || IsHex(c0)) && s.find(':') != kNpos && IsIpv6(s)) {
      out_->append(kMaskIp);
      return;
    }
    if (IsMonthOrDay(s) && (AfterTsOrNum() || NextWordStartsWithDigitOrMonth())) {
      EmitMask(kMaskTs);
      month_ts_ = true;
      return;
    }
    if (IsTimeZoneWord(s) && AfterTs()) {
      out_->pop_back();
      return;
    }
    if (IsDigit(c0) && IsMonthNameDate(s)) {
      EmitMask(kMaskTs);
      month_ts_ = true;
      return;
    }
    if (depth < 4 && Path(s, depth)) return;
    SplitA(s, depth);
  }

  // "27/Nov/2026:22:17:57" (access logs) or "04-Dec-2005 10:00".
  static bool IsMonthNameDate(sv s) {
    std::size_t i = 0;
    while (i < s.size() && i < 2 && IsDigit(s[i])) ++i;
    if (i == 0 || i >= s.size() || (s[i] != '/' && s[i] != '-')) return false;
    char sep = s[i++];
    std::size_t m = i;
    while (i < s.size() && IsAlpha(s[i])) ++i;
    if (i - m != 3 || !IsMonthOrDay(s.substr(m, 3)) || i >= s.size() || s[i] != sep) return false;
    ++i;
    std::size_t y = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i - y != 4 && i - y != 2) return false;
    for (; i < s.size(); ++i)
      if (!IsDigit(s[i]) && s[i] != ':' && s[i] != '.') return false;
    return true;
  }

  bool AfterTs() const { return EndsWith(*out_, "<TS> "); }
  bool AfterTsOrNum() const { return EndsWith(*out_, "<TS> ") || EndsWith(*out_, "<NUM> "); }
  // A year only follows a timestamp written with a month name ("Dec 04
  // 04:47:44 2005"); elsewhere a 4-digit number after a time is a pid or count.
  static bool IsYearOrZone(sv s, bool month_ts) {
    if (month_ts && s.size() == 4 && (StartsWith(s, "19") || StartsWith(s, "20"))) return true;
    return s.size() == 5 && (s[0] == '+' || s[0] == '-');
  }
  bool NextWordStartsWithDigitOrMonth() const {
    std::size_t i = next_word_start_;
    while (i < line_.size() && IsSpace(line_[i])) ++i;
    if (i >= line_.size()) return false;
    if (IsDigit(line_[i])) return true;
    std::size_t j = i;
    while (j < line_.size() && IsAlpha(line_[j])) ++j;
    return IsMonthOrDay(line_.substr(i, j - i));
  }

  // Absolute paths lose their directory prefix; a source file keeps its name
  // and ":LINE[:COL]" / "(LINE[,COL])". Returns false if `s` is not a path.
  bool Path(sv s, int depth) {
    {
      bool slash = false;
      for (char c : s)
        if (c == '/' || c == '\\') {
          slash = true;
          break;
        }
      if (!slash) return false;
    }
    const std::size_t mark = out_->size();  // undo point for "not a path"
    bool absolute = false;
    if (StartsWith(s, "file://")) {
      out_->append("file://");
      s = s.substr(7);
    }
    if (s.size() >= 2 && s[0] == '/' && s[1] != '/') {
      absolute = true;
    } else if (StartsWith(s, "~/")) {
      absolute = true;
    } else if (s.size() >= 3 && IsAlpha(s[0]) && s[1] == ':' && s[2] == '\\') {
      absolute = true;
    }
    // Find where the path ends: at a location suffix or a delimiter.
    std::size_t end = s.size();
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c == '(' || c == ',' || c == '"' || c == '\'' || c == '=' || c == ';' || c == '[' || c == ')') {
        end = i;
        break;
      }
    }
    sv path = s.substr(0, end);
    std::size_t last = kNpos;  // hand-rolled: find_last_of scans the set per byte
    for (std::size_t i = path.size(); i-- > 0;)
      if (path[i] == '/' || path[i] == '\\') {
        last = i;
        break;
      }
    if (last == kNpos) {
      out_->resize(mark);
      return false;
    }
    if (path.find("://") != kNpos) {
      out_->resize(mark);
      return false;
    }
    // Cut a ":LINE[:COL]" suffix off the base name.
    sv base = path.substr(last + 1);
    std::size_t colon = base.find(':');
    sv loc;
    if (colon != kNpos) {
      loc = base.substr(colon);
      base = base.substr(0, colon);
      path = path.substr(0, last + 1 + colon);
    }
    sv ext = Extension(base);
    bool source = SourceExt(ext) || IsSourceBareName(base);
    if (!absolute) {
      // Relative: only treated here when it names a source file; otherwise the
      // generic splitter masks its numeric parts.
      if (!source) {
        out_->resize(mark);
        return false;
      }
      for (char c : path) {
        if (!(IsWordByte(c) || c == '/' || c == '\\' || c == '.' || c == '-' || c == '_' || c == '+' || c == '@' ||
              c == '~')) {
          out_->resize(mark);
          return false;
        }
      }
      std::size_t seg = 0;
      for (std::size_t i = 0; i <= last; ++i) {
        if (path[i] == '/' || path[i] == '\\') {
          Piece(path.substr(seg, i - seg));
          out_->push_back(path[i]);
          seg = i + 1;
        }
      }
    } else {
      if (last == 0) { out_->resize(mark); return false; }  // "/health": one segment, leave to the splitter
      out_->append(kMaskPath);
      out_->push_back(path[last]);
    }
    // Base name: keep it unless it is generated.
    if (!base.empty()) {
      if (!ext.empty()) {
        sv stem = base.substr(0, base.size() - ext.size() - 1);
        Piece(stem);
        out_->push_back('.');
        Piece(ext);
      } else {
        Piece(base);
      }
    }
    if (!loc.empty()) {
      if (source) {
        EmitLocation(loc);
      } else {
        SplitA(loc, depth + 1);
      }
    }
    sv rest = s.substr(end);
    if (!rest.empty()) {
      if (source && rest[0] == '(') {
        EmitLocation(rest);
      } else {
        SplitA(rest, depth + 1);
      }
    }
    return true;
  }

  // ":12:5", ":12:", "(12,5)", ":12: error": digits kept, anything else split.
  void EmitLocation(sv loc) {
    std::size_t i = 0;
    while (i < loc.size()) {
      char c = loc[i];
      if (c == ':' || c == '(' || c == ',' || c == ')' || IsDigit(c)) {
        ++i;
        continue;
      }
      break;
    }
    Copy(loc.substr(0, i));
    if (i < loc.size()) SplitA(loc.substr(i), 3);
  }

  // Splits at = , ; | brackets quotes @; each part is a whole token again.
  void SplitA(sv s, int depth) {
    std::size_t seg = 0;
    bool split = false;
    bool keep_value = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!(Cls(s[i]) & kDelimA)) continue;
      split = true;
      sv part = s.substr(seg, i - seg);
      if (!part.empty()) {
        if (keep_value && KeepNumber(part)) {
        } else {
          if (depth < 4) Core(part, depth + 1);
          else SplitB(part);
        }
      }
      keep_value = (s[i] == '=' || s[i] == '[') && IsKeepKeyword(part);
      out_->push_back(s[i]);
      seg = i + 1;
    }
    if (!split) {
      SplitB(s);
      return;
    }
    sv part = s.substr(seg);
    if (!part.empty()) {
      if (keep_value && KeepNumber(part)) return;
      if (depth < 4) Core(part, depth + 1);
      else SplitB(part);
    }
  }

  // Splits at : / backslash; pieces are atoms. A source name followed by
  // ":LINE" keeps the line.
  void SplitB(sv s) {
    std::size_t seg = 0;
    bool keep_value = false;
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (i < s.size() && !(Cls(s[i]) & kDelimB)) continue;
      sv part = s.substr(seg, i - seg);
      if (!part.empty()) {
        if (keep_value && KeepNumber(part)) {
        } else {
          sv m = ClassifyNumeric(part);
          if (!m.empty()) EmitMask(m);
          else Piece(part);
        }
      }
      if (i < s.size()) {
        keep_value = s[i] == ':' && ((part.find('.') != kNpos && SourceExt(Extension(part))) ||
                                     IsSourceBareName(part) || IsKeepKeyword(part));
        if (keep_value && !IsKeepKeyword(part)) {
          // source location: keep every following ":digits".
          std::size_t j = i;
          while (j < s.size() && (s[j] == ':' || IsDigit(s[j]))) ++j;
          Copy(s.substr(i, j - i));
          i = j - 1;
          seg = j;
          keep_value = false;
          if (j >= s.size()) return;
          continue;
        }
        out_->push_back(s[i]);
      }
      seg = i + 1;
    }
  }

  // An atom: no delimiters left except - _ . and others. Masks digit runs,
  // hex and random-looking segments; keeps words, error codes, test names.
  void Piece(sv s) {
    if (s.empty()) return;
    {
      bool digit = false;
      for (char c : s)
        if (IsDigit(c)) {
          digit = true;
          break;
        }
      if (!digit) {  // words, and hex/UUID-free by definition (both need a digit here)
        out_->append(s);
        return;
      }
    }
    if (IsDigit(s[0]) || ((s[0] == '-' || s[0] == '+') && s.size() > 1 && IsDigit(s[1]))) {
      sv m = ClassifyNumeric(s);
      if (!m.empty()) {
        EmitMask(m);
        return;
      }
      sv u = UnitMask(s);
      if (!u.empty()) {
        if (u == "%") {
          out_->append(kMaskNum);
          out_->push_back('%');
        } else {
          out_->append(u);
        }
        return;
      }
    }
    if (IsUuid(s)) {
      out_->append(kMaskUuid);
      return;
    }
    if (HexToken(s)) {
      out_->append(kMaskHex);
      return;
    }
    if (s.size() > 36) {  // an embedded UUID: "req-<uuid>", "<uuid>_tmp"
      for (std::size_t p = 0; p + 36 <= s.size(); ++p) {
        if ((p == 0 || !IsHex(s[p - 1])) && (p + 36 == s.size() || !IsHex(s[p + 36])) && IsUuid(s.substr(p, 36))) {
          Piece(s.substr(0, p));
          out_->append(kMaskUuid);
          Piece(s.substr(p + 36));
          return;
        }
      }
    }
    bool has_digit = false;
    for (char c : s)
      if (IsDigit(c)) {
        has_digit = true;
        break;
      }
    if (!has_digit) {
      out_->append(s);
      return;
    }
    if (s.size() >= 4 && (EqualsLower(s.substr(0, 4), "test"))) {
      Copy(s);
      return;
    }
    // Segments separated by - _ . (and other punctuation).
    std::size_t seg = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (i < s.size() && (IsWordByte(s[i]))) continue;
      Segment(s.substr(seg, i - seg));
      if (i < s.size()) {
        // "blk_-123": a minus sign before digits belongs to the number.
        if (s[i] == '-' && i + 1 < s.size() && IsDigit(s[i + 1]) && i > 0 && !IsWordByte(s[i - 1])) {
          seg = i + 1;
          continue;
        }
        out_->push_back(s[i]);
      }
      seg = i + 1;
    }
  }

  void Segment(sv seg) {
    if (seg.empty()) return;
    bool digit = false, alpha = false;
    for (char c : seg) {
      if (IsDigit(c)) digit = true;
      else alpha = true;
    }
    if (!digit) {
      out_->append(seg);
      return;
    }
    if (!alpha) {
      out_->append(kMaskNum);
      return;
    }
    if (IsErrorCodeShape(seg)) {
      Copy(seg);
      return;
    }
    if (HexToken(seg)) {
      out_->append(kMaskHex);
      return;
    }
    if (IsRandomSegment(seg)) {
      out_->append(kMaskId);
      return;
    }
    // word<digits>word: mask the digit runs.
    for (std::size_t i = 0; i < seg.size();) {
      if (IsDigit(seg[i])) {
        while (i < seg.size() && IsDigit(seg[i])) ++i;
        out_->append(kMaskNum);
      } else {
        out_->push_back(seg[i]);
        ++i;
      }
    }
  }

  // IsHexToken, noting that "0x.." looks at a digit's value.
  bool HexToken(sv s) {
    if (s.size() >= 3 && IsDigit(s[0]) && (s[1] == 'x' || s[1] == 'X')) value_dep_ = true;
    return IsHexToken(s);
  }
  // IsSourceExt, noting that an extension with a digit ("f90", "ps1") is
  // matched on the digit's value.
  bool SourceExt(sv ext) {
    for (char c : ext)
      if (IsDigit(c)) {
        value_dep_ = true;
        break;
      }
    return IsSourceExt(ext);
  }

  // Appends a piece of the line that may hold digits; with a trace, notes
  // where its digits came from (or that they came from a rewritten copy of
  // the line, which a trace cannot point into).
  void Copy(sv s) {
    const std::size_t at = out_->size();
    out_->append(s);
    if (!copies_ || s.empty()) return;
    bool digit = false;
    for (char c : s) digit |= IsDigit(c);
    if (!digit) return;
    if (s.data() >= base_.data() && s.data() + s.size() <= base_.data() + base_.size()) {
      copies_->push_back(DigitCopy{static_cast<std::uint32_t>(at),
                                   static_cast<std::uint32_t>(s.data() - base_.data()),
                                   static_cast<std::uint32_t>(s.size())});
    } else {
      untraced_ = true;
    }
  }

 public:
  // Set when a decision looked at the value of a digit of the line (not only
  // at its being a digit). Digits copied to the output are traced apart.
  bool value_dep_ = false;
  bool untraced_ = false;             // a digit was copied from outside base_
  std::vector<DigitCopy>* copies_ = nullptr;  // digit-holding copies, when tracing
  sv base_;                           // the line as given (copies point into it)

 private:
  std::string* out_;
  std::string stripped_;
  sv line_;
  std::size_t next_word_start_ = 0;
  bool keep_next_ = false;
  bool month_ts_ = false;  // the timestamp being built has a month/day name
};

}  // namespace

void NormalizeLineInto(std::string_view line, std::string* out) {
  out->clear();
  Normalizer n(out);
  n.Run(line);
}

void NormalizeLineInto(std::string_view line, std::string* out, ShapeTrace* trace) {
  out->clear();
  trace->copies.clear();
  Normalizer n(out);
  n.copies_ = &trace->copies;
  n.base_ = line;
  n.Run(line);
  bool ok = !n.value_dep_ && !n.untraced_ && line.size() < 0xFFFFFFFFu;
  // Check the trace covers every digit of the template, in order, and still
  // matches it (nothing was cut off after being copied).
  const std::string& t = *out;
  std::size_t next = 0;  // first template byte not yet covered
  for (std::size_t k = 0; ok && k < trace->copies.size(); ++k) {
    const DigitCopy& c = trace->copies[k];
    if (c.out < next || c.out + c.len > t.size() ||
        t.compare(c.out, c.len, line.substr(c.in, c.len)) != 0) {
      ok = false;
      break;
    }
    for (std::size_t i = next; i < c.out; ++i)
      if (IsDigit(t[i])) ok = false;
    next = c.out + c.len;
  }
  for (std::size_t i = next; ok && i < t.size(); ++i)
    if (IsDigit(t[i])) ok = false;
  trace->reusable = ok;
  if (!ok) trace->copies.clear();
}

std::string NormalizeLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 16);
  NormalizeLineInto(line, &out);
  return out;
}

}  // namespace sentinel::triage
