#include "core/triage/template_miner.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <iterator>
#include <utility>

#include "core/triage/fingerprint.h"
#include "core/triage/normalize.h"

namespace sentinel::triage {
namespace {

using sv = std::string_view;

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(sv s) const noexcept { return XXH3_64bits(s.data(), s.size()); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, TransparentHash, std::equal_to<>>;

inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigitChar(char c) { return c >= '0' && c <= '9'; }

// Byte classes of template tokens, OR-ed over a token in one scan
// (Impl::Tokenize) so the per-token tests below skip what cannot apply.
enum TokChar : std::uint8_t {
  kTcDigit = 1,
  kTcLetter = 2,   // ASCII letter
  kTcHigh = 4,     // byte >= 0x80
  kTcLess = 8,     // '<'
  kTcEquals = 16,  // '='
  kTcSpace = 32,   // ' ' (the token separator)
};
constexpr std::array<std::uint8_t, 256> MakeTokTable() {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] |= kTcDigit;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kTcLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kTcLetter;
  for (int c = 0x80; c < 256; ++c) t[c] |= kTcHigh;
  t['<'] |= kTcLess;
  t['='] |= kTcEquals;
  t[' '] |= kTcSpace;
  return t;
}
constexpr std::array<std::uint8_t, 256> kTokTable = MakeTokTable();

// The word inside a token: "(failed)," -> "failed".
sv WordCore(sv t) {
  std::size_t b = 0, e = t.size();
  while (b < e && !IsLetter(t[b]) && !IsDigitChar(t[b]) && t[b] != '<') ++b;
  while (e > b && !IsLetter(t[e - 1]) && !IsDigitChar(t[e - 1]) && t[e - 1] != '>') --e;
  return t.substr(b, e - b);
}


// A fixed set of short lowercase words with a membership test that costs one
// hash and usually one compare: open addressing over 256 slots (load < 1/2).
class WordTable {
 public:
  template <std::size_t N>
  explicit WordTable(const sv (&words)[N]) {
    static_assert(N < kSlots / 2, "keep the table at most half full");
    for (sv w : words) {
      std::size_t i = Hash(w);
      while (!slots_[i].empty()) {
        if (slots_[i] == w) break;
        i = (i + 1) & (kSlots - 1);
      }
      slots_[i] = w;
    }
  }
  bool Contains(sv w) const {
    for (std::size_t i = Hash(w);; i = (i + 1) & (kSlots - 1)) {
      const sv& s = slots_[i];
      if (s.empty()) return false;
      if (s.size() == w.size() && s == w) return true;
    }
  }

