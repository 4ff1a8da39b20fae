#include "core/triage/template_miner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/triage/fingerprint.h"
#include "core/triage/normalize.h"

namespace sentinel::triage {
namespace {

namespace fs = std::filesystem;

// Whether lines (fed in order to one miner) end in one group per expected
// label: lines with the same label share a fingerprint, lines with different
// labels do not.
void ExpectGroups(const std::vector<std::pair<std::string, std::string>>& labeled) {
  TemplateMiner miner;
  std::vector<std::uint64_t> fps;
  for (const auto& [label, line] : labeled) fps.push_back(miner.Add(line).fingerprint);
  for (std::size_t i = 0; i < labeled.size(); ++i)
    for (std::size_t j = i + 1; j < labeled.size(); ++j)
      EXPECT_EQ(labeled[i].first == labeled[j].first, fps[i] == fps[j])
          << labeled[i].second << "\n" << labeled[j].second;
}

TEST(TemplateMinerTest, MergesAVaryingWordIntoAWildcardAndKeepsTheFingerprint) {
  TemplateMiner miner;
  MinedLine a = miner.Add("session opened for user root by uid 0");
  std::uint64_t first = a.fingerprint;
  EXPECT_EQ(first, Fingerprint64(NormalizeLine("session opened for user root by uid 0")));
  EXPECT_EQ(std::string(a.template_text), "session opened for user root by uid <NUM>");
  MinedLine b = miner.Add("session opened for user alice by uid 1000");
  EXPECT_EQ(b.fingerprint, first);
  EXPECT_EQ(std::string(b.template_text), "session opened for user <*> by uid <NUM>");
  MinedLine c = miner.Add("session opened for user root by uid 0");  // seen before: same cluster
  EXPECT_EQ(c.fingerprint, first);
  EXPECT_EQ(miner.cluster_count(), 1u);
}

TEST(TemplateMinerTest, NeverMergesAcrossMeaningCarryingTokens) {
  TemplateMiner miner;
  std::set<std::uint64_t> fps;
  for (const char* line : {"job 12 started on runner-1", "job 13 stopped on runner-2", "job 14 failed on runner-3",
                           "job 15 passed on runner-4", "write failed: ENOSPC on /dev/sda1",
                           "write failed: EACCES on /dev/sda1", "worker killed by SIGKILL",
                           "worker killed by SIGTERM", "GET /runs returned 200", "POST /runs returned 200"}) {
    fps.insert(miner.Add(line).fingerprint);
  }
  EXPECT_EQ(fps.size(), 10u);
}

TEST(TemplateMinerTest, KeptNumbersAreParametersOfOneStatement) {
  // Exit and HTTP status codes stay in NormalizeLine's templates (triage
  // tells them apart), but a log parser groups by statement: the code is a
  // parameter like any other number.
  ExpectGroups({{"exit", "worker exited with code 1"},
                {"exit", "worker exited with code 137"},
                {"http", "10.1.1.1 \"GET /v1/jobs HTTP/1.1\" status: 200 len: 120 time: 0.01"},
                {"http", "10.1.1.9 \"GET /v1/jobs/7/log HTTP/1.1\" status: 404 len: 80 time: 0.21"},
                {"post", "10.1.1.9 \"POST /v1/jobs HTTP/1.1\" status: 201 len: 80 time: 0.21"}});
}

TEST(TemplateMinerTest, AKeyWithAnotherValueIsAVariableAlsoWhenQuotedWithSpaces) {
  ExpectGroups({{"hold", "hold:lock=7, flags=0x1, tag=\"AudioOut\", owner=mixer, uid=1041"},
                {"hold", "hold:lock=9, flags=0x1, tag=\"Screen Dim Lock\", owner=system, uid=1000"},
                {"hold", "hold:lock=3, flags=0x0, tag=\"*job*\", owner=com.example.sync, uid=10057"},
                {"drop", "drop:lock=3, flags=0x0, tag=\"*job*\", owner=com.example.sync, uid=10057"},
                {"other", "hold:lock=3, mode=0x0, tag=\"*job*\", owner=com.example.sync, uid=10057"}});
}

TEST(TemplateMinerTest, ANumberAndItsUnitAreOneValue) {
  // Given byte counts that sometimes carry a "(1.2 KB)" restatement, sizes
  // written in whatever unit fits, and a lifetime written "<1 sec" or "00:02",
  // we should get one event per statement, and keep different statements apart.
  TemplateMiner miner;
  std::set<std::uint64_t> close, stored;
  for (const char* line : {"mail.example.org:443 close, 0 bytes sent, 0 bytes received, lifetime 00:01",
                           "mail.example.org:443 close, 412 bytes sent, 19021 bytes (18.5 KB) received, lifetime <1 sec",
                           "cdn.example.net:443 close, 1204 bytes (1.17 KB) sent, 1702 bytes (1.66 KB) received, lifetime 00:02",
                           "cdn.example.net:443 close, 7911 bytes (7.72 KB) sent, 580120 bytes (566 KB) received, lifetime 01:18"})
    close.insert(miner.Add(line).fingerprint);
  for (const char* line : {"Block rdd_3_1 stored in memory (estimated size 5.1 KB, free 6.2 KB)",
                           "Block rdd_3_2 stored in memory (estimated size 92.0 B, free 318.4 KB)",
                           "Block rdd_3_3 stored in memory (estimated size 1.5 MB, free 2.1 GB)"})
    stored.insert(miner.Add(line).fingerprint);
  EXPECT_EQ(close.size(), 1u);
  EXPECT_EQ(stored.size(), 1u);
  EXPECT_NE(*close.begin(), *stored.begin());
  EXPECT_NE(miner.Add("request took 12 ms").fingerprint, miner.Add("request failed after 12 ms").fingerprint);
}

TEST(TemplateMinerTest, AQualifiedNameAsLabelIsAVariableButProgramsAndFieldsAreNot) {
  TemplateMiner miner;
  auto a = miner.Add("org.example.jobs.nightly: scheduler says the next run is in 4391 seconds. Skipping.");
  auto b = miner.Add("org.example.cache.Purge.daily: scheduler says the next run is in 212 seconds. Skipping.");
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  auto c = miner.Add("crond[211]: session closed for user root");
  auto d = miner.Add("sshd[211]: session closed for user root");
  EXPECT_NE(c.fingerprint, d.fingerprint);
  auto e = miner.Add("used: 5 blocks on volume data");
  auto f = miner.Add("free: 5 blocks on volume data");
  EXPECT_NE(e.fingerprint, f.fingerprint);
}

TEST(TemplateMinerTest, AShortLineDoesNotMergeOnItsFirstWord) {
  // Given job-control lines that differ in their leading command word (plain
  // or camel-case) and share only "(job N)", or whose message after a
  // component label is one differing word, we should get one event per
  // command; a varying identifier after a constant first word still merges,
  // and so does a word after a label that is an English word ("script:").
  ExpectGroups({{"start", "start (job 311)"},
                {"reap", "reapChildren (job 87)"},
                {"kill", "killGroup (job 12)"},
                {"start", "start (job 4)"},
                {"drain", "drain (job 90)"},
                {"kill", "killGroup (job 2001)"},
                {"drain", "drain  (job 91)"},
                {"hide", "2024-05-01 10:00:01.120 311 412 D StatusBar: cancelHide"},
                {"expand", "2024-05-01 10:00:01.130 311 412 D StatusBar: expandPanel"},
                {"hide", "2024-05-01 10:00:02.555 311 412 I StatusBar: cancelHide"},
                {"script", "npm error Missing script: build"},
                {"script", "npm error Missing script: lint"},
                {"run", "[RUN] CacheTest.EvictsOldest"},
                {"run", "[RUN] QueueTest.Drains"},
                {"run", "[RUN] ParserTest.Empty"}});
}

TEST(TemplateMinerTest, TwoPlainWordsDifferingAreTwoStatementsUnlessTheLineIsLong) {
  ExpectGroups({{"up", "backupd startup finished"},
                {"down", "backupd shutdown finished"},
                {"up", "backupd startup finished"},
                // A user name in a long line is still a variable...
                {"login", "login accepted for user carol from console on tty 3"},
                {"login", "login accepted for user dave from console on tty 1"},
                // ...and so is a quoted or bracketed word in a short one.
                {"missing", "lookup failed: KeyError 'colour'"},
                {"missing", "lookup failed: KeyError 'size'"},
                {"cron", "(backup) CMD (nightly-rotate)"},
                {"cron", "(postgres) CMD (nightly-rotate)"},
                {"commit", "[trunk 1a2b3c4] fix parser"},
                {"commit", "[hotfix 9f8e7d6] fix parser"},
                // One word in the singular and the plural is the same word.
                {"printed", "1 page printed"},
                {"printed", "4 pages printed"}});
}

TEST(TemplateMinerTest, AHeaderIsNoEvidenceThatTwoMessagesAreOne) {
  // Given the same messages as above behind a log header (time, level,
  // component label), we should get the same groups as for bare messages.
  ExpectGroups({{"up", "2024-05-01 10:00:01,120 INFO backup.Agent: backupd startup finished"},
                {"down", "2024-05-01 10:00:02,301 INFO backup.Agent: backupd shutdown finished"},
                {"up", "2024-05-01 11:00:01,004 INFO backup.Agent: backupd startup finished"},
                {"login", "2024-05-01 10:00:03,120 INFO auth.Session: session opened for user carol by uid 1000"},
                {"login", "2024-05-01 10:00:04,120 INFO auth.Session: session opened for user dave by uid 1001"},
                // A header is all two lines may share: it still counts then.
                {"key", "LookupError: 'colour'"},
                {"key", "LookupError: 'size'"}});
}

TEST(TemplateMinerTest, DifferentVerbFormsAreDifferentEvents) {
  // Past participles and gerunds say what happened to the thing the line
  // names: "spawned" and "evicted" are two events even in a long line.
  ExpectGroups({{"spawned", "[vm 7f3a] Guest spawned after 3.2 seconds on the host."},
                {"evicted", "[vm 7f3a] Guest evicted after 1.1 seconds on the host."},
                {"spawned", "[vm 88c1] Guest spawned after 9.0 seconds on the host."},
                {"moving", "volume 3: rebalancing extents now"},
                {"scrub", "volume 4: scrubbing extents now"}});
}

TEST(TemplateMinerTest, AListOfValuesIsOneValueWhateverItsLength) {
  // Given the same statement naming one, two or three hosts or racks, we
  // should get one event.
  ExpectGroups({{"assign", "Assigning racks:rack-4 and hosts:host-17"},
                {"assign", "Assigning racks:rack-[1\\ 3] and hosts:host-[20\\ 45]"},
                {"assign", "Assigning racks:rack-9 and hosts:host-[7\\ 8\\ 9]"},
                {"fetch", "10.0.0.7 fetched manifest in 12 ms"},
                {"fetch", "10.0.3.1, 10.0.0.7 fetched manifest in 40 ms"},
                {"fetch", "10.0.3.1,10.0.0.9 fetched manifest in 40 ms"}});
}

TEST(TemplateMinerTest, DegenerateListsAndQuotesAreHandled) {
  // Unclosed quotes, lone separators and long runs: every line gets a
  // template that is a rewrite of itself, and the same stream gives the same
  // result twice.
  std::vector<std::string> lines = {"k=\"", "k=\"a b c d e f g h i j k", "a=\"x\" b=\"y z\"", ",", "\\",
                                    "1, 2, 3, 4,", "x=\"\" y", "=\" \"", "<NUM>, <NUM>\\ <NUM>",
                                    "tag=\"one two\", tag=\"three\","};
  std::string many = "ids";
  for (int i = 0; i < 500; ++i) many += " " + std::to_string(i) + ",";
  lines.push_back(many);
  auto run = [&] {
    TemplateMiner miner;
    std::vector<std::string> out;
    for (const auto& l : lines) out.emplace_back(miner.Add(l).template_text);
    return out;
  };
  auto first = run();
  EXPECT_EQ(first, run());
  EXPECT_EQ(first[3], ",");
  EXPECT_EQ(first.back().substr(0, 4), "ids ");
}

TEST(TemplateMinerTest, DifferentShapesStayApart) {
  TemplateMiner miner;
  auto a = miner.Add("Connection closed by 10.0.0.1 port 22");
  auto b = miner.Add("Accepted password for root from 10.0.0.1 port 22 ssh2");
  auto c = miner.Add("dfs.FSDataset: Deleting block blk_1 file /data/x");
  auto d = miner.Add("dfs.DataNode: Deleting block blk_2 file /data/y");  // another component label
  EXPECT_NE(a.fingerprint, b.fingerprint);
  EXPECT_NE(c.fingerprint, d.fingerprint);
}

TEST(TemplateMinerTest, SameInputStreamGivesSameOutput) {
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    lines.push_back("user u" + std::to_string(i % 7) + "x logged in from 10.0.0." + std::to_string(i % 250));
    lines.push_back("cache " + std::string(i % 2 ? "hit" : "miss") + " for key k" + std::to_string(i));
    lines.push_back("task " + std::to_string(i) + " took " + std::to_string(i * 3) + "ms on node" +
                    std::string(1, static_cast<char>('a' + i % 5)));
  }
  auto run = [&] {
    TemplateMiner miner;
    std::vector<std::pair<std::uint64_t, std::string>> out;
    for (const auto& l : lines) {
      MinedLine m = miner.Add(l);
      out.emplace_back(m.fingerprint, std::string(m.template_text));
    }
    return out;
  };
  auto first = run();
  EXPECT_EQ(first, run());
  // The contract of `sentinel fingerprint`: one template, one fingerprint.
  std::unordered_map<std::string, std::uint64_t> seen;
  for (const auto& [fp, text] : first) {
    auto [it, inserted] = seen.emplace(text, fp);
    EXPECT_EQ(it->second, fp) << text;
  }
}

TEST(TemplateMinerTest, MemoryFollowsDistinctTemplatesNotLines) {
  TemplateMiner miner;
  for (int i = 0; i < 20000; ++i)
    miner.Add("request " + std::to_string(i) + " served in " + std::to_string(i % 97) + "ms from 10.1.2." +
              std::to_string(i % 200));
  EXPECT_EQ(miner.cluster_count(), 1u);
}

TEST(TemplateMinerTest, BoundsClustersOnAdversarialInput) {
  MinerOptions options;
  options.max_clusters = 50;
  TemplateMiner miner(options);
  std::set<std::uint64_t> fps;
  for (int i = 0; i < 500; ++i) {
    // Every line a new shape (token count grows): nothing can merge.
    std::string line = "w";
    for (int k = 0; k < i % 200; ++k) line += " t";
    MinedLine m = miner.Add(line + " end" + std::to_string(i / 200));
    EXPECT_EQ(m.fingerprint, Fingerprint64(m.template_text));
    fps.insert(m.fingerprint);
  }
  EXPECT_LE(miner.cluster_count(), 50u);
  EXPECT_GT(fps.size(), 50u);  // still reported, just not remembered
}

TEST(TemplateMinerTest, BoundsClustersPerGroupKey) {
  MinerOptions options;
  options.max_leaf = 8;
  TemplateMiner miner(options);
  // Same length, every line a different protected word: nothing merges.
  const char* words[] = {"started", "stopped", "paused", "resumed", "passed", "failed", "skipped", "opened",
                         "closed", "accepted", "rejected", "denied"};
  for (const char* w : words) {
    MinedLine m = miner.Add(std::string("step ") + w);
    EXPECT_EQ(m.fingerprint, Fingerprint64(m.template_text)) << w;
  }
  EXPECT_EQ(miner.cluster_count(), 8u);
}

// ---- grouping accuracy over the labeled datasets (tests/data/templates) ----

struct Labeled {
  std::vector<std::string> events;
  std::vector<std::string> lines;
};

Labeled ReadTsv(const fs::path& p) {
  Labeled d;
  std::ifstream in(p);
  std::string row;
  while (std::getline(in, row)) {
    auto tab = row.find('\t');
    if (tab == std::string::npos) continue;
    d.events.push_back(row.substr(0, tab));
    d.lines.push_back(row.substr(tab + 1));
  }
  return d;
}

// Share of lines whose predicted group holds exactly the lines of their event.
double GroupingAccuracy(const std::vector<std::string>& truth, const std::vector<std::uint64_t>& pred) {
  std::unordered_map<std::string, std::vector<std::size_t>> by_truth;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_pred;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    by_truth[truth[i]].push_back(i);
    by_pred[pred[i]].push_back(i);
  }
  std::size_t ok = 0;
  for (const auto& [event, members] : by_truth) {
    const auto& group = by_pred[pred[members[0]]];
    if (group == members) ok += members.size();  // both ascending: equal sets
  }
  return truth.empty() ? 0 : static_cast<double>(ok) / static_cast<double>(truth.size());
}

