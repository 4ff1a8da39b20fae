#include "app/reclassify.h"

namespace sentinel::app {
namespace {

std::string ClusterName(const std::optional<std::int64_t>& id) {
  return id ? "cluster " + std::to_string(*id) : std::string("no cluster");
}

std::string LogPath(const std::string& data_dir, const std::string& stored) {
  if (stored.empty() || stored.front() == '/' || data_dir.empty()) return stored;
  return data_dir + "/" + stored;
}

}  // namespace

Result<ReclassifyReport> Reclassify(FailureStore& store, const TriageStoredStepFn& triage,
                                    const ReclassifyOptions& options, EpochMs now) {
  auto stored = store.ListForReclassify(options.kb_version, options.all, options.limit);
  if (!stored) return Fail(stored.error());
  ReclassifyReport report;
  for (const StoredFailure& sf : *stored) {
    ++report.examined;
    const Failure& old = sf.failure;
    StepReport step;
    step.index = old.step_index;
    step.name = sf.step_name;
    step.status = sf.step_status;
    step.exit_code = sf.exit_code;
    step.log_path = LogPath(options.data_dir, sf.log_path);
    step.tests = sf.tests;
    auto fresh = triage(old.run_id, step);
    if (!fresh) {
      if (fresh.error().code != ErrorCode::kNotFound) return Fail(fresh.error());
      report.missing_logs.push_back("run " + std::to_string(old.run_id) + " step " + std::to_string(old.step_index) +
                                    ": " + fresh.error().message + " (left unchanged)");
      continue;
    }
    const bool changed = fresh->category != old.category || fresh->signature != old.signature ||
                         fresh->fingerprint != old.fingerprint;
    std::optional<std::int64_t> new_cluster;
    if (!options.dry_run) {
      auto moved = store.UpdateFailure(old.id, *fresh, now);
      if (!moved) return Fail(moved.error());
      new_cluster = *moved;
    }
    if (!changed) {
      ++report.unchanged;
      continue;
    }
    ReclassifyChange c;
    c.failure_id = old.id;
    c.run_id = old.run_id;
    c.step_index = old.step_index;
    c.old_category = old.category;
    c.new_category = fresh->category;
    c.old_signature = old.signature;
    c.new_signature = fresh->signature;
    c.old_fingerprint = old.fingerprint;
    c.new_fingerprint = fresh->fingerprint;
    c.old_cluster = old.cluster_id;
    c.new_cluster = new_cluster;
    report.changes.push_back(std::move(c));
  }
  return report;
}

std::vector<std::string> FormatReclassifyReport(const ReclassifyReport& report, bool dry_run) {
  std::vector<std::string> lines;
  for (const ReclassifyChange& c : report.changes) {
    lines.push_back("run " + std::to_string(c.run_id) + " step " + std::to_string(c.step_index) + ": " +
                    std::string(Name(c.old_category)) + "/" + c.old_signature + " -> " +
                    std::string(Name(c.new_category)) + "/" + c.new_signature);
    if (c.old_fingerprint != c.new_fingerprint) {
      std::string to = dry_run ? "the cluster of fingerprint " + (c.new_fingerprint.empty() ? "(none)" : c.new_fingerprint)
                               : ClusterName(c.new_cluster);
      lines.push_back("  cluster: " + ClusterName(c.old_cluster) + " -> " + to);
    }
  }
  for (const std::string& m : report.missing_logs) lines.push_back("missing log: " + m);
  lines.push_back(std::string(dry_run ? "dry run: " : "") + std::to_string(report.examined) + " examined, " +
                  std::to_string(report.changes.size()) + (dry_run ? " would change, " : " changed, ") +
                  std::to_string(report.unchanged) + " unchanged, " + std::to_string(report.missing_logs.size()) +
                  " missing logs");
  return lines;
}

}  // namespace sentinel::app
