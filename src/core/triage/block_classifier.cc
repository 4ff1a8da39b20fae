#include "core/triage/block_classifier.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/triage/normalize.h"

namespace sentinel::triage {
namespace {

using C = FailureCategory;

// Causes that explain a failed test run (root cause over symptom).
int CauseRank(C c) {
  switch (c) {
    case C::kOutOfMemory: return 9;
    case C::kDiskFull: return 9;
    case C::kNetworkDns: return 7;
    case C::kTimeout: return 7;
    case C::kDependencyError: return 6;
    case C::kCrash: return 6;
    case C::kNetworkError: return 5;
    default: return 0;
  }
}

std::string_view Text(std::string_view log, const LocatedLine& l) {
  std::string_view s = log.substr(l.begin, l.end - l.begin);
  return s;
}

}  // namespace

BlockVerdict ClassifyBlock(const Location& loc, std::string_view log) {
  BlockVerdict v;
  auto from_exit = [&]() {
    if (!loc.exit_code) return false;
    switch (*loc.exit_code) {
      case 124: v.category = C::kTimeout; v.confidence = 0.6; break;
      case 137: v.category = C::kOutOfMemory; v.confidence = 0.4; break;
      case 127: v.category = C::kConfigError; v.confidence = 0.5; break;
      case 126: v.category = C::kPermissionDenied; v.confidence = 0.4; break;
      case 139: case 134: v.category = C::kCrash; v.confidence = 0.6; break;
      default: return false;
    }
    v.head_line = loc.anchor_line;
    v.reason = "exit-code";
    return true;
  };
  if (!loc.Found()) {
    from_exit();
    return v;
  }
  std::array<int, 16> weight{};
  std::array<int, 16> strong{};
  const LocatedLine* head = nullptr;
  const LocatedLine* cause = nullptr;
  for (const LocatedLine& l : loc.block.lines) {
    const std::size_t c = static_cast<std::size_t>(l.shape.category);
    if (l.shape.category == C::kUnknown) continue;
    if (loc.used_baseline && l.in_baseline) continue;
    weight[c] += l.shape.weight;
    if (l.shape.role == LineRole::kStrong) {
      ++strong[c];
      if (!head) head = &l;
      if (CauseRank(l.shape.category) > 0 && (!cause || CauseRank(l.shape.category) > CauseRank(cause->shape.category)))
        cause = &l;
    }
  }
  // A timeout exit code (124, timeout(1)) is a cause too.
  if (!head) {
    // No strong shape: the summary or the tool named by a weak line.
    const LocatedLine* weak = nullptr;
    for (const LocatedLine& l : loc.block.lines)
      if (l.shape.category != C::kUnknown && !(loc.used_baseline && l.in_baseline)) {
        weak = &l;
        break;
      }
    if (from_exit()) return v;
    if (!weak) return v;
    v.category = weak->shape.category;
    v.head_line = weak->line;
    v.head_text = std::string(Text(log, *weak));
    v.confidence = weak->shape.role == LineRole::kSummary ? 0.6 : 0.45;
    v.reason = "weak";
    return v;
  }
  const LocatedLine* decider = head;
  v.reason = "head";
  if (cause && cause != head && (head->shape.category == C::kTestFailure || head->shape.category == C::kUnknown)) {
    decider = cause;
    v.reason = "root-cause";
  }
  if (loc.exit_code && *loc.exit_code == 124 && decider->shape.category != C::kTimeout) {
    v.category = C::kTimeout;
    v.head_line = decider->line;
    v.head_text = std::string(Text(log, *decider));
    v.confidence = 0.7;
    v.reason = "exit-code";
    return v;
  }
  v.category = decider->shape.category;
  v.head_line = decider->line;
  v.head_text = std::string(Text(log, *decider));
  const std::size_t c = static_cast<std::size_t>(v.category);
  // Evidence quality: strong lines of the decided kind, agreement of the rest.
  int total_strong = 0;
  for (int s : strong) total_strong += s;
  double conf = 0.55;
  if (strong[c] >= 2) conf += 0.12;
  if (strong[c] >= 4) conf += 0.05;
  if (weight[c] * 2 >= [&] {
        int t = 0;
        for (int w : weight) t += w;
        return t;
      }())
    conf += 0.08;  // the kind carries most of the block's weight
  if (total_strong > strong[c] && v.reason == "head") conf -= 0.08;  // other kinds disagree
  if (loc.anchor_line > 0) conf += 0.05;                             // a failed command ends the block's region
  if (loc.used_baseline && loc.block.new_lines > 0) conf += 0.03;
  v.confidence = std::clamp(conf, 0.3, kMaxShapeConfidence);
  return v;
}

bool AWarning(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  line.remove_prefix(i);
  auto starts = [&](std::string_view p) { return line.substr(0, p.size()) == p; };
  if (starts("W: ") || starts("npm WARN") || starts("npm warn")) return true;
  if (!line.empty() && line.front() == '[') line.remove_prefix(1);
  for (std::string_view w : {"WARNING", "WARN", "Warning", "warning", "warn"}) {
    if (!starts(w)) continue;
    const std::string_view rest = line.substr(w.size());
    return rest.empty() || rest.front() == ':' || rest.front() == ']' || rest.front() == ' ';
  }
  return false;
}

std::string ShapeKey(std::string_view line) {
  const std::string tmpl = NormalizeLine(line);
  std::string out;
  bool last_star = false;
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < tmpl.size() && tmpl[j] != ' ') ++j;
    std::string_view tok(tmpl.data() + i, j - i);
    i = j;
    // Trailing punctuation stays with the tool's words ("context:" -> "context" ":").
    std::string_view core = tok;
    std::string_view tail;
    while (!core.empty() && (core.back() == ':' || core.back() == ',' || core.back() == ';')) {
      tail = tok.substr(core.size() - 1);
      core.remove_suffix(1);
    }
    bool ident = false;
    bool lower = false;
    for (std::size_t k = 0; k < core.size(); ++k) {
      const unsigned char ch = static_cast<unsigned char>(core[k]);
      if (ch == '.' || ch == '/' || ch == '\\' || ch == '_' || ch == '<' || ch == '\'' || ch == '"' || ch == '`' ||
          ch == '(' || ch == '$' || ch == '@' || ch == '=' || std::isdigit(ch) || ch >= 0x80)
        ident = true;
      if (ch == ':' && k + 1 < core.size()) ident = true;  // Mod::fn, file:line
      if (std::islower(ch)) lower = true;
      if (std::isupper(ch) && lower) ident = true;  // camelCase
    }
    // A word of letters and simple punctuation is the tool's; brackets and
    // markers ("[FAIL]", "***", "--") too.
    if (core.empty() || !ident) {
      out += std::string(core) + std::string(tail) + " ";
      last_star = false;
    } else if (!last_star) {
      out += "* ";
      last_star = true;
    }
  }
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace sentinel::triage
