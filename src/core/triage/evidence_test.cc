#include "core/triage/evidence.h"

#include <gtest/gtest.h>

#include "core/triage/triage_test_util.h"

namespace sentinel::triage {
namespace {

TEST(EvidenceTest, RootFirstThenContextThenCascadeLast) {
  const Kb& kb = testing::RealKb();
  std::string log =
      "-- Configuring done\n"
      "[ 50%] Building CXX object CMakeFiles/app.dir/main.cc.o\n"
      "/w/main.cc:5:3: error: 'undeclared_fn' was not declared in this scope\n"
      "    5 |   undeclared_fn();\n"
      "/w/main.cc:9:1: error: expected ';' before '}' token\n"
      "make[2]: *** [CMakeFiles/app.dir/build.make:76: CMakeFiles/app.dir/main.cc.o] Error 1\n"
      "make: *** [Makefile:91: all] Error 2\n";
  ScanResult scan = Scan(kb, log);
  std::vector<EvidenceLine> ev = ExtractEvidence(kb, log, scan);
  ASSERT_GE(ev.size(), 4u);
  EXPECT_EQ(ev[0].line, 3);
  EXPECT_EQ(ev[0].text, "/w/main.cc:5:3: error: 'undeclared_fn' was not declared in this scope");
  EXPECT_EQ(ev[1].line, 4);  // the caret/context line
  EXPECT_EQ(ev[2].line, 5);  // the follow-on compile error
  EXPECT_EQ(ev.back().line, 6);  // the make cascade, last
}

TEST(EvidenceTest, CappedOnAHugeLog) {
  const Kb& kb = testing::RealKb();
  std::string log;
  for (int i = 0; i < 200000; ++i) {
    log += "INFO step " + std::to_string(i) + " ok\n";
    if (i % 1000 == 7) log += "src/m" + std::to_string(i) + ".cc:1:1: error: bad\n";
  }
  ScanResult scan = Scan(kb, log);
  std::vector<EvidenceLine> ev = ExtractEvidence(kb, log, scan);
  EXPECT_LE(ev.size(), kMaxEvidenceLines);
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev[0].line, 9);
  EXPECT_EQ(ev[0].text, "src/m7.cc:1:1: error: bad");
}

TEST(EvidenceTest, TailEvidencePicksLastErrorLookingLinesInOrder) {
  std::string log = "start\nerror: early\nfine\nstill fine\nFATAL: deploy gate closed\nbye\n";
  std::vector<EvidenceLine> ev = TailEvidence(log, 6, 3);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].line, 2);
  EXPECT_EQ(ev[1].line, 5);
  EXPECT_EQ(ev[1].text, "FATAL: deploy gate closed");
  EXPECT_EQ(ev[2].line, 6);  // topped up with the last line
  // "terror" is not an error word; without error words the last lines are shown.
  ev = TailEvidence("a\nterror\n\nb\n", 4, 2);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].line, 2);
  EXPECT_EQ(ev[1].line, 4);
  EXPECT_TRUE(TailEvidence("", 0).empty());
}

TEST(EvidenceTest, StripAnsiKeepsLineNumbers) {
  std::string log = "\x1b[1;31merror\x1b[0m: x\nplain\n\x1b[32mok\x1b[0m\n";
  std::string clean = StripAnsi(log);
  EXPECT_EQ(clean, "error: x\nplain\nok\n");
  // A truncated escape at a line end never eats the newline.
  EXPECT_EQ(StripAnsi("a\x1b[31\nb\n"), "a\nb\n");
}

TEST(EvidenceTest, CleanForMatchingCutsRunnerTimestampsAndColours) {
  std::string out;
  EXPECT_FALSE(CleanForMatching("plain\nlog\n", &out));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(CleanForMatching("2026-11-27T10:00:01.1234567Z FAILED a\n2026-11-27T10:00:02Z \x1b[31mE   assert 1\x1b[0m\n"
                               "no stamp here\n2026-11-27 10:00:03,123  two spaces\n",
                               &out));
  EXPECT_EQ(out, "FAILED a\nE   assert 1\nno stamp here\n two spaces\n");
  ASSERT_TRUE(CleanForMatching("[10:00:01] make: *** [all] Error 2\n[10:00:02] done", &out));
  EXPECT_EQ(out, "make: *** [all] Error 2\ndone");
  // Not a timestamp: a version, a ratio, a time without a following blank.
  ASSERT_TRUE(CleanForMatching("10:00:01 x\n2026-11-27T10:00 y\n12:30:45:1 z\n", &out));
  EXPECT_EQ(out, "x\n2026-11-27T10:00 y\n12:30:45:1 z\n");
}

TEST(EvidenceTest, DisplayTextTrimsAndCutsOnUtf8Boundary) {
  EXPECT_EQ(DisplayText("x  \r"), "x");
  std::string long_line(kMaxEvidenceChars - 1, 'a');
  long_line += "é and more";
  std::string shown = DisplayText(long_line);
  EXPECT_LE(shown.size(), kMaxEvidenceChars + 3);
  EXPECT_EQ(shown.substr(shown.size() - 3), "…");
  EXPECT_EQ(shown.find("\xc3\xa9"), std::string::npos);  // the 2-byte char did not fit and was not split
}

}  // namespace
}  // namespace sentinel::triage