fs::path DataDir() {
  const char* root = std::getenv("SENTINEL_SOURCE_DIR");
  return fs::path(root ? root : ".") / "tests" / "data" / "templates";
}

TEST(TemplateMinerAccuracyTest, GroupingAccuracyOverLabeledDatasets) {
  fs::path dir = DataDir();
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " missing (SENTINEL_SOURCE_DIR unset?)";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".tsv") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 20u);
  std::size_t total = 0;
  double weighted = 0, sum = 0, pure_weighted = 0, lowest = 1;
  std::printf("%-22s %7s %7s %9s %9s\n", "dataset", "lines", "events", "GA(miner)", "GA(pure)");
  for (const auto& f : files) {
    Labeled d = ReadTsv(f);
    ASSERT_FALSE(d.lines.empty()) << f;
    TemplateMiner miner;
    std::vector<std::uint64_t> pred, pure;
    pred.reserve(d.lines.size());
    for (const auto& l : d.lines) {
      pred.push_back(miner.Add(l).fingerprint);
      pure.push_back(Fingerprint64(NormalizeLine(l)));
    }
    double ga = GroupingAccuracy(d.events, pred);
    double ga_pure = GroupingAccuracy(d.events, pure);
    std::set<std::string> events(d.events.begin(), d.events.end());
    std::printf("%-22s %7zu %7zu %9.3f %9.3f\n", f.stem().c_str(), d.lines.size(), events.size(), ga, ga_pure);
    total += d.lines.size();
    weighted += ga * static_cast<double>(d.lines.size());
    pure_weighted += ga_pure * static_cast<double>(d.lines.size());
    sum += ga;
    lowest = std::min(lowest, ga);
  }
  double overall = weighted / static_cast<double>(total);
  double mean = sum / static_cast<double>(files.size());
  std::printf("OVERALL %zu lines: GA line-weighted %.3f, mean per dataset %.3f, lowest %.3f; pure NormalizeLine %.3f\n",
              total, overall, mean, lowest, pure_weighted / static_cast<double>(total));
  std::fflush(stdout);
  // Floors set just under what the miner achieves (0.951 / 0.923 / 0.54 when written).
  EXPECT_GE(overall, 0.94);
  EXPECT_GE(mean, 0.91);
  EXPECT_GE(lowest, 0.5);
}

