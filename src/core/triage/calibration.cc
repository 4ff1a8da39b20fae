#include "core/triage/calibration.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/triage/triage.h"

namespace sentinel::triage {

namespace {

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

bool ParseInt(std::string_view s, int* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

Error RowError(int line, std::string_view column, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument,
               "manifest.tsv line " + std::to_string(line) + ": " + std::string(column) + ": " + std::string(why),
               std::string(column)};
}

}  // namespace

Result<std::vector<BlockLabeledLog>> ParseManifest(std::string_view tsv) {
  std::vector<BlockLabeledLog> out;
  std::map<std::string, std::size_t, std::less<>> col;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < tsv.size()) {
    std::size_t nl = tsv.find('\n', pos);
    std::string_view line = tsv.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? tsv.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::vector<std::string_view> f = SplitTabs(line);
    if (col.empty()) {
      for (std::size_t i = 0; i < f.size(); ++i) col[std::string(f[i])] = i;
      for (std::string_view need : {"file", "split", "category", "block_start", "block_end", "exit_code"})
        if (!col.count(need)) return tl::unexpected(RowError(line_no, need, "missing column in the header"));
      continue;
    }
    auto get = [&](std::string_view name) -> std::string_view {
      auto it = col.find(name);
      return it == col.end() || it->second >= f.size() ? std::string_view() : f[it->second];
    };
    BlockLabeledLog l;
    l.file = std::string(get("file"));
    l.split = std::string(get("split"));
    l.ecosystem = std::string(get("ecosystem"));
    l.tool = std::string(get("tool"));
    l.category = std::string(get("category"));
    if (l.file.empty()) return tl::unexpected(RowError(line_no, "file", "empty"));
    if (l.split != "dev" && l.split != "eval") return tl::unexpected(RowError(line_no, "split", "must be dev or eval"));
    if (l.category.empty()) return tl::unexpected(RowError(line_no, "category", "empty"));
    if (!ParseInt(get("block_start"), &l.block_first))
      return tl::unexpected(RowError(line_no, "block_start", "not an integer"));
    if (!ParseInt(get("block_end"), &l.block_last))
      return tl::unexpected(RowError(line_no, "block_end", "not an integer"));
    if (!l.green() && (l.block_first < 1 || l.block_last < l.block_first))
      return tl::unexpected(RowError(line_no, "block_start", "a failing log needs 1 <= block_start <= block_end"));
    int rc = 0;
    if (std::string_view s = get("exit_code"); !s.empty()) {
      if (!ParseInt(s, &rc)) return tl::unexpected(RowError(line_no, "exit_code", "not an integer"));
      l.exit_code = rc;
    }
    out.push_back(std::move(l));
  }
  if (col.empty()) return tl::unexpected(Error{ErrorCode::kInvalidArgument, "manifest.tsv: empty", "file"});
  return out;
}

Reliability MeasureReliability(const std::vector<std::pair<double, bool>>& points, int bins) {
  Reliability r;
  r.n = static_cast<int>(points.size());
  if (bins < 1 || points.empty()) return r;
  std::vector<ReliabilityBin> b(static_cast<std::size_t>(bins));
  for (int i = 0; i < bins; ++i) {
    b[static_cast<std::size_t>(i)].lo = static_cast<double>(i) / bins;
    b[static_cast<std::size_t>(i)].hi = static_cast<double>(i + 1) / bins;
  }
  for (const auto& [conf, right] : points) {
    int i = std::clamp(static_cast<int>(std::floor(std::clamp(conf, 0.0, 1.0) * bins)), 0, bins - 1);
    ReliabilityBin& x = b[static_cast<std::size_t>(i)];
    ++x.count;
    x.confidence += conf;
    x.accuracy += right ? 1 : 0;
  }
  for (ReliabilityBin& x : b) {
    if (x.count == 0) continue;
    x.confidence /= x.count;
    x.accuracy /= x.count;
    r.ece += static_cast<double>(x.count) / r.n * std::fabs(x.accuracy - x.confidence);
    r.bins.push_back(x);
  }
  return r;
}

bool RealToolsReport::green_clean() const {
  return std::all_of(rules.begin(), rules.end(), [](const RuleFigures& r) { return r.green_hits.empty(); });
}

bool RealToolsReport::dev_green_clean() const {
  return std::all_of(rules_dev.begin(), rules_dev.end(), [](const RuleFigures& r) { return r.green_hits.empty(); });
}