 private:
  static constexpr std::size_t kSlots = 256;
  static std::size_t Hash(sv w) {
    std::uint32_t h = static_cast<std::uint32_t>(w.size()) * 0x9E3779B1u;
    h ^= static_cast<unsigned char>(w[0]) * 0x85EBCA77u;
    h ^= static_cast<unsigned char>(w[w.size() - 1]) * 0xC2B2AE3Du;
    h ^= static_cast<unsigned char>(w[w.size() / 2]) * 0x27D4EB2Fu;
    h ^= h >> 15;
    return h & (kSlots - 1);
  }
  sv slots_[kSlots];
};

// A word of letters, lowercase after the first: "boot", "Instance" (not
// "bootGenvm", "RAS", "node-D", "foo.txt": identifiers, acronyms, names with
// punctuation).
bool IsPlainWord(sv w) {
  if (w.size() < 2 || !IsLetter(w[0])) return false;
  for (std::size_t i = 1; i < w.size(); ++i)
    if (!(w[i] >= 'a' && w[i] <= 'z')) return false;
  return true;
}

// A token in quotes or brackets: "'count'", "(jenkins)", "[main]," or one
// that opens a square bracket ("[main 1a2b3c]") — a value shown as one,
// whatever its letters.
bool IsEnclosed(sv t) {
  while (t.size() > 2 && (t.back() == ',' || t.back() == '.' || t.back() == ';' || t.back() == ':')) t.remove_suffix(1);
  if (t.size() < 3) return false;
  char open = t.front(), close = t.back();
  if (open == '[') return true;  // "[main", "[worker-3]": a bracketed field, opened or whole
  return (open == '\'' && close == '\'') || (open == '"' && close == '"') || (open == '(' && close == ')') ||
         (open == '{' && close == '}') || (open == '`' && close == '\'');
}

// Tokens that carry the meaning of a line and therefore never become "<*>":
// status words, log levels, verb forms, errno and signal names.
// `bits`: the TokChar classes of the token's bytes. A token without letters
// or digits has no protected core (every test below needs one or the other).
bool IsProtected(sv token, std::uint8_t bits) {
  if (!(bits & (kTcDigit | kTcLetter))) return false;
  sv w = WordCore(token);
  if (w.empty()) return false;
  static constexpr sv kWords[] = {
      "started", "starting", "stopped", "stopping", "paused", "resumed", "passed", "failed", "failure", "fail",
      "succeeded", "success", "successful", "successfully", "error", "errors", "warning", "warn", "ok", "skipped",
      "opened", "closed", "closing", "accepted", "rejected", "denied", "refused", "connected", "disconnected",
      "enabled", "disabled", "up", "down", "timeout", "killed", "exited", "aborted", "cancelled",
      "canceled", "completed", "finished", "running", "pending", "allowed", "blocked", "invalid", "info",
      "debug", "trace", "fatal", "critical", "notice", "severe", "err", "crit", "alert", "emerg", "xfail", "xpass",
      "not", "no", "cannot", "unable", "could", "new", "removed", "added", "deleted", "created", "updated",
      // State transitions and their opposites.
      "entering", "leaving", "enter", "leave", "begin", "end", "acquire", "acquired", "release", "released",
      "sent", "received", "send", "receive", "load", "loaded", "unload", "unloaded", "mount", "mounted",
      "unmount", "unmounted", "attach", "attached", "detach", "detached", "lock", "locked", "unlock",
      "unlocked", "on", "off", "open", "close", "start", "stop", "connect", "disconnect", "grant", "granted",
      // HTTP methods.
      "get", "post", "put", "delete", "patch", "head", "options"};
  // Every listed word is 2..13 ASCII letters: a word with anything else is
  // not looked up. The lookup is an open-addressing table (built once) on the
  // lowercased word.
  if ((bits & kTcLetter) && w.size() >= 2 && w.size() <= 13) {
    char buf[16];
    bool letters = true;
    for (std::size_t i = 0; i < w.size() && letters; ++i) {
      char c = w[i];
      letters = IsLetter(c);
      buf[i] = Lower(c);
    }
    if (letters) {
      static const WordTable table(kWords);
      sv lw(buf, w.size());
      if (table.Contains(lw)) return true;
      // Verb forms: past participles and gerunds ("spawned", "destroyed",
      // "rebooting") say what happened, so lines where they differ are two
      // events. Plain words of 6+ letters only: user and host names rarely
      // take that shape.
      if (lw.size() >= 6 && IsPlainWord(w) && (lw.ends_with("ed") || lw.ends_with("ing"))) return true;
    }
  }
  // Numbers the normalizer kept (exit and HTTP status codes, source lines)
  // are parameters of a statement like any other number: "exited with code
  // 1" and "exited with code 137" are one event (two templates of
  // NormalizeLine, which triage keeps apart).
  if (!(bits & kTcLetter)) return false;
  // errno names and signals: ENOSPC, ECONNREFUSED, SIGKILL.
  if (w.size() >= 4 && w[0] == 'E') {
    bool upper = true;
    for (char c : w)
      if (!(c >= 'A' && c <= 'Z')) upper = false;
    if (upper) return true;
  }
  if (w.size() >= 5 && w.substr(0, 3) == "SIG") return true;
  return false;
}

// A mask token of the normalizer: "<" + uppercase letters + ">" somewhere
// inside (literal "<module>" or "<anonymous>" are words).
bool HasMask(sv t) {
  for (std::size_t i = 0; i + 2 < t.size(); ++i) {
    if (t[i] != '<') continue;
    std::size_t j = i + 1;
    while (j < t.size() && ((t[j] >= 'A' && t[j] <= 'Z') || t[j] == '*')) ++j;
    if (j > i + 1 && j < t.size() && t[j] == '>') return true;
  }
  return false;
}

// "program[pid]:", "dfs.FSDataset:" or "key:" labels: a word that ends with
// ':' (optionally after "[<NUM>]"), with no other ':', no '/', no mask, and
// not a source file name ("buffer.c:" is a location, not a label).
bool IsSourceFileName(sv t);
bool IsLabel(sv t) {
  if (t.size() < 2 || t.back() != ':') return false;
  t.remove_suffix(1);
  if (t.size() > 7 && t.substr(t.size() - 7) == "[<NUM>]") t.remove_suffix(7);
  if (t.empty()) return false;
  bool letter = false;
  for (char c : t) {
    if (IsLetter(c)) letter = true;
    else if (!(IsDigitChar(c) || c == '_' || c == '-' || c == '(' || c == ')' || c == '.' || c == '$')) return false;
  }
  return letter && !IsSourceFileName(t);
}

bool IsSourceFileName(sv t) {
  std::size_t dot = t.rfind('.');
  if (dot == sv::npos) return false;
  sv ext = t.substr(dot + 1);
  static constexpr sv kExts[] = {"c", "cc", "cpp", "cxx", "h", "hh", "hpp", "py", "js", "ts", "rs", "go", "java",
                                 "rb", "cs", "sh", "cmake", "txt", "json", "yml", "yaml", "toml", "xml", "log"};
  for (sv e : kExts)
    if (ext == e) return true;
  return false;
}

// A label that names a thing rather than a field: a dotted qualified name
// ("com.apple.icloud.fmfd.heartbeat:", "org.example.Job:") without a process
// id. Two such labels differing are a variable (a job, a class, a host), not
// two kinds of line, so they do not veto a match.
bool IsQualifiedName(sv t) {
  if (t.size() > 7 && t.substr(t.size() - 8, 7) == "[<NUM>]") return false;
  std::size_t dots = 0;
  for (char c : t) dots += c == '.';
  return dots >= 2;
}

// Units a number is written with: "1.16 KB", "160 ms", "<1 sec". A number and
// its unit are one value; the unit may vary with the number's size.
bool IsUnit(sv t) {
  while (!t.empty() && (t.back() == ',' || t.back() == ')' || t.back() == ';' || t.back() == '.')) t.remove_suffix(1);
  if (t.empty() || t.size() > 7) return false;
  static constexpr sv kUnits[] = {"B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "kB", "k",
                                  "bytes", "byte", "ns", "us", "ms", "s", "sec", "secs", "second", "seconds",
                                  "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "%"};
  for (sv u : kUnits)
    if (t == u) return true;
  return false;
}

// A token that is a number or a mask of one, with at most an opening
// parenthesis or comparison sign before it: "<NUM>", "(<NUM>", "<<NUM>", "1.16".
bool IsNumberLike(sv t) {
  while (!t.empty() && (t.front() == '(' || t.front() == '~' || (t.front() == '<' && t.size() > 1 && t[1] == '<') ||
                        (t.front() == '<' && t.size() > 1 && IsDigitChar(t[1]))))
    t.remove_prefix(1);
  if (t == "<NUM>" || t == "<HEX>" || t == "<*>") return true;
  if (t.empty()) return false;
  for (char c : t)
    if (!(IsDigitChar(c) || c == '.')) return false;
  return true;
}

// Punctuation-only tokens ("--", "|", "-") are layout, not evidence; tokens
// with a mask or a digit are variable (their equality says little); the rest
// are words (TokenInfo classifies).
enum class TokenKind { kWord, kVariable, kPunct };

// "key=value" tokens with different keys, and different labels ("used:" vs
// "free:", "crond[<NUM>]:" vs "sshd[<NUM>]:"), describe different things.
bool KeysDiffer(sv a, sv b) {
  std::size_t ea = a.find('='), eb = b.find('=');
  if (ea != sv::npos || eb != sv::npos) {
    if (ea == sv::npos || eb == sv::npos) return true;
    return a.substr(0, ea) != b.substr(0, eb);
  }
  return IsLabel(a) && IsLabel(b);
}

bool IsVariableToken(sv t) {
  for (char c : t)
    if (c == '<' || IsDigitChar(c)) return true;
  return false;
}

// Per-token facts the similarity needs, computed once per token.
enum TokenBits : std::uint8_t {
  kKindWord = 0,
  kKindVariable = 1,
  kKindPunct = 2,
  kKindMask = 3,
  kProtected = 4,
  kLabel = 8,
  kHasEquals = 16,
  kWildcardBit = 32,
  kPlain = 64,     // a word token, not enclosed, whose WordCore IsPlainWord (4+ letters)
  kLetters = 128,  // a word token, not enclosed, whose WordCore is ASCII letters only
};

// "file" / "files", "insertion(+)" / "insertions(+)": one word in the
// singular and the plural.
bool PluralPair(sv a, sv b) {
  a = WordCore(a);
  b = WordCore(b);
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() == a.size() + 1) return b.back() == 's' && b.substr(0, a.size()) == a;
  if (b.size() == a.size() + 2) return b.ends_with("es") && b.substr(0, a.size()) == a;
  return false;
}

// A log level as a header writes it: "INFO", "WARN", "E" (Android's "D",
// "I", "V").
bool IsLevelWord(sv t) {
  if (t.empty() || t.size() > 8 || !(t[0] >= 'A' && t[0] <= 'Z')) return false;
  if (t.size() == 1) return true;
  if (!(t[1] >= 'A' && t[1] <= 'Z')) return false;
  static constexpr sv kLevels[] = {"INFO", "WARN", "WARNING", "ERROR", "DEBUG", "TRACE", "FATAL", "NOTICE",
                                   "SEVERE", "CRITICAL", "ERR", "CRIT", "ALERT", "EMERG"};
  for (sv l : kLevels)
    if (t == l) return true;
  return false;
}

// Kind / IsProtected / IsLabel / '=' of a token from the classes of its
// bytes (`bits`, one scan in Impl::Tokenize).
std::uint8_t TokenInfo(sv t, std::uint8_t bits) {
  if (t == kWildcard) return kWildcardBit;
  TokenKind kind = (bits & kTcDigit)                        ? TokenKind::kVariable
                   : !(bits & (kTcLetter | kTcHigh))        ? TokenKind::kPunct
                   : (bits & kTcLess) && HasMask(t)         ? TokenKind::kVariable
                                                            : TokenKind::kWord;
  std::uint8_t info = static_cast<std::uint8_t>(kind);
  if (IsProtected(t, bits)) info |= kProtected;
  if (IsLabel(t)) info |= kLabel;
  if (bits & kTcEquals) info |= kHasEquals;
  if (kind == TokenKind::kWord && !(bits & kTcHigh)) {
    sv w = WordCore(t);
    if (!w.empty() && !IsEnclosed(t) && std::all_of(w.begin(), w.end(), IsLetter)) {
      info |= kLetters;
      if (w.size() >= 4 && IsPlainWord(w)) info |= kPlain;
    }
  }
  return info;
}

// Exact-template cache: 64-bit XXH3 of a template -> cluster index, in an
// open-addressing table (linear probing, power-of-two capacity, load <= 1/2).
// Keyed by the hash alone, like the fingerprints themselves: two templates
// would have to collide in 64 bits to be confused.
class TemplateCache {
 public:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;