// ---- the digit-shape cache (NormalizeLineInto's digit_blind) ----

// Lines where one digit's value decides the template, each next to a twin of
// the same shape that decides the other way.
const std::vector<std::string>& DigitValueTwins() {
  static const std::vector<std::string> lines = {
      "127.0.0.1 - - \"GET /a HTTP/2.1\" 200 512", "127.0.0.1 - - \"GET /a HTTP/1.1\" 200 512",
      "got 604 Not Found", "got 404 Not Found",
      "fault at 1x1f2e", "fault at 0x1f2e",
      "Dec 04 10:00:00 3005 kernel: up", "Dec 04 10:00:00 2005 kernel: up",
      "/src/b/a.f91:12:3 bad", "/src/b/a.f90:12:3 bad",
      "exit code 3", "exit code 4",
  };
  return lines;
}

std::vector<std::string> AllLabeledLines() {
  std::vector<std::string> all = DigitValueTwins();
  for (const auto& e : fs::directory_iterator(DataDir()))
    if (e.path().extension() == ".tsv") {
      Labeled d = ReadTsv(e.path());
      all.insert(all.end(), d.lines.begin(), d.lines.end());
    }
  return all;
}

// The template a ShapeTrace predicts for `other`, a line of the same shape.
std::string Rebuild(const std::string& tmpl, const ShapeTrace& trace, const std::string& other) {
  std::string t = tmpl;
  for (const DigitCopy& c : trace.copies) t.replace(c.out, c.len, other, c.in, c.len);
  return t;
}