RealToolsReport EvaluateRealTools(const Kb& kb, const std::vector<BlockLabeledLog>& logs) {
  RealToolsReport rep;
  for (const Signature& s : kb.signatures()) rep.rules.push_back(RuleFigures{s.id, s.category});
  rep.rules_dev = rep.rules;
  std::vector<std::pair<double, bool>> claims, all;
  for (const BlockLabeledLog& l : logs) {
    const bool dev = l.split == "dev";
    TriageInput in;
    in.log = l.text;
    if (!l.green()) in.step.exit_code = l.exit_code;
    TriageResult r = Triage(kb, in);
    const std::string got(Name(r.failure.category));
    for (const std::string& id : r.matched_signatures) {
      int idx = kb.Find(id);
      if (idx < 0) continue;
      for (std::vector<RuleFigures>* figs : {&rep.rules, dev ? &rep.rules_dev : nullptr}) {
        if (figs == nullptr) continue;
        RuleFigures& fig = (*figs)[static_cast<std::size_t>(idx)];
        ++fig.fired;
        if (!l.green() && Name(fig.category) == l.category) {
          ++fig.tp;
        } else {
          ++fig.fp;
          (l.green() ? fig.green_hits : fig.false_positive_logs).push_back(l.file);
        }
      }
    }
    SplitFigures& sf = dev ? rep.dev : rep.eval;
    if (l.green()) {
      ++sf.greens;
      if (dev) ++rep.dev_green;
      if (got != "unknown" && r.failure.confidence >= 0.5) ++sf.green_alarms;
      continue;
    }
    if (dev) ++rep.dev_failing;
    RealToolsOutcome o;
    o.file = l.file;
    o.split = l.split;
    o.expected = l.category;
    o.got = got;
    o.confidence = r.failure.confidence;
    for (const EvidenceLine& e : r.failure.evidence)
      if (e.line >= l.block_first && e.line <= l.block_last) o.evidence_hit = true;
    const bool right = o.got == o.expected;
    ++sf.logs;
    sf.right += right;
    sf.evidence_hits += o.evidence_hit;
    if (got == "unknown") {
      ++sf.unknown;
    } else if (!right && o.confidence >= 0.9) {
      ++sf.confidently_wrong;
    }
    if (!dev) {
      all.emplace_back(o.confidence, right);
      if (got != "unknown") claims.emplace_back(o.confidence, right);
    }
    rep.outcomes.push_back(std::move(o));
  }
  rep.eval_claims = MeasureReliability(claims);
  rep.eval_all = MeasureReliability(all);
  return rep;
}

void AddDevFigures(const RealToolsReport& realtools, RulesReport* report) {
  for (std::size_t i = 0; i < report->rules.size() && i < realtools.rules_dev.size(); ++i) {
    RuleFigures& into = report->rules[i];
    const RuleFigures& from = realtools.rules_dev[i];
    into.fired += from.fired;
    into.tp += from.tp;
    into.fp += from.fp;
  }
  report->total += realtools.dev_failing;
  report->green_logs += realtools.dev_green;
}

namespace {

void FormatReliability(const Reliability& r, std::ostringstream& out) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %-11s %5s %10s %9s\n", "confidence", "logs", "mean conf", "accuracy");
  out << buf;
  for (const ReliabilityBin& b : r.bins) {
    std::snprintf(buf, sizeof buf, "  %.1f-%.1f    %5d %10.3f %9.3f\n", b.lo, b.hi, b.count, b.confidence, b.accuracy);
    out << buf;
  }
}

void FormatSplit(const char* name, const SplitFigures& s, std::ostringstream& out) {
  char buf[256];
  const double n = std::max(1, s.logs);
  std::snprintf(buf, sizeof buf,
                "  %-4s %3d failing logs: category right %5.1f%%, unknown %5.1f%%, confidently wrong %5.1f%%, "
                "evidence in the block %5.1f%%; %d green logs, %d alarms\n",
                name, s.logs, 100 * s.right / n, 100 * s.unknown / n, 100 * s.confidently_wrong / n,
                100 * s.evidence_hits / n, s.greens, s.green_alarms);
  out << buf;
}

}  // namespace

std::string FormatRealToolsReport(const RealToolsReport& report) {
  std::ostringstream out;
  char buf[512];
  out << "rule precision over the real-tool corpus (failing and passing logs, both splits):\n";
  std::snprintf(buf, sizeof buf, "  %-34s %-18s %5s %4s %4s %9s %s\n", "rule", "category", "fired", "tp", "fp",
                "precision", "green");
  out << buf;
  for (const RuleFigures& r : report.rules) {
    if (r.fired == 0) continue;
    std::snprintf(buf, sizeof buf, "  %-34s %-18s %5d %4d %4d %9.3f %s\n", r.id.c_str(),
                  std::string(Name(r.category)).c_str(), r.fired, r.tp, r.fp, r.precision(),
                  r.green_hits.empty() ? "ok" : ("FIRES ON " + std::to_string(r.green_hits.size()) + " green").c_str());
    out << buf;
    for (const std::string& g : r.green_hits) out << "      green log: " << g << "\n";
  }
  out << "\ncategory per split:\n";
  FormatSplit("dev", report.dev, out);
  FormatSplit("eval", report.eval, out);
  out << "\nreliability over the eval split, logs given a category other than unknown:\n";
  FormatReliability(report.eval_claims, out);
  std::snprintf(buf, sizeof buf, "  ECE %.3f over %d logs (ECE %.3f over all %d eval logs, unknown counted wrong)\n",
                report.eval_claims.ece, report.eval_claims.n, report.eval_all.ece, report.eval_all.n);
  out << buf;
  out << "real-tool green logs: "
      << (report.green_clean()       ? "no rule fires on any"
          : report.dev_green_clean() ? "rules fire on passing logs of the eval split only (listed above)"
                                     : "RULES FIRE ON PASSING LOGS OF THE DEV SPLIT")
      << "\n";
  return out.str();
}

}  // namespace sentinel::triage
