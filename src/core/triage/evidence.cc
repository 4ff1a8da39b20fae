#include "core/triage/evidence.h"

#include <algorithm>
#include <cctype>
#include <set>


namespace sentinel::triage {

std::string StripAnsi(std::string_view log) {
  std::string out;
  out.reserve(log.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    char c = log[i];
    if (c != '\x1b') {
      out += c;
      continue;
    }
    // CSI: ESC [ params final-byte; other escapes: ESC + one byte. Never past a newline.
    if (i + 1 < log.size() && log[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < log.size() && log[j] != '\n' && !(log[j] >= 0x40 && log[j] <= 0x7e)) ++j;
      i = (j < log.size() && log[j] == '\n') ? j - 1 : j;
    } else if (i + 1 < log.size() && log[i + 1] != '\n') {
      ++i;
    }
  }
  return out;
}

namespace {

bool Digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// Length of a timestamp prefix (with its one separating blank) at the start of
// `line`, or 0.
std::size_t TimestampPrefix(std::string_view line) {
  std::size_t i = 0;
  const bool bracket = !line.empty() && line[0] == '[';
  if (bracket) ++i;
  if (Digits(line, i, 4) && i + 10 <= line.size() && line[i + 4] == '-' && Digits(line, i + 5, 2) &&
      line[i + 7] == '-' && Digits(line, i + 8, 2) && i + 10 < line.size() &&
      (line[i + 10] == 'T' || line[i + 10] == ' ')) {
    i += 11;  // date and separator; the time must follow
  } else if (!Digits(line, i, 2)) {
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
  if (i < line.size() && line[i] == 'Z') {
    ++i;
  } else if (i + 5 <= line.size() && (line[i] == '+' || line[i] == '-') && Digits(line, i + 1, 2)) {
    i += 3;
    if (i < line.size() && line[i] == ':') ++i;
    if (!Digits(line, i, 2)) return 0;
    i += 2;
  }
  if (bracket) {
    if (i >= line.size() || line[i] != ']') return 0;
    ++i;
  }
  if (i >= line.size() || (line[i] != ' ' && line[i] != '\t')) return 0;
  return i + 1;  // one separator: the tool's own indentation is meaningful
}

}  // namespace

bool CleanForMatching(std::string_view log, std::string* out) {
  out->clear();
  // Timestamps are cut only when the log's first line has one: runners
  // prefix every line or none, and a per-line check elsewhere costs little.
  std::size_t first_nl = log.find('\n');
  const bool stamped = TimestampPrefix(log.substr(0, first_nl)) > 0;
  const bool coloured = log.find('\x1b') != std::string_view::npos;
  if (!stamped && !coloured) return false;
  std::string_view src = log;
  std::string decoloured;
  if (coloured) {
    decoloured = StripAnsi(log);
    src = decoloured;
  }
  if (!stamped) {
    *out = std::move(decoloured);
    return true;
  }
  out->reserve(src.size());
  for (std::size_t pos = 0; pos <= src.size();) {
    std::size_t nl = src.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? src.size() : nl;
    std::string_view line = src.substr(pos, end - pos);
    out->append(line.substr(TimestampPrefix(line)));
    if (nl == std::string_view::npos) break;
    out->push_back('\n');
    pos = nl + 1;
  }
  return true;
}

std::string DisplayText(std::string_view line) {
  std::string out = StripAnsi(line);
  out.erase(std::remove(out.begin(), out.end(), '\r'), out.end());
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  if (out.size() > kMaxEvidenceChars) {
    std::size_t cut = kMaxEvidenceChars;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return out;
}

namespace {

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

class Collector {
 public:
  explicit Collector(std::string_view log) : log_(log) {}
  bool Full() const { return out_.size() >= kMaxEvidenceLines; }
  void Add(int line, std::size_t begin, std::size_t end) {
    if (Full() || !seen_.insert(line).second) return;
    out_.push_back(EvidenceLine{line, DisplayText(LineText(log_, begin, end))});
  }
  std::vector<EvidenceLine> Take() { return std::move(out_); }

 private:
  std::string_view log_;
  std::set<int> seen_;
  std::vector<EvidenceLine> out_;
};

}  // namespace

std::vector<EvidenceLine> ExtractEvidence(const Kb& kb, std::string_view log, const ScanResult& scan) {
  if (scan.winner < 0) return {};
  Collector c(log);
  const SignatureMatch& w = scan.matches[static_cast<std::size_t>(scan.winner)];
  const Hit& root = w.first();
  c.Add(root.line, root.line_begin, root.line_end);
  // Context: the next non-blank line, when it is not itself a later error.
  if (root.line_end < log.size()) {
    std::size_t b = root.line_end + 1;
    std::size_t e = log.find('\n', b);
    if (e == std::string_view::npos) e = log.size();
    if (!Blank(log.substr(b, e - b))) c.Add(root.line + 1, b, e);
  }
  for (std::size_t i = 1; i < w.hits.size(); ++i) c.Add(w.hits[i].line, w.hits[i].line_begin, w.hits[i].line_end);
  const FailureCategory category = kb.signature(w.signature).category;
  for (const SignatureMatch& m : scan.matches) {
    const Signature& s = kb.signature(m.signature);
    if (&m == &w || s.cascade || s.category != category) continue;
    c.Add(m.first().line, m.first().line_begin, m.first().line_end);
  }
  for (const SignatureMatch& m : scan.matches) {
    if (&m == &w || !kb.signature(m.signature).cascade) continue;
    c.Add(m.first().line, m.first().line_begin, m.first().line_end);
  }
  return c.Take();
}

bool LooksLikeError(std::string_view text) {
  static constexpr std::string_view kWords[] = {
      "error", "err!", "fail", "fatal", "exception", "panic", "abort", "denied", "cannot", "can't",
      "could not", "couldn't", "unable to", "traceback", "killed", "not found", "no such"};
  std::string lower(text.substr(0, 1024));
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (std::string_view w : kWords) {
    for (std::size_t pos = lower.find(w); pos != std::string::npos; pos = lower.find(w, pos + 1)) {
      // A word start: "errors" and "failed" count, "terror" does not.
      if (pos == 0 || !std::isalpha(static_cast<unsigned char>(lower[pos - 1]))) return true;
    }
  }
  return false;
}

std::vector<EvidenceLine> TailEvidence(std::string_view log, int total_lines, std::size_t max_lines) {
  constexpr std::size_t kTailBytes = 1 << 20;
  std::size_t start = log.size() > kTailBytes ? log.size() - kTailBytes : 0;
  // Walk lines backwards from the end: the last line is number total_lines.
  std::vector<EvidenceLine> errorish, nonblank;
  std::size_t end = log.size();
  if (end > 0 && log[end - 1] == '\n') --end;
  int line = total_lines;
  while (line > 0 && end >= start && (errorish.size() < max_lines)) {
    std::size_t nl = end == 0 ? std::string_view::npos : log.rfind('\n', end - 1);
    std::size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
    if (begin < start) break;
    std::string_view text = LineText(log, begin, end);
    if (!Blank(text)) {
      if (nonblank.size() < max_lines) nonblank.push_back({line, DisplayText(text)});
      if (LooksLikeError(text)) errorish.push_back({line, DisplayText(text)});
    }
    if (begin == 0) break;
    end = begin - 1;
    --line;
  }
  // The error-looking lines, topped up with the last lines of the log (what
  // a reader looks at first), in log order.
  std::vector<EvidenceLine> pick = errorish;
  for (const EvidenceLine& e : nonblank) {
    if (pick.size() >= max_lines) break;
    bool dup = std::any_of(pick.begin(), pick.end(), [&](const EvidenceLine& p) { return p.line == e.line; });
    if (!dup) pick.push_back(e);
  }
  std::sort(pick.begin(), pick.end(), [](const EvidenceLine& a, const EvidenceLine& b) { return a.line < b.line; });
  return pick;
}

}  // namespace sentinel::triage
