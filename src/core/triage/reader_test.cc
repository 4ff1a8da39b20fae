#include "core/triage/reader.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sentinel::triage {
namespace {

std::size_t Lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(ReaderTest, PlainLogIsNotCopied) {
  std::string out;
  EXPECT_FALSE(ReadLog("gcc -c a.c\na.c:3:5: error: expected ';' before 'return'\n\tindented\n", &out));
  EXPECT_TRUE(out.empty());
}

TEST(ReaderTest, AnsiColoursAndCrlfAreRemoved) {
  EXPECT_EQ(CleanLine("\x1b[31;1mThe command \"npm test\" exited with 1.\x1b[0m\r"),
            "The command \"npm test\" exited with 1.");
  // OSC hyperlinks (cargo, ls --hyperlink) and two-byte escapes.
  EXPECT_EQ(CleanLine("\x1b]8;;file:///src/main.rs\x07src/main.rs\x1b]8;;\x07:3:5 \x1b(Berror"), "src/main.rs:3:5 error");
}

TEST(ReaderTest, StringControlsAreRemovedWhole) {
  // Buildkite's agent writes its timestamp before every line as an APC string (ESC _ ... BEL).
  EXPECT_EQ(CleanLine("\x1b_bk;t=1734905434683\x07main.f90:3:7: Error: Symbol 'x' has no IMPLICIT type"),
            "main.f90:3:7: Error: Symbol 'x' has no IMPLICIT type");
  // ... terminated by ST (ESC backslash) as well, and DCS / PM / SOS strings alike.
  EXPECT_EQ(CleanLine("\x1b_bk;t=1\x1b\\\x1bPq#0\x1b\\FAIL: \x1b^pm\x07x\x1bXsos\x07y"), "FAIL: xy");
}

TEST(ReaderTest, CarriageReturnRedrawsKeepTheLastFrame) {
  // A progress bar redrawn in place, then the result.
  EXPECT_EQ(CleanLine("Downloading  10%\rDownloading  55%\rDownloading 100%\r\r"), "Downloading 100%");
  // php's run-tests redraws "TEST n/m" and blanks it: the last visible frame stays.
  EXPECT_EQ(CleanLine("TEST 794/13884 [2/2 concurrent test workers running]\r          \r"),
            "TEST 794/13884 [2/2 concurrent test workers running]");
  // travis folds: the markers are frames of their own.
  EXPECT_EQ(CleanLine("travis_fold:start:install\r\x1b[0Ktravis_time:start:0a1b2c\r\x1b[0K$ npm install"), "$ npm install");
}

TEST(ReaderTest, TravisMarkersBeforeTextAreRemoved) {
  EXPECT_EQ(CleanLine("travis_time:end:0551123a:start=1557233958953031825,finish=1557234615552502510,duration=656599470685"
                      "\x1b[0K\x1b[31;1mThe command \"make test\" exited with 2.\x1b[0m"),
            "The command \"make test\" exited with 2.");
  EXPECT_EQ(CleanLine("travis_fold:end:cache.2\r\x1b[0K"), "");
}

TEST(ReaderTest, GithubActionsTimestampsAndGroupsAreRemoved) {
  std::string out;
  ASSERT_TRUE(ReadLog("2024-01-01T00:00:00.0000000Z ##[group]Run npm test\n"
                      "2024-01-01T00:00:01.1234567Z > jest\n"
                      "2024-01-01T00:00:02.0000000Z ##[endgroup]\n"
                      "2024-01-01T00:00:03.0000000Z ##[error]Process completed with exit code 1.\n",
                      &out));
  EXPECT_EQ(out, "Run npm test\n> jest\n\n##[error]Process completed with exit code 1.\n");
  // A stamp on a later line only (a preamble without one) is still the runner's.
  ASSERT_TRUE(ReadLog("Current runner version: '2.311.0'\n2024-01-01T00:00:03.5Z ::group::Run make\n", &out));
  EXPECT_EQ(out, "Current runner version: '2.311.0'\nRun make\n");
}

TEST(ReaderTest, ShortTimestampsOnlyWhenEveryLineHasThem) {
  std::string out;
  ASSERT_TRUE(ReadLog("[10:00:01] make: *** [all] Error 2\n[10:00:02] done", &out));
  EXPECT_EQ(out, "make: *** [all] Error 2\ndone");
  // gulp prints "[16:21:57] 'lint' errored" on some lines: not a runner's stamp.
  EXPECT_FALSE(ReadLog("> gulp lint\n[16:21:57] 'lint' errored after 36 s\n", &out));
}

TEST(ReaderTest, LineCountIsKeptAndBinaryLinesEmptied) {
  std::string raw = "a\n";
  raw += std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f", 12) + "PK\x03\x04\n";
  raw += std::string(10000, 'x') + "\nlast";
  std::string out;
  ASSERT_TRUE(ReadLog(raw, &out));
  EXPECT_EQ(Lines(out), Lines(raw));
  EXPECT_EQ(out.substr(0, 3), "a\n\n");
  EXPECT_EQ(out.find('\n', 3) - 3, kMaxCleanLineBytes);
  EXPECT_EQ(out.substr(out.size() - 4), "last");
}

TEST(ReaderTest, LongLinesAreCutOnAUtf8Boundary) {
  std::string raw(kMaxCleanLineBytes - 1, 'a');
  raw += "é";
  const std::string out = CleanLine(raw);
  EXPECT_EQ(out.size(), kMaxCleanLineBytes - 1);
}

}  // namespace
}  // namespace sentinel::triage