  std::uint32_t Find(std::uint64_t h) const {
    if (slots_.empty()) return kEmpty;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kEmpty) return kEmpty;
      if (s.key == h) return s.value;
    }
  }

  void Insert(std::uint64_t h, std::uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value == kEmpty) {
        s = Slot{h, value};
        ++size_;
        return;
      }
      if (s.key == h) return;
    }
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = kEmpty;
  };

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& s : old)
      if (s.value != kEmpty) Insert(s.key, s.value);
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// XXH3 of `line` with every ASCII digit replaced by '0' (its "shape"), eight
// bytes at a time through `buf`. Lines with the same shape differ only in
// digit values.
std::uint64_t ShapeHash(sv line, std::string* buf) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::size_t n = line.size();
  buf->resize((n + 7) & ~std::size_t{7});
  char* out = buf->data();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, line.data() + i, 8);
    // Per byte b < 0x80 (no borrow crosses bytes): high bit of
    // (b | 0x80) - 0x30 is set iff b >= '0'; of 0xB9 - b iff b <= '9'.
    std::uint64_t low = x & ~kHigh;
    std::uint64_t ge = ((low | kHigh) - kOnes * 0x30) & kHigh;
    std::uint64_t le = (kOnes * 0xB9 - low) & kHigh;
    std::uint64_t digit = ge & le & ~x & kHigh;       // high bit per digit byte
    std::uint64_t byte_mask = (digit >> 7) * 0xFF;    // 0xFF per digit byte
    x = (x & ~byte_mask) | (byte_mask & (kOnes * '0'));
    std::memcpy(out + i, &x, 8);
  }
  for (; i < n; ++i) {
    char c = line[i];
    out[i] = IsDigitChar(c) ? '0' : c;
  }
  return XXH3_64bits(out, n);
}

}  // namespace

