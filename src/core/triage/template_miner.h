#pragma once
// Streaming log template miner behind `sentinel fingerprint`. Each line is
// first normalized (NormalizeLine, pure); lines whose templates have the same
// token count and leading constant tokens, and differ only in a few positions,
// are then merged into one cluster whose varying positions become "<*>"
// (a Drain-like fixed-depth grouping). Deterministic: the same input stream
// always gives the same output. Memory grows with the number of distinct
// templates, never with the number of lines (a cache of line shapes that
// skips normalization is bounded by max_cache entries). Not thread-safe: one
// miner per stream.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sentinel::triage {

inline constexpr std::string_view kWildcard = "<*>";

struct MinerOptions {
  // A line joins a cluster when more than this share of the cluster's word
  // tokens (not masks, wildcards or punctuation) equal the line's tokens at
  // the same positions. A differing first word of the message or two
  // differing plain words count three times; equal header words (leading
  // levels and labels) count only when nothing else is equal.
  double similarity = 0.4;
  // How many leading constant tokens (besides the token count) a cluster is
  // keyed on; lines differing there never merge.
  int key_tokens = 0;
  // Upper bound on clusters kept; beyond it new templates are still reported
  // (pure fingerprint) but not remembered. Bounds memory on adversarial input.
  std::size_t max_clusters = 1u << 20;
  // Upper bound on remembered exact templates (a line whose template was seen
  // before goes straight to its cluster), and on remembered line shapes (a
  // line whose digit-zeroed shape was seen before skips normalization; their
  // stored templates are further capped at 64 MiB). Beyond it lines are still
  // matched, by similarity, just not cached.
  std::size_t max_cache = 1u << 18;
  // Upper bound on clusters per group key (token count + key tokens), which
  // bounds the work per new template; beyond it unmatched lines are reported
  // with their pure fingerprint and not remembered.
  std::size_t max_leaf = 1024;
};

struct MinedLine {
  std::uint64_t fingerprint = 0;  // stable per cluster (see Add)
  std::string_view template_text; // valid until the next call to Add
};

class TemplateMiner {
 public:
  explicit TemplateMiner(MinerOptions options = {});
  ~TemplateMiner();
  TemplateMiner(const TemplateMiner&) = delete;
  TemplateMiner& operator=(const TemplateMiner&) = delete;

  // Adds one line and returns its cluster's fingerprint and current template.
  // The fingerprint of a cluster is Fingerprint64 of the first template it was
  // created with (so an unmerged line's fingerprint equals the pure one), and
  // two lines reported with the same template always carry the same
  // fingerprint, also across merges.
  MinedLine Add(std::string_view line);

  // Same, for a line that is already a NormalizeLine template.
  MinedLine AddTemplate(std::string_view normalized);

  std::size_t cluster_count() const;

 private:
  struct Cluster;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sentinel::triage