TEST(NormalizeShapeTraceTest, ReusableTemplatesHoldForOtherDigitValues) {
  std::vector<std::string> lines = AllLabeledLines();
  ASSERT_GT(lines.size(), 10000u);
  std::uint64_t rng = 42;
  auto next = [&rng] {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>(rng >> 33);
  };
  std::size_t reusable = 0, with_copies = 0;
  std::string t, u;
  ShapeTrace trace, trace2;
  for (const std::string& l : lines) {
    NormalizeLineInto(l, &t, &trace);
    EXPECT_EQ(t, NormalizeLine(l));
    if (!trace.reusable) continue;
    ++reusable;
    if (!trace.copies.empty()) ++with_copies;
    for (int trial = 0; trial < 6; ++trial) {
      std::string m = l;
      for (char& c : m)
        if (c >= '0' && c <= '9') c = static_cast<char>('0' + next() % 10);
      NormalizeLineInto(m, &u, &trace2);
      ASSERT_EQ(u, Rebuild(t, trace, m)) << "shape trace does not predict the template:\n  " << l << "\n  " << m;
      EXPECT_TRUE(trace2.reusable) << m;
    }
  }
  // Most lines' templates are a function of their shape and copied digits.
  EXPECT_GT(reusable, lines.size() / 2);
  EXPECT_GT(with_copies, 100u);
  // Each value check is seen: the twins are not reusable.
  const auto& twins = DigitValueTwins();
  for (std::size_t i = 0; i + 1 < twins.size(); i += 2) {
    EXPECT_EQ(twins[i].size(), twins[i + 1].size());
    EXPECT_NE(NormalizeLine(twins[i]), NormalizeLine(twins[i + 1])) << twins[i];
    NormalizeLineInto(twins[i], &t, &trace);
    if (twins[i].rfind("exit code", 0) == 0) {  // a kept number: reusable through its copy
      EXPECT_TRUE(trace.reusable);
      ASSERT_EQ(trace.copies.size(), 1u);
      EXPECT_EQ(Rebuild(t, trace, twins[i + 1]), NormalizeLine(twins[i + 1]));
    } else {
      EXPECT_FALSE(trace.reusable) << twins[i];
    }
  }
}