struct TemplateMiner::Cluster {
  std::vector<std::string> tokens;
  std::vector<std::uint8_t> info;  // TokenInfo of each token
  std::string text;
  std::uint64_t fingerprint = 0;         // of the founding template
  std::uint64_t report_fingerprint = 0;  // what lines of this cluster print
  bool dirty = true;                     // text changed since last report
};

struct TemplateMiner::Impl {
  MinerOptions options;
  std::vector<Cluster> clusters;
  TemplateCache cache;                           // pure template hash -> cluster
  // Digit-zeroed raw line shape -> what its lines normalize to, for shapes
  // whose template is a function of the shape and the copied digits
  // (ShapeTrace, normalize.h): a line of a known shape skips normalization.
  // A shape whose template holds no digit maps straight to the cluster
  // `cache` holds for that template (slot value kBlindTag | cluster), so a hit
  // gives the cluster the normal path would. Otherwise the slot holds an index
  // in `shape_entries`, whose template, copies, tokens and group key sit
  // together in `shape_arena`; the template is rebuilt with the line's digits
  // and placed like a template from the normalizer. At most max_cache shapes
  // and kMaxShapeBytes of arena.
  static constexpr std::uint32_t kBlindTag = 0x80000000u;  // clusters stay below max_clusters <= 2^31
  struct ShapeEntry {
    std::uint32_t line_size;  // guards a 64-bit shape-hash collision (copies index the line)
    std::uint32_t at;         // in shape_arena: text, copies, token spans, token info, key
    std::uint32_t text_size;
    std::uint32_t n_copies;
    std::uint32_t n_tokens;
    std::uint32_t key_size;
  };
  static constexpr std::size_t kMaxShapeBytes = std::size_t{64} << 20;
  TemplateCache shapes;
  std::vector<ShapeEntry> shape_entries;
  std::string shape_arena;
  std::string shape_buf;
  ShapeTrace trace;
  std::uint32_t last_cached = TemplateCache::kEmpty;  // cache entry of the last AddTemplate
  bool last_cached_hit = false;  // the last AddTemplate found its template in `cache` (no Tokenize)
  StringMap<std::vector<std::uint32_t>> leaves;  // group key -> clusters
  StringMap<std::uint64_t> printed;              // reported template -> fingerprint
  std::string norm;
  std::string key;
  std::string spill;  // template of a line not remembered (over max_clusters)
  std::vector<sv> toks;
  std::vector<std::uint8_t> tok_info;
  std::size_t header_end = 0;  // toks[0, header_end) are the line's header (FindHeader)

