#include "core/triage/reader.h"

#include <cstdint>
#include <cstring>

namespace sentinel::triage {
namespace {

bool Digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// Length of a timestamp prefix (with its one separating blank) at the start of
// `line`, or 0. `iso_only`: only the full ISO-8601 form with seconds and a zone
// ("2024-01-01T00:00:00.1234567Z "), which no tool prints as text of its own.
std::size_t TimestampPrefix(std::string_view line, bool iso_only) {
  std::size_t i = 0;
  const bool bracket = !line.empty() && line[0] == '[';
  if (bracket) {
    if (iso_only) return 0;
    ++i;
  }
  bool dated = false;
  if (Digits(line, i, 4) && i + 10 <= line.size() && line[i + 4] == '-' && Digits(line, i + 5, 2) &&
      line[i + 7] == '-' && Digits(line, i + 8, 2) && i + 10 < line.size() &&
      (line[i + 10] == 'T' || (line[i + 10] == ' ' && !iso_only))) {
    i += 11;  // date and separator; the time must follow
    dated = true;
  } else if (iso_only || !Digits(line, i, 2)) {
    return 0;
  }
  if (!(Digits(line, i, 2) && i + 8 <= line.size() && line[i + 2] == ':' && Digits(line, i + 3, 2) &&
        line[i + 5] == ':' && Digits(line, i + 6, 2)))
    return 0;
  i += 8;
  if (i < line.size() && (line[i] == '.' || line[i] == ',')) {
    ++i;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  }
  bool zoned = false;
  if (i < line.size() && line[i] == 'Z') {
    ++i;
    zoned = true;
  } else if (i + 5 <= line.size() && (line[i] == '+' || line[i] == '-') && Digits(line, i + 1, 2)) {
    i += 3;
    if (i < line.size() && line[i] == ':') ++i;
    if (!Digits(line, i, 2)) return 0;
    i += 2;
    zoned = true;
  }
  if (iso_only && !(dated && zoned)) return 0;
  if (bracket) {
    if (i >= line.size() || line[i] != ']') return 0;
    ++i;
  }
  if (i >= line.size() || (line[i] != ' ' && line[i] != '\t')) return 0;
  return i + 1;  // one separator: the tool's own indentation is meaningful
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Removes ANSI escapes and control bytes (but tab) from `s`, appending to *out.
// Returns the number of control bytes that were not part of an escape.
std::size_t AppendPrintable(std::string_view s, std::string* out) {
  std::size_t junk = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0x1b) {
      if (i + 1 < s.size() && s[i + 1] == '[') {  // CSI: ESC [ params final-byte
        std::size_t j = i + 2;
        while (j < s.size() && !(s[j] >= 0x40 && s[j] <= 0x7e)) ++j;
        i = j;
      } else if (i + 1 < s.size() && (s[i + 1] == ']' || s[i + 1] == '_' || s[i + 1] == 'P' || s[i + 1] == '^' ||
                                      s[i + 1] == 'X')) {
        // The string controls (ECMA-48): OSC (hyperlinks, titles), APC (Buildkite's per-line
        // `_bk;t=<ms>` timestamp), DCS, PM and SOS: ESC x ... BEL or ESC backslash.
        std::size_t j = i + 2;
        while (j < s.size() && s[j] != '\x07' && !(s[j] == '\x1b' && j + 1 < s.size() && s[j + 1] == '\\')) ++j;
        i = (j < s.size() && s[j] == '\x1b') ? j + 1 : j;
      } else if (i + 1 < s.size()) {
        // ESC ( B and the other charset designations take one more byte; ESC =, ESC > one.
        const char n = s[i + 1];
        i += (n == '(' || n == ')' || n == '*' || n == '+') && i + 2 < s.size() ? 2 : 1;
      }
      continue;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      ++junk;
      continue;
    }
    out->push_back(static_cast<char>(c));
  }
  return junk;
}

bool Blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t') return false;
  return true;
}

// Whether the segment shows something once escapes are removed.
bool VisibleSegment(std::string_view s) {
  std::string tmp;
  AppendPrintable(s, &tmp);
  return !Blank(tmp);
}

// The travis_fold / travis_time markers, with the escape that follows them, at
// the start of `s`: their length, or 0.
std::size_t TravisMarker(std::string_view s) {
  if (!StartsWith(s, "travis_fold:") && !StartsWith(s, "travis_time:")) return 0;
  std::size_t i = 12;
  while (i < s.size() && s[i] != '\r' && s[i] != '\x1b' && s[i] != ' ') ++i;
  return i;
}

