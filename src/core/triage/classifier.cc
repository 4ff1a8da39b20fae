#include "core/triage/classifier.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace sentinel::triage {
namespace {

std::size_t LineBegin(std::string_view log, std::size_t pos) {
  std::size_t nl = pos == 0 ? std::string_view::npos : log.rfind('\n', pos - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

// Finds up to `limit` hits of pattern p starting at byte `from`, one per line.
// The most guarded hits skipped per search (a bound on a log full of them).
constexpr int kMaxGuardedSkips = 32;

void FindHits(const Kb& kb, std::string_view log, int p, std::size_t from, std::size_t to, int limit,
              std::vector<Hit>* out, const HitGuard& guard) {
  const RE2& re = kb.pattern(p);
  re2::StringPiece m;
  int skips = 0;
  while (limit > 0 && from < to) {
    if (!re.Match(log, from, to, RE2::UNANCHORED, &m, 1)) return;
    if (guard != nullptr) {
      const std::size_t at = static_cast<std::size_t>(m.data() - log.data());
      const std::size_t b = LineBegin(log, at), e = LineEnd(log, at);
      if (guard(b, e, kb.signature(kb.pattern_signature(p)).category)) {
        if (++skips > kMaxGuardedSkips) return;
        from = e + 1;
        continue;
      }
    }
    --limit;
    Hit h;
    h.match_begin = static_cast<std::size_t>(m.data() - log.data());
    h.match_end = h.match_begin + m.size();
    h.line_begin = LineBegin(log, h.match_begin);
    h.line_end = LineEnd(log, h.match_begin);
    h.pattern = p;
    h.signature = kb.pattern_signature(p);
    out->push_back(h);
    from = h.line_end + 1;  // next line
  }
}

// Assigns 1-based line numbers to hits sorted by position, counting newlines once.
void NumberLines(std::string_view log, std::vector<Hit*>& hits) {
  std::sort(hits.begin(), hits.end(), [](const Hit* a, const Hit* b) { return a->line_begin < b->line_begin; });
  std::size_t pos = 0;
  int line = 1;
  for (Hit* h : hits) {
    line += static_cast<int>(CountNewlines(log.substr(pos, h->line_begin - pos)));
    pos = h->line_begin;
    h->line = line;
  }
}

}  // namespace

std::size_t CountNewlines(std::string_view text) {
  // Eight bytes at a time: a byte of w ^ '\n'... is zero exactly where w has a
  // newline; its zero-ness lands in the byte's high bit without carries between
  // bytes. Per-byte counts accumulate for at most 255 words, then are summed.
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  constexpr std::uint64_t kNewlines = kOnes * static_cast<unsigned char>('\n');
  const char* p = text.data();
  const char* const end = p + text.size();
  std::size_t n = 0;
  while (end - p >= 8) {
    const std::size_t words = std::min<std::size_t>(static_cast<std::size_t>(end - p) / 8, 255);
    const char* const stop = p + words * 8;
    std::uint64_t counts = 0;  // eight byte-wide counters, each <= 255
    for (; p < stop; p += 8) {
      std::uint64_t w;
      std::memcpy(&w, p, sizeof w);
      const std::uint64_t x = w ^ kNewlines;
      counts += ~(((x & kLow7) + kLow7) | x | kLow7) >> 7;
    }
    // Pairwise into four 16-bit counters (each <= 510), then their sum (<= 2040).
    counts = (counts & 0x00ff00ff00ff00ffULL) + ((counts >> 8) & 0x00ff00ff00ff00ffULL);
    n += static_cast<std::size_t>((counts * 0x0001000100010001ULL) >> 48);
  }
  for (; p < end; ++p) n += *p == '\n';
  return n;
}

std::size_t LineEnd(std::string_view log, std::size_t pos) {
  std::size_t nl = log.find('\n', pos);
  return nl == std::string_view::npos ? log.size() : nl;
}

std::string_view LineText(std::string_view log, std::size_t begin, std::size_t end) {
  std::string_view s = log.substr(begin, end - begin);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

std::optional<std::pair<std::size_t, std::size_t>> MarginLineBefore(std::string_view log, std::size_t begin,
                                                                    int max_lines) {
  std::size_t pos = begin;
  for (int n = 0; n < max_lines && pos > 0; ++n) {
    const std::size_t end = pos - 1;  // the '\n' ending the line before
    const std::size_t b = LineBegin(log, end);
    const std::string_view line = LineText(log, b, end);
    pos = b;
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank
    if (line.front() == ' ' || line.front() == '\t') continue;            // indented: the report goes on
    return std::pair{b, end};
  }
  return std::nullopt;
}

ScanResult Scan(const Kb& kb, std::string_view log, const HitGuard& guard) {
  ScanResult r;
  r.total_lines = log.empty() ? 0 : static_cast<int>(CountNewlines(log)) + (log.back() == '\n' ? 0 : 1);
  if (log.empty()) return r;

  // The Set runs over blocks of whole lines: one DFA pass in total, and each
  // block tells which patterns occur in it, so hits are searched only inside
  // the (small) blocks that have them instead of across the whole log.
  // The Set pass is most of the cost (~18 instructions a byte). A required-
  // substring prefilter (FilteredRE2 atoms, min length 3) was measured on the
  // dense peer log and does not pay: 76% of lines hold some atom (".py:" is in
  // every pytest line); with the full atom formulas 19% of lines remain, but the
  // Set over those ~30k runs of lines still costs 40-50% of the whole-log pass
  // (call overhead), and an RE2 Set of the 548 atoms scans only 1.2-1.5x faster
  // than the pattern Set. A win needs an atom scan several times faster than
  // RE2's DFA (a compact Aho-Corasick) plus a cheap per-line formula check.
  std::map<int, SignatureMatch> by_sig;
  std::vector<int> first_block_hits(static_cast<std::size_t>(kb.pattern_count()), 0);  // hits found per pattern
  std::vector<int> found;
  for (std::size_t begin = 0; begin < log.size();) {
    std::size_t end = std::min(log.size(), begin + kScanBlockBytes);
    if (end < log.size()) {
      std::size_t nl = log.find('\n', end);
      end = nl == std::string_view::npos ? log.size() : nl + 1;
    }
    std::string_view block = log.substr(begin, end - begin);
    found.clear();
    RE2::Set::ErrorInfo info{};
    bool any = kb.set().Match(block, &found, &info);
    if (!any && info.kind != RE2::Set::kNoError) {
      // The DFA ran out of memory on this block: match it line by line.
      r.used_line_fallback = true;
      std::vector<bool> seen(static_cast<std::size_t>(kb.pattern_count()), false);
      std::vector<int> line_found;
      for (std::size_t pos = 0; pos < block.size();) {
        std::size_t le = LineEnd(block, pos);
        line_found.clear();
        if (kb.set().Match(block.substr(pos, le - pos), &line_found))
          for (int p : line_found) seen[static_cast<std::size_t>(p)] = true;
        pos = le + 1;
      }
      for (int p = 0; p < kb.pattern_count(); ++p)
        if (seen[static_cast<std::size_t>(p)]) found.push_back(p);
    }
    for (int p : found) {
      int& have = first_block_hits[static_cast<std::size_t>(p)];
      if (have > 0) continue;  // the first hit of this pattern is already known
      SignatureMatch& sm = by_sig[kb.pattern_signature(p)];
      sm.signature = kb.pattern_signature(p);
      std::size_t before = sm.hits.size();
      FindHits(kb, log, p, begin, end, 1, &sm.hits, guard);
      if (sm.hits.size() > before) {
        ++sm.distinct_patterns;
        have = 1;
      }
    }
    begin = end;
  }
  if (by_sig.empty()) return r;

  // Winner: non-cascade first, then priority, then earliest first hit.
  auto earliest = [](const SignatureMatch& m) {
    std::size_t best = std::string_view::npos;
    for (const Hit& h : m.hits) best = std::min(best, h.line_begin);
    return best;
  };
  int winner_sig = -1;
  for (auto& [sig, m] : by_sig) {
    if (m.hits.empty()) continue;
    if (winner_sig < 0) {
      winner_sig = sig;
      continue;
    }
    const Signature& a = kb.signature(sig);
    const Signature& b = kb.signature(winner_sig);
    if (a.cascade != b.cascade) {
      if (!a.cascade) winner_sig = sig;
      continue;
    }
    if (a.priority != b.priority) {
      if (a.priority > b.priority) winner_sig = sig;
      continue;
    }
    if (earliest(m) < earliest(by_sig[winner_sig])) winner_sig = sig;
  }
  if (winner_sig < 0) return r;

  // More hits for the winner, after each pattern's first (bounded in count).
  SignatureMatch& w = by_sig[winner_sig];
  std::vector<Hit> more;
  for (const Hit& h : w.hits)
    FindHits(kb, log, h.pattern, h.line_end + 1, log.size(), kMaxHitsPerPattern - 1, &more, guard);
  w.hits.insert(w.hits.end(), more.begin(), more.end());

  std::vector<Hit*> all;
  for (auto& [sig, m] : by_sig)
    for (Hit& h : m.hits) all.push_back(&h);
  NumberLines(log, all);

  for (auto& [sig, m] : by_sig) {
    if (m.hits.empty()) continue;
    std::sort(m.hits.begin(), m.hits.end(), [](const Hit& a, const Hit& b) {
      return a.line_begin != b.line_begin ? a.line_begin < b.line_begin : a.pattern < b.pattern;
    });
    r.matches.push_back(std::move(m));
  }
  std::sort(r.matches.begin(), r.matches.end(),
            [](const SignatureMatch& a, const SignatureMatch& b) { return a.first().line_begin < b.first().line_begin; });
  for (std::size_t i = 0; i < r.matches.size(); ++i)
    if (r.matches[i].signature == winner_sig) r.winner = static_cast<int>(i);
  return r;
}

std::map<std::string, std::string> Captures(const Kb& kb, std::string_view log, const Hit& hit) {
  std::map<std::string, std::string> out;
  const RE2& re = kb.pattern(hit.pattern);
  int n = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(n) + 1);
  std::string_view line = log.substr(hit.line_begin, hit.line_end - hit.line_begin);
  if (!re.Match(line, 0, line.size(), RE2::UNANCHORED, groups.data(), n + 1)) return out;
  for (const auto& [name, index] : re.NamedCapturingGroups()) {
    const re2::StringPiece& g = groups[static_cast<std::size_t>(index)];
    if (g.data() == nullptr) continue;
    std::string value(g.data(), g.size());
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    if (!value.empty()) out[name] = std::move(value);
  }
  return out;
}

}  // namespace sentinel::triage
