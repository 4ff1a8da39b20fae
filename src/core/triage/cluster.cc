#include "core/triage/cluster.h"

#include <algorithm>
#include <cctype>

namespace sentinel::triage {
namespace {

std::string CategoryWords(FailureCategory c) {
  std::string s(Name(c));
  std::replace(s.begin(), s.end(), '_', ' ');
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::vector<EvidenceLine> Excerpt(const Failure& f) {
  std::vector<EvidenceLine> e(f.evidence.begin(), f.evidence.begin() + std::min(f.evidence.size(), kClusterExcerptLines));
  return e;
}

}  // namespace

std::string ClusterTitle(FailureCategory category, std::string_view template_text) {
  std::string t = CategoryWords(category);
  if (!template_text.empty()) t += ": " + std::string(template_text);
  if (t.size() > kMaxClusterTitleChars) {
    std::size_t cut = kMaxClusterTitleChars;
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    t.resize(cut);
    t += "…";
  }
  return t;
}

Cluster UpdateCluster(Cluster c, const ClusterObservation& obs) {
  const Failure& f = *obs.failure;
  if (c.fingerprint.empty()) {
    c.fingerprint = f.fingerprint;
    c.category = f.category;
    c.signature = f.signature;
    c.template_text = obs.template_text;
    c.title = ClusterTitle(f.category, obs.template_text.empty() ? f.title : obs.template_text);
    c.hint = f.hints.empty() ? std::string() : f.hints.front();
    c.excerpt = Excerpt(f);
    c.first_seen = obs.at;
    c.last_seen = obs.at;
  } else if (c.fingerprint != f.fingerprint) {
    return c;
  }
  ++c.occurrences;
  if (obs.new_run) ++c.affected_runs;
  if (obs.new_repo) ++c.affected_repos;
  c.first_seen = std::min(c.first_seen, obs.at);
  c.last_seen = std::max(c.last_seen, obs.at);
  if (c.excerpt.empty()) c.excerpt = Excerpt(f);
  return c;
}

}  // namespace sentinel::triage