void CleanInto(std::string_view line, bool strip_short_timestamps, std::string* out) {
  const std::size_t start = out->size();
  while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // A redrawn line: keep its last frame that shows something.
  if (line.find('\r') != std::string_view::npos) {
    std::size_t end = line.size();
    std::string_view frame = line.substr(line.rfind('\r') + 1);
    while (!VisibleSegment(frame) && end > 0) {
      std::size_t cr = line.rfind('\r', end - 1);
      if (cr == std::string_view::npos) {
        frame = line.substr(0, end);
        break;
      }
      frame = line.substr(cr + 1, end - cr - 1);
      end = cr;
    }
    // travis writes "travis_fold:start:x\r\e[0Ktravis_time:...\r\e[0K$ cmd": the
    // markers are frames of their own and drop out here.
    line = frame;
  }
  std::size_t ts = TimestampPrefix(line, !strip_short_timestamps);
  if (ts == 0 && line.size() > 1 && line[0] == '\x1b') {
    // A colour code before the timestamp: look past it.
    std::string tmp;
    AppendPrintable(line.substr(0, 64), &tmp);
    if (TimestampPrefix(tmp, !strip_short_timestamps) > 0) {
      std::string rest;
      AppendPrintable(line, &rest);
      line = {};
      out->append(rest.substr(TimestampPrefix(rest, !strip_short_timestamps)));
    }
  }
  line.remove_prefix(ts);
  for (std::size_t m; (m = TravisMarker(line)) > 0;) {
    line.remove_prefix(m);
    while (!line.empty() && (line[0] == '\r' || line[0] == ' ')) line.remove_prefix(1);
  }
  if (StartsWith(line, "##[group]")) line.remove_prefix(9);
  else if (StartsWith(line, "::group::")) line.remove_prefix(9);
  else if (StartsWith(line, "##[endgroup]") || StartsWith(line, "::endgroup::")) line = {};
  const std::size_t junk = AppendPrintable(line, out);
  // Mostly binary: a line of control bytes says nothing a reader can use.
  if (junk > 8 && junk * 4 > line.size()) out->resize(start);
  while (out->size() > start && (out->back() == ' ' || out->back() == '\t')) out->pop_back();
  // A marker frame left at the end of the line ("... travis_fold:end:x").
  if (out->size() - start > kMaxCleanLineBytes) {
    std::size_t cut = start + kMaxCleanLineBytes;
    while (cut > start && (static_cast<unsigned char>((*out)[cut]) & 0xC0) == 0x80) --cut;
    out->resize(cut);
  }
}

// Whether a byte below 0x20 other than tab occurs in [p, end) (ESC and '\r' included).
bool HasControl(const char* p, const char* end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    if (((w - kOnes * 0x20) & ~w & kHigh) != 0) {  // some byte < 0x20
      for (int i = 0; i < 8; ++i) {
        const unsigned char c = static_cast<unsigned char>(p[i]);
        if (c < 0x20 && c != '\t') return true;
      }
    }
    p += 8;
  }
  for (; p < end; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20 && c != '\t') return true;
  }
  return false;
}

bool LineNeedsCleaning(std::string_view line, bool short_stamps) {
  if (line.size() > kMaxCleanLineBytes) return true;
  if (!line.empty()) {
    const char c = line[0];
    if ((c >= '0' && c <= '9') || c == '[') {
      if (TimestampPrefix(line, !short_stamps) > 0) return true;
    } else if (c == 't') {
      if (TravisMarker(line) > 0) return true;
    } else if (c == '#' || c == ':') {
      if (StartsWith(line, "##[group]") || StartsWith(line, "::group::") || StartsWith(line, "##[endgroup]") ||
          StartsWith(line, "::endgroup::"))
        return true;
    }
  }
  if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return true;
  return HasControl(line.data(), line.data() + line.size());
}

}  // namespace

std::string CleanLine(std::string_view raw_line, bool strip_short_timestamps) {
  std::string out;
  CleanInto(raw_line, strip_short_timestamps, &out);
  return out;
}

bool ReadLog(std::string_view raw, std::string* out) {
  out->clear();
  // Every timestamp form is cut when the log's first line has one (runners
  // prefix every line or none); the ISO-8601 form is cut on any line.
  const std::size_t first_nl = raw.find('\n');
  const bool short_stamps = TimestampPrefix(raw.substr(0, first_nl), false) > 0;
  std::size_t first_dirty = std::string_view::npos;
  for (std::size_t pos = 0; pos < raw.size();) {
    const char* nl = static_cast<const char*>(std::memchr(raw.data() + pos, '\n', raw.size() - pos));
    const std::size_t end = nl ? static_cast<std::size_t>(nl - raw.data()) : raw.size();
    if (LineNeedsCleaning(raw.substr(pos, end - pos), short_stamps)) {
      first_dirty = pos;
      break;
    }
    pos = end + 1;
  }
  if (first_dirty == std::string_view::npos) return false;
  out->reserve(raw.size());
  out->append(raw.substr(0, first_dirty));
  for (std::size_t pos = first_dirty; pos <= raw.size();) {
    const char* nl = static_cast<const char*>(std::memchr(raw.data() + pos, '\n', raw.size() - pos));
    const std::size_t end = nl ? static_cast<std::size_t>(nl - raw.data()) : raw.size();
    std::string_view line = raw.substr(pos, end - pos);
    if (LineNeedsCleaning(line, short_stamps)) {
      CleanInto(line, short_stamps, out);
    } else {
      out->append(line);
    }
    if (!nl) break;
    out->push_back('\n');
    pos = end + 1;
  }
  return true;
}

}  // namespace sentinel::triage
