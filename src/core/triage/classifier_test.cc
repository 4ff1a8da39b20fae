#include "core/triage/classifier.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "core/triage/evidence.h"

namespace sentinel::triage {
namespace {

Kb SmallKb() {
  Result<Kb> kb = Kb::Compile(R"(version: t1
signatures:
  - id: compile
    category: compilation_error
    priority: 50
    title: "Compile error in {file}"
    hint: h
    remediation: [r]
    patterns: ['(?P<file>\S+\.cc):\d+:\d+: error: ']
    example: 'a.cc:1:2: error: x'
  - id: make
    category: compilation_error
    priority: 10
    cascade: true
    title: t
    hint: h
    remediation: [r]
    patterns: ['make(?:\[\d+\])?: \*\*\* \[.*\] Error \d+']
    example: 'make: *** [all] Error 2'
  - id: dns
    category: network_dns
    priority: 88
    title: t
    hint: h
    remediation: [r]
    patterns: ['Could not resolve host: (?P<host>\S+)']
    example: 'Could not resolve host: x'
  - id: refused
    category: network_error
    priority: 88
    title: t
    hint: h
    remediation: [r]
    patterns: ['Connection refused']
    example: 'Connection refused'
)");
  EXPECT_TRUE(kb) << kb.error().message;
  return std::move(*kb);
}

TEST(ClassifierTest, NothingMatchesOnCleanLog) {
  Kb kb = SmallKb();
  ScanResult r = Scan(kb, "all good\n100% tests passed\n");
  EXPECT_EQ(r.winner, -1);
  EXPECT_TRUE(r.matches.empty());
  EXPECT_EQ(r.total_lines, 2);
  EXPECT_EQ(Scan(kb, "").total_lines, 0);
  EXPECT_EQ(Scan(kb, "no newline").total_lines, 1);
}

TEST(ClassifierTest, RootErrorBeatsItsCascadeAndLinesAreOneBased) {
  Kb kb = SmallKb();
  std::string log = "cmake -B build\n[ 50%] Building\nsrc/a.cc:3:5: error: 'x' was not declared\n"
                    "make[2]: *** [a.o] Error 1\nmake: *** [all] Error 2\n";
  ScanResult r = Scan(kb, log);
  ASSERT_GE(r.winner, 0);
  const SignatureMatch& w = r.matches[r.winner];
  EXPECT_EQ(kb.signature(w.signature).id, "compile");
  EXPECT_EQ(w.first().line, 3);
  EXPECT_EQ(LineText(log, w.first().line_begin, w.first().line_end), "src/a.cc:3:5: error: 'x' was not declared");
  EXPECT_EQ(Captures(kb, log, w.first()).at("file"), "src/a.cc");
}

TEST(ClassifierTest, CascadeAloneStillExplainsTheLog) {
  Kb kb = SmallKb();
  ScanResult r = Scan(kb, "building\nmake: *** [all] Error 2\n");
  ASSERT_GE(r.winner, 0);
  EXPECT_EQ(kb.signature(r.matches[r.winner].signature).id, "make");
}

TEST(ClassifierTest, HigherPriorityWinsThenEarliestOnTies) {
  Kb kb = SmallKb();
  // DNS (88) outranks the compile error (50) wherever it is.
  ScanResult r = Scan(kb, "a.cc:1:1: error: boom\nfetching\nCould not resolve host: x.invalid\n");
  EXPECT_EQ(kb.signature(r.matches[r.winner].signature).id, "dns");
  // Equal priority: the earlier line wins.
  r = Scan(kb, "Connection refused\nCould not resolve host: y\n");
  EXPECT_EQ(kb.signature(r.matches[r.winner].signature).id, "refused");
  r = Scan(kb, "Could not resolve host: y\nConnection refused\n");
  EXPECT_EQ(kb.signature(r.matches[r.winner].signature).id, "dns");
}

TEST(ClassifierTest, WinnerHitsAreCappedPerPatternOthersKeepTheirFirst) {
  Kb kb = SmallKb();
  std::string log;
  for (int i = 0; i < 50; ++i) log += "f" + std::to_string(i) + ".cc:1:1: error: e\n";
  log += "Connection refused\n";
  ScanResult r = Scan(kb, log);
  // refused (88) wins; compile keeps only its first hit.
  const SignatureMatch& w = r.matches[r.winner];
  EXPECT_EQ(kb.signature(w.signature).id, "refused");
  EXPECT_EQ(w.first().line, 51);
  for (const SignatureMatch& m : r.matches)
    if (&m != &w) {
      EXPECT_EQ(m.hits.size(), 1u);
    }
  r = Scan(kb, log.substr(0, log.size() - 19));
  EXPECT_EQ(r.matches[r.winner].hits.size(), static_cast<std::size_t>(kMaxHitsPerPattern));
  EXPECT_EQ(r.matches[r.winner].hits.back().line, kMaxHitsPerPattern);
}

TEST(ClassifierTest, CrLfLinesAndNoFinalNewline) {
  Kb kb = SmallKb();
  std::string log = "one\r\ntwo\r\nConnection refused\r\nlast";
  ScanResult r = Scan(kb, log);
  ASSERT_GE(r.winner, 0);
  EXPECT_EQ(r.matches[r.winner].first().line, 3);
  EXPECT_EQ(LineText(log, r.matches[r.winner].first().line_begin, r.matches[r.winner].first().line_end),
            "Connection refused");
  EXPECT_EQ(r.total_lines, 4);
}

TEST(ClassifierTest, CountNewlinesAgreesWithAByteCount) {
  // Lengths and offsets around the 8-byte words and the 255-word fold, dense
  // and sparse newlines, and bytes that differ from '\n' in one bit.
  std::mt19937 rng(7);
  const char alphabet[] = {'\n', '\x0b', '\x08', '\x8a', 'a', '\r', '\0', '\xff'};
  for (int density : {1, 3, 60}) {
    std::string text;
    for (int i = 0; i < 5000; ++i)
      text += static_cast<int>(rng() % static_cast<unsigned>(density)) == 0 ? '\n' : alphabet[1 + rng() % 7];
    for (std::size_t off : {0u, 1u, 7u}) {
      for (std::size_t len : {0u, 1u, 7u, 8u, 9u, 2039u, 2040u, 2041u, 4080u, 4993u}) {
        std::string_view s = std::string_view(text).substr(off, len);
        EXPECT_EQ(CountNewlines(s), static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')))
            << "density " << density << " offset " << off << " length " << len;
      }
    }
  }
  EXPECT_EQ(CountNewlines(std::string(3000, '\n')), 3000u);
}

}  // namespace
}  // namespace sentinel::triage