  // A line's header: the leading tokens that are values (time, ids, host
  // masks), punctuation, log levels and labels ("<TS> <NUM> D StatusBar:",
  // "<TS> INFO dfs.DataNode:"), up to and including the last label; none
  // when no label ends it.
  void FindHeader() {
    header_end = 0;
    for (std::size_t i = 0; i < toks.size() && i < 12; ++i) {
      std::uint8_t k = tok_info[i];
      if (k & kLabel) {
        header_end = i + 1;
        continue;
      }
      if ((k & 3) == kKindVariable || (k & 3) == kKindPunct || (k & kWildcardBit) || IsLevelWord(toks[i])) continue;
      break;
    }
  }

  MinedLine Report(std::uint32_t idx) {
    Cluster& c = clusters[idx];
    if (c.dirty) {
      auto it = printed.find(sv(c.text));
      if (it == printed.end()) {
        printed.emplace(c.text, c.fingerprint);
        c.report_fingerprint = c.fingerprint;
      } else {
        c.report_fingerprint = it->second;
      }
      c.dirty = false;
    }
    return MinedLine{c.report_fingerprint, c.text};
  }

  void Tokenize(sv t) {
    toks.clear();
    tok_info.clear();
    const char* p = t.data();
    const std::size_t n = t.size();
    std::size_t i = 0;
    while (i < n) {
      if (p[i] == ' ') {
        ++i;
        continue;
      }
      const std::size_t b = i;
      std::uint8_t bits = 0;
      for (; i < n; ++i) {
        std::uint8_t k = kTokTable[static_cast<unsigned char>(p[i])];
        if (k & kTcSpace) break;
        bits |= k;
      }
      toks.emplace_back(p + b, i - b);
      tok_info.push_back(TokenInfo(toks.back(), bits));
    }
    JoinQuotedValues();
    JoinUnits();
  }

  // A quoted value with spaces is one value: key="two words", becomes one
  // token (a variable under its key), so it lines up with key="one",.
  void JoinQuotedValues() {
    std::size_t w = 0;
    for (std::size_t r = 0; r < toks.size(); ++r) {
      sv t = toks[r];
      toks[w] = t;
      tok_info[w] = tok_info[r];
      std::size_t q = (tok_info[r] & kHasEquals) ? t.find("=\"") : sv::npos;
      if (q != sv::npos && t.find('"', q + 2) == sv::npos) {
        std::size_t e = r + 1;  // the token that closes the quote, within 8
        while (e < toks.size() && e - r <= 8 && toks[e].find('"') == sv::npos) ++e;
        if (e < toks.size() && e - r <= 8) {
          toks[w] = sv(t.data(), static_cast<std::size_t>(toks[e].data() + toks[e].size() - t.data()));
          tok_info[w] = kKindVariable | kHasEquals;
          r = e;
        }
      }
      ++w;
    }
    toks.resize(w);
    tok_info.resize(w);
  }

