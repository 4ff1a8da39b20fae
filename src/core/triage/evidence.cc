#include "core/triage/evidence.h"

#include "core/triage/reader.h"

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

bool CleanForMatching(std::string_view log, std::string* out) { return ReadLog(log, out); }

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
