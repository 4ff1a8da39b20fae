// `sentinel fingerprint`: reads log lines on stdin, writes one JSON object per
// line with the template and its fingerprint.
#include "cli/cmd_fingerprint.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <iostream>

#include "cli/commands.h"
#include "core/triage/fingerprint.h"
#include "core/triage/normalize.h"

namespace sentinel::cli {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if invalid.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;  // overlong
  if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogates
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;  // overlong
  if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // > U+10FFFF
  return n;
}

// True when one of the 8 bytes in `x` needs escaping or a UTF-8 check: a
// control byte (< 0x20), '"', '\\' or a byte >= 0x80. Exact for existence
// (the classic "has zero byte" / "has byte less than n" word tricks).
inline bool NeedsAttention8(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  if (x & kHigh) return true;
  if (((x - kOnes * 0x20) & ~x & kHigh) != 0) return true;  // some byte < 0x20
  return has_zero(x ^ (kOnes * '"')) || has_zero(x ^ (kOnes * '\\'));
}

// True when no byte of `s` needs escaping (printable ASCII other than '"'
// and '\\'): the template then goes out as is.
bool IsPlainJson(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    if (NeedsAttention8(x)) return false;
  }
  if (i == s.size()) return true;
  char tail[8];
  std::memset(tail, 'a', sizeof tail);  // padding that needs no escaping
  std::memcpy(tail, s.data() + i, s.size() - i);
  std::uint64_t x;
  std::memcpy(&x, tail, 8);
  return !NeedsAttention8(x);
}

}  // namespace

void AppendJsonEscaped(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t run = 0;  // start of the pending plain run
  std::size_t i = 0;
  for (;;) {
    // Fast path: skip 8 plain ASCII bytes at a time (templates are mostly so).
    while (i + 8 <= n) {
      std::uint64_t x;
      std::memcpy(&x, p + i, 8);
      if (NeedsAttention8(x)) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = static_cast<unsigned char>(p[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      std::size_t len = Utf8Length(s, i);
      if (len) {
        i += len;
        continue;
      }
    }
    out->append(p + run, i - run);
    if (c == '"') out->append("\\\"", 2);
    else if (c == '\\') out->append("\\\\", 2);
    else if (c == '\n') out->append("\\n", 2);
    else if (c == '\t') out->append("\\t", 2);
    else if (c == '\r') out->append("\\r", 2);
    else if (c < 0x20) {
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out->append(esc, 6);
    } else {
      out->append("\xEF\xBF\xBD", 3);  // U+FFFD for an invalid byte
    }
    ++i;
    run = i;
  }
  out->append(p + run, n - run);
}

void FingerprintStream::Emit(std::string_view line, std::string* out) {
  std::uint64_t fp;
  std::string_view text;
  if (pure_) {
    triage::NormalizeLineInto(line, &norm_);
    fp = triage::Fingerprint64(norm_);
    text = norm_;
  } else {
    triage::MinedLine m = miner_.Add(line);
    fp = m.fingerprint;
    text = m.template_text;
  }
  static constexpr std::string_view kHead = "{\"fingerprint\": \"";
  static constexpr std::string_view kMid = "\", \"template\": \"";
  static constexpr std::string_view kTail = "\"}\n";
  constexpr std::size_t kFixed = kHead.size() + 16 + kMid.size() + kTail.size();
  if (text.size() <= 512 - kFixed && IsPlainJson(text)) {
    // The common case: the object assembled on the stack, one append.
    char buf[512];
    char* p = buf;
    std::memcpy(p, kHead.data(), kHead.size());
    p += kHead.size();
    triage::FormatFingerprint(fp, p);
    p += 16;
    std::memcpy(p, kMid.data(), kMid.size());
    p += kMid.size();
    std::memcpy(p, text.data(), text.size());
    p += text.size();
    std::memcpy(p, kTail.data(), kTail.size());
    p += kTail.size();
    out->append(buf, static_cast<std::size_t>(p - buf));
    return;
  }
  // The fixed head of the object in one append.
  char head[kHead.size() + 16 + kMid.size()];
  std::memcpy(head, kHead.data(), kHead.size());
  triage::FormatFingerprint(fp, head + kHead.size());
  std::memcpy(head + kHead.size() + 16, kMid.data(), kMid.size());
  out->append(head, sizeof head);
  AppendJsonEscaped(text, out);
  out->append(kTail);
}

void FingerprintStream::Feed(std::string_view chunk, std::string* out) {
  while (!chunk.empty()) {
    std::size_t nl = chunk.find('\n');
    std::string_view piece = nl == std::string_view::npos ? chunk : chunk.substr(0, nl);
    if (partial_.empty() && !pending_ && nl != std::string_view::npos) {
      Emit(piece.substr(0, kMaxLine), out);  // fast path: the whole line is in the chunk
    } else {
      if (partial_.size() < kMaxLine) partial_.append(piece.substr(0, kMaxLine - partial_.size()));
      pending_ = true;
      if (nl != std::string_view::npos) {
        Emit(partial_, out);
        partial_.clear();
        pending_ = false;
      }
    }
    if (nl == std::string_view::npos) break;
    chunk.remove_prefix(nl + 1);
  }
}

void FingerprintStream::Finish(std::string* out) {
  if (pending_ || !partial_.empty()) Emit(partial_, out);
  partial_.clear();
  pending_ = false;
}

void RegisterFingerprintCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand(
      "fingerprint", "read log lines on stdin; print {\"fingerprint\", \"template\"} per line as JSON");
  auto pure = std::make_shared<bool>(false);
  sub->add_flag("--pure", *pure,
                "report each line's history-free template (no merging of varying words across lines)");
  auto options = std::make_shared<triage::MinerOptions>();
  sub->add_option("--similarity", options->similarity,
                  "share of equal tokens for a line to join a template (0..1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub->add_option("--key-tokens", options->key_tokens, "leading tokens a template is keyed on")
      ->check(CLI::Range(0, 8))
      ->capture_default_str();
  sub->callback([pure, options, exit_code] {
    FingerprintStream stream(*pure, *options);
    std::string in(1 << 16, '\0');
    std::string out;
    out.reserve(1 << 17);
    for (;;) {
      std::size_t n = std::fread(in.data(), 1, in.size(), stdin);
      if (n > 0) stream.Feed(std::string_view(in.data(), n), &out);
      if (out.size() >= (1 << 16) || n == 0) {
        if (n == 0) stream.Finish(&out);
        if (!out.empty() && std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) {
          std::cerr << "sentinel fingerprint: cannot write to stdout\n";
          *exit_code = 1;
          return;
        }
        out.clear();
      }
      if (n == 0) break;
    }
    if (std::ferror(stdin)) {
      std::cerr << "sentinel fingerprint: error reading stdin\n";
      *exit_code = 1;
    }
    std::fflush(stdout);
  });
}

}  // namespace sentinel::cli
