#include "core/triage/cluster.h"

#include <gtest/gtest.h>

namespace sentinel::triage {
namespace {

Failure MakeFailure(std::string fp) {
  Failure f;
  f.fingerprint = std::move(fp);
  f.category = FailureCategory::kNetworkDns;
  f.signature = "curl-could-not-resolve";
  f.title = "DNS: could not resolve host x.invalid";
  f.hints = {"The name x.invalid could not be resolved"};
  f.evidence = {{5, "curl: (6) Could not resolve host: x.invalid"}, {6, "ctx"}, {7, "more"}, {8, "even more"}};
  return f;
}

TEST(ClusterTest, FirstFailureInitialisesTheCluster) {
  Failure f = MakeFailure("aaaa");
  Cluster c = UpdateCluster({}, {&f, "curl: (<NUM>) Could not resolve host: x.invalid", 1000, true, true});
  EXPECT_EQ(c.fingerprint, "aaaa");
  EXPECT_EQ(c.category, FailureCategory::kNetworkDns);
  EXPECT_EQ(c.signature, "curl-could-not-resolve");
  EXPECT_EQ(c.title, "Network dns: curl: (<NUM>) Could not resolve host: x.invalid");
  EXPECT_EQ(c.template_text, "curl: (<NUM>) Could not resolve host: x.invalid");
  EXPECT_EQ(c.occurrences, 1);
  EXPECT_EQ(c.affected_runs, 1);
  EXPECT_EQ(c.affected_repos, 1);
  EXPECT_EQ(c.first_seen, 1000);
  EXPECT_EQ(c.last_seen, 1000);
  EXPECT_EQ(c.excerpt.size(), kClusterExcerptLines);
  EXPECT_EQ(c.hint, "The name x.invalid could not be resolved");
}

TEST(ClusterTest, LaterFailuresCountAndWidenTheTimeRange) {
  Failure f = MakeFailure("aaaa");
  Cluster c = UpdateCluster({}, {&f, "t", 1000, true, true});
  c = UpdateCluster(c, {&f, "t", 500, false, false});   // same run, an earlier step
  c = UpdateCluster(c, {&f, "t", 3000, true, false});   // another run, same repo
  c = UpdateCluster(c, {&f, "t", 2000, true, true});    // another repo
  EXPECT_EQ(c.occurrences, 4);
  EXPECT_EQ(c.affected_runs, 3);
  EXPECT_EQ(c.affected_repos, 2);
  EXPECT_EQ(c.first_seen, 500);
  EXPECT_EQ(c.last_seen, 3000);
}

TEST(ClusterTest, AnotherFingerprintLeavesTheClusterAlone) {
  Failure f = MakeFailure("aaaa");
  Failure g = MakeFailure("bbbb");
  Cluster c = UpdateCluster({}, {&f, "t", 1000, true, true});
  Cluster d = UpdateCluster(c, {&g, "t", 9000, true, true});
  EXPECT_EQ(d.occurrences, 1);
  EXPECT_EQ(d.last_seen, 1000);
}

TEST(ClusterTest, TitleIsCutOnAUtf8Boundary) {
  std::string tmpl(200, 'x');
  tmpl.replace(100, 2, "é");
  std::string t = ClusterTitle(FailureCategory::kCrash, tmpl);
  EXPECT_LE(t.size(), kMaxClusterTitleChars + 3);
  EXPECT_EQ(t.rfind("Crash: ", 0), 0u);
}

}  // namespace
}  // namespace sentinel::triage