  // A number and its unit are one value: "(<NUM> KB)" after a count of bytes
  // restates it and is dropped ("<NUM> bytes (<NUM> KB) sent" reads as
  // "<NUM> bytes sent"); "<NUM> KB," and "<<NUM> sec" become one variable
  // token, so "5.2 KB" and "93.0 B" or "<1 sec" and "00:01" line up.
  void JoinUnits() {
    std::size_t w = 0;
    bool prev_value = false;  // the last token kept is a number with its unit
    for (std::size_t r = 0; r < toks.size(); ++r) {
      sv t = toks[r];
      if (r + 1 < toks.size() && IsNumberLike(t) && IsUnit(toks[r + 1])) {
        sv u = toks[r + 1];
        ++r;
        if (t.front() == '(' && u.back() == ')' && prev_value) continue;  // restates the value before it
        toks[w] = sv(t.data(), static_cast<std::size_t>(u.data() + u.size() - t.data()));
        tok_info[w] = kKindVariable;
        ++w;
        prev_value = true;
        continue;
      }
      toks[w] = t;
      tok_info[w] = tok_info[r];
      ++w;
      prev_value = false;
    }
    toks.resize(w);
    tok_info.resize(w);
    JoinLists();
  }

  // A list of values is one value whatever its length: "<IP>, <IP>" or
  // "[<NUM>\ <NUM>]" (a variable token ending with a comma or a backslash
  // followed by another variable token) becomes one variable token, so lines
  // listing two or three nodes line up with lines naming one.
  void JoinLists() {
    std::size_t w = 0;
    for (std::size_t r = 0; r < toks.size(); ++r) {
      if (w > 0 && (tok_info[w - 1] & 3) == kKindVariable && (tok_info[r] & 3) == kKindVariable &&
          !((tok_info[w - 1] | tok_info[r]) & kHasEquals)) {  // key=value fields are not list items
        sv prev = toks[w - 1];
        if (prev.back() == ',' || prev.back() == '\\') {
          toks[w - 1] = sv(prev.data(), static_cast<std::size_t>(toks[r].data() + toks[r].size() - prev.data()));
          continue;
        }
      }
      toks[w] = toks[r];
      tok_info[w] = tok_info[r];
      ++w;
    }
    toks.resize(w);
    tok_info.resize(w);
  }