// Add (which may skip normalization through the shape cache) reports exactly
// what normalizing every line and adding its template reports.
TEST(TemplateMinerShapeCacheTest, SameResultsAsNormalizingEveryLine) {
  std::vector<std::string> lines = AllLabeledLines();
  TemplateMiner cached, plain;
  std::string t;
  for (int pass = 0; pass < 2; ++pass)  // the second pass hits the caches
    for (const std::string& l : lines) {
      MinedLine a = cached.Add(l);
      std::string a_text(a.template_text);
      NormalizeLineInto(l, &t);
      MinedLine b = plain.AddTemplate(t);
      ASSERT_EQ(a.fingerprint, b.fingerprint) << l;
      ASSERT_EQ(a_text, b.template_text) << l;
    }
}

// ---- the fuzz seed corpus runs under gcc too ----

TEST(NormalizeCorpusTest, EverySeedNormalizesAndIsStable) {
  const char* root = std::getenv("SENTINEL_SOURCE_DIR");
  fs::path dir = fs::path(root ? root : ".") / "tests" / "fuzz" / "corpus" / "normalize";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  int n = 0;
  TemplateMiner miner;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string data = ss.str();
    std::string t = NormalizeLine(data);
    EXPECT_EQ(t, NormalizeLine(data)) << e.path();
    EXPECT_LE(t.size(), data.size() * 8 + 16) << e.path();
    EXPECT_EQ(t.find('\n'), std::string::npos) << e.path();
    miner.Add(data);
    ++n;
  }
  EXPECT_GE(n, 10);
}

}  // namespace
}  // namespace sentinel::triage