  void BuildKey() {
    key.clear();
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, toks.size());
    (void)ec;  // 24 bytes always hold a size_t
    key.append(digits, static_cast<std::size_t>(end - digits));
    int n = 0;
    for (std::size_t i = 0; i < toks.size() && n < options.key_tokens; ++i, ++n) {
      key.push_back('\x1f');
      if (IsVariableToken(toks[i])) key.append(kWildcard);
      else key.append(toks[i]);
    }
  }

  // Share of the cluster's word tokens (tokens that are not masks) equal to
  // the line's, or -1 when a meaning-carrying token differs. Equal masks say
  // little about two lines being one event, so they count on neither side.
  double Similarity(const Cluster& c) const {
    int same = 0, same_header = 0, words = 0;
    for (std::size_t i = 0; i < toks.size(); ++i) {
      std::uint8_t ci = c.info[i];
      if (ci & kWildcardBit) continue;
      std::uint8_t li = tok_info[i];
      TokenKind kc = static_cast<TokenKind>(ci & 3), kl = static_cast<TokenKind>(li & 3);
      const std::string& ct = c.tokens[i];
      if (ct.size() == toks[i].size() && ct == toks[i]) {
        if (kc == TokenKind::kWord) {
          if (i < header_end) ++same_header;
          else ++same;
          ++words;
        }
        continue;
      }
      if ((ci | li) & kProtected) return -1;
      if ((ci | li) & kHasEquals) {
        if (KeysDiffer(ct, toks[i])) return -1;
        // The same key with another value: the key is an equal word, the
        // value a variable ("tag=\"AudioOut\"," / "tag=\"View Lock\",").
        ++same;
        ++words;
        continue;
      }
      if ((ci & li & kLabel) && !(IsQualifiedName(ct) && IsQualifiedName(toks[i]))) return -1;
      if ((kc == TokenKind::kPunct && kl == TokenKind::kVariable) ||
          (kc == TokenKind::kVariable && kl == TokenKind::kPunct))
        return -1;
      // Two variable tokens (masks, digits) differing say nothing; a word
      // differing from anything counts against the match. Two plain words
      // differing ("startup" / "shutdown") are more often two statements
      // than one variable (variables tend to be identifiers: "node-7",
      // "foo.txt", "FooBar"), and so is a message's first word (the
      // statement's verb or subject: "boot (command 12)" / "halt (command
      // 12)", also after a component label: "Bar: cancelHide"), so they
      // count three times: a short line does not merge on one such
      // difference, a long one still does (a user name in "session opened
      // for user root by uid 0").
      if (kc == TokenKind::kWord || kl == TokenKind::kWord) {
        ++words;
        if (((ci & li & kLetters) && (i == 0 || AfterComponent(c, i))) ||
            ((ci & li & kPlain) && !PluralPair(ct, toks[i])))
          words += 2;
      }
    }
    // Equal header words (labels, levels) are no evidence that two messages
    // are one statement (a differing label still keeps them apart), unless
    // the messages share no word at all ("KeyError: 'a'" / "KeyError: 'b'").
    if (same > 0) words -= same_header;
    else same = same_header;
    if (words == 0) return 1.0;
    return static_cast<double>(same) / static_cast<double>(words);
  }

  // Whether token i starts the message after a component label both lines
  // share ("PhoneStatusBar:", "dfs.DataNode:", "sshd[<NUM>]:", not an English
  // word like "script:"), as a header-free line's first word does.
  bool AfterComponent(const Cluster& c, std::size_t i) const {
    if (!(c.info[i - 1] & kLabel) || c.tokens[i - 1] != toks[i - 1]) return false;
    sv w = WordCore(toks[i - 1]);
    return !IsPlainWord(w);
  }

  bool Joins(double sim) const { return sim > options.similarity || sim >= 1.0; }

  MinedLine AddTemplate(sv t) {
    const std::uint64_t h = XXH3_64bits(t.data(), t.size());
    std::uint32_t hit = cache.Find(h);
    last_cached = hit;
    last_cached_hit = hit != TemplateCache::kEmpty;
    if (last_cached_hit) return Report(hit);
    Tokenize(t);
    BuildKey();
    return Place(t, h);
  }

  // A template not in `cache` (hash h), with toks / tok_info / key set: joins
  // the most similar cluster of its group or founds one.
  MinedLine Place(sv t, std::uint64_t h) {
    auto leaf = leaves.find(sv(key));
    int best = -1;
    double best_sim = -1;
    if (leaf != leaves.end()) {
      FindHeader();
      for (std::uint32_t idx : leaf->second) {
        double s = Similarity(clusters[idx]);
        if (s > best_sim) {
          best_sim = s;
          best = static_cast<int>(idx);
        }
      }
    }
    std::uint32_t idx;
    if (best >= 0 && Joins(best_sim)) {
      idx = static_cast<std::uint32_t>(best);
      Cluster& c = clusters[idx];
      bool changed = false;
      for (std::size_t i = 0; i < toks.size(); ++i) {
        if (c.tokens[i] != kWildcard && c.tokens[i] != toks[i]) {
          c.tokens[i] = std::string(kWildcard);
          c.info[i] = kWildcardBit;
          changed = true;
        }
      }
      if (changed) {
        c.text.clear();
        for (std::size_t i = 0; i < c.tokens.size(); ++i) {
          if (i) c.text.push_back(' ');
          c.text.append(c.tokens[i]);
        }
        c.dirty = true;
      }
    } else {
      if (clusters.size() >= options.max_clusters ||
          (leaf != leaves.end() && leaf->second.size() >= options.max_leaf)) {
        spill.assign(t);
        return MinedLine{Fingerprint64(t), spill};
      }
      idx = static_cast<std::uint32_t>(clusters.size());
      Cluster c;
      c.tokens.reserve(toks.size());
      for (sv s : toks) c.tokens.emplace_back(s);
      c.info = tok_info;
      c.text.assign(t);
      c.fingerprint = Fingerprint64(t);
      clusters.push_back(std::move(c));
      if (leaf == leaves.end()) leaf = leaves.emplace(key, std::vector<std::uint32_t>{}).first;
      leaf->second.push_back(idx);
    }
    if (cache.size() < options.max_cache) {
      cache.Insert(h, idx);
      last_cached = idx;
    }
    return Report(idx);
  }
};

TemplateMiner::TemplateMiner(MinerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
TemplateMiner::~TemplateMiner() = default;

MinedLine TemplateMiner::Add(std::string_view line) {
  Impl& m = *impl_;
  const std::uint64_t shape = ShapeHash(line, &m.shape_buf);
  const std::uint32_t hit = m.shapes.Find(shape);
  if (hit != TemplateCache::kEmpty) {
    if (hit & Impl::kBlindTag) return m.Report(hit & ~Impl::kBlindTag);
    const Impl::ShapeEntry& e = m.shape_entries[hit];
    if (e.line_size == line.size()) {
      const char* p = m.shape_arena.data() + e.at;
      m.norm.assign(p, e.text_size);
      p += e.text_size;
      for (std::uint32_t k = 0; k < e.n_copies; ++k, p += sizeof(DigitCopy)) {
        DigitCopy c;
        std::memcpy(&c, p, sizeof c);
        std::memcpy(m.norm.data() + c.out, line.data() + c.in, c.len);
      }
      // AddTemplate without tokenizing: the tokens come from the entry.
      const std::uint64_t h = XXH3_64bits(m.norm.data(), m.norm.size());
      std::uint32_t cached = m.cache.Find(h);
      m.last_cached = cached;
      if (cached != TemplateCache::kEmpty) return m.Report(cached);
      m.toks.clear();
      for (std::uint32_t k = 0; k < e.n_tokens; ++k, p += 8) {
        std::uint32_t span[2];
        std::memcpy(span, p, 8);
        m.toks.emplace_back(m.norm.data() + span[0], span[1]);
      }
      m.tok_info.assign(p, p + e.n_tokens);
      p += e.n_tokens;
      m.key.assign(p, e.key_size);
      return m.Place(m.norm, h);
    }
  }
  NormalizeLineInto(line, &m.norm, &m.trace);
  MinedLine r = m.AddTemplate(m.norm);
  if (!m.trace.reusable || hit != TemplateCache::kEmpty || m.shapes.size() >= m.options.max_cache) return r;
  if (m.trace.copies.empty()) {
    if (m.last_cached != TemplateCache::kEmpty && m.last_cached < Impl::kBlindTag - 1)
      m.shapes.Insert(shape, Impl::kBlindTag | m.last_cached);
    return r;
  }
  if (m.last_cached_hit) {  // AddTemplate did not tokenize this template
    m.Tokenize(m.norm);
    m.BuildKey();
  }
  const std::size_t bytes =
      m.norm.size() + m.trace.copies.size() * sizeof(DigitCopy) + m.toks.size() * 9 + m.key.size();
  if (m.shape_arena.size() + bytes > Impl::kMaxShapeBytes || line.size() > 0xFFFFFFFFu) return r;
  Impl::ShapeEntry e;
  e.line_size = static_cast<std::uint32_t>(line.size());
  e.at = static_cast<std::uint32_t>(m.shape_arena.size());
  e.text_size = static_cast<std::uint32_t>(m.norm.size());
  e.n_copies = static_cast<std::uint32_t>(m.trace.copies.size());
  e.n_tokens = static_cast<std::uint32_t>(m.toks.size());
  e.key_size = static_cast<std::uint32_t>(m.key.size());
  std::string& a = m.shape_arena;
  a.append(m.norm);
  a.append(reinterpret_cast<const char*>(m.trace.copies.data()), m.trace.copies.size() * sizeof(DigitCopy));
  for (sv tok : m.toks) {
    const std::uint32_t span[2] = {static_cast<std::uint32_t>(tok.data() - m.norm.data()),
                                   static_cast<std::uint32_t>(tok.size())};
    a.append(reinterpret_cast<const char*>(span), 8);
  }
  a.append(reinterpret_cast<const char*>(m.tok_info.data()), m.tok_info.size());
  a.append(m.key);
  m.shapes.Insert(shape, static_cast<std::uint32_t>(m.shape_entries.size()));
  m.shape_entries.push_back(e);
  return r;
}

MinedLine TemplateMiner::AddTemplate(std::string_view normalized) {
  // Copy first: `normalized` may alias impl_->norm.
  if (normalized.data() != impl_->norm.data()) impl_->norm.assign(normalized);
  return impl_->AddTemplate(impl_->norm);
}

std::size_t TemplateMiner::cluster_count() const { return impl_->clusters.size(); }

}  // namespace sentinel::triage
