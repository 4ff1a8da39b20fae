#include "core/triage/normalize.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/triage/fingerprint.h"

namespace sentinel::triage {
namespace {

struct Case {
  const char* name;
  std::string in;
  std::string want;
};

TEST(NormalizeTest, MasksEachKindOfVaryingValue) {
  const std::vector<Case> cases = {
      {"integer", "started job 1234 in 12ms", "started job <NUM> in <DUR>"},
      {"durations", "took 1.5s total 3m20s", "took <DUR> total <DUR>"},
      {"size and decimal", "wrote 4.5MB in 0.3 s", "wrote <SIZE> in <NUM> s"},
      {"percent", "coverage 87% done", "coverage <NUM>% done"},
      {"hex literal", "fault at 0x7ffd5a3b2c10", "fault at <HEX>"},
      {"hash", "commit a3f9c2e1b7d", "commit <HEX>"},
      {"uuid", "id 123e4567-e89b-12d3-a456-426614174000 done", "id <UUID> done"},
      {"uuid inside a word", "req-123e4567-e89b-12d3-a456-426614174000 ok", "req-<UUID> ok"},
      {"ipv4 with port", "connect 10.1.2.3:8080 refused", "connect <IP> refused"},
      {"ipv6", "listen [::1]:5432 and fe80::1ff:fe23:4567:890a", "listen [<IP>]:<NUM> and <IP>"},
      {"iso timestamp", "2024-01-02T03:04:05.123Z ready", "<TS> ready"},
      {"date and time with comma", "2024-01-02 03:04:05,123 INFO ready", "<TS> INFO ready"},
      {"syslog timestamp and pid", "Nov 27 22:17:57 host sshd[1234]: ready", "<TS> host sshd[<NUM>]: ready"},
      {"apache timestamp", "[Sun Dec 04 04:47:44 2005] [error] boom", "[<TS>] [error] boom"},
      {"access log timestamp", "[27/Nov/2026:22:17:57 +0000] GET", "[<TS>] GET"},
      {"android timestamp", "03-17 16:13:38.811 1702 D tag", "<TS> <NUM> D tag"},
      {"temp path keeps file name", "open /tmp/tmpa8d9f2x1/data.bin failed", "open <PATH>/data.bin failed"},
      {"ids in words", "blk_-1608999687919862906 on worker-7", "blk_<NUM> on worker-<NUM>"},
      {"random id segment", "pod web-x2k4j9 restarted", "pod web-<ID> restarted"},
      {"key=value", "worker pid=4242 user=alice", "worker pid=<NUM> user=alice"},
      {"progress bar", "[=====>      ] 45% eta 3m20s", "[<BAR>] <NUM>% eta <DUR>"},
      {"banner width", "========= 3 failed, 2 passed in 0.12s =========",
       "=== <NUM> failed, <NUM> passed in <DUR> ==="},
      {"gtest banner is not a bar", "[==========] Running 5 tests", "[===] Running <NUM> tests"},
      {"bracket padding", "test_a.py ..F [ 50%]", "test_a.py ..F [<NUM>%]"},
      {"whitespace collapses", "  a \t b   c  ", "a b c"},
      {"version", "using gcc 12.2.0", "using gcc <NUM>"},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeLine(c.in), c.want) << c.name << ": " << c.in;
}

TEST(NormalizeTest, StripsAnsiColoursAndCarriageReturnRedraws) {
  EXPECT_EQ(NormalizeLine("\x1b[31mFAILED\x1b[0m tests/test_a.py::test_b"), "FAILED tests/test_a.py::test_b");
  EXPECT_EQ(NormalizeLine("\x1b]0;title\x07plain"), "plain");
  EXPECT_EQ(NormalizeLine("10%\r50%\r100% done\r"), "<NUM>% done");
}

TEST(NormalizeTest, KeepsTokensThatCarryMeaning) {
  const std::vector<Case> cases = {
      {"errno name", "write failed: ENOSPC (No space left on device)",
       "write failed: ENOSPC (No space left on device)"},
      {"exit code and signal", "process exited with code 137 after SIGKILL",
       "process exited with code 137 after SIGKILL"},
      {"exit status key", "job finished exit_code=3", "job finished exit_code=3"},
      {"http status after request", "\"GET /x HTTP/1.1\" 404 153", "\"GET /x HTTP/<NUM>\" 404 <NUM>"},
      {"http status with reason", "returned 503 Service Unavailable", "returned 503 Service Unavailable"},
      {"make error", "make: *** [Makefile:3: all] Error 2", "make: *** [Makefile:3: all] Error 2"},
      {"rust error code", "error[E0425]: cannot find value `x`", "error[E0425]: cannot find value `x`"},
      {"status words", "step started, then paused and stopped; 3 passed 1 failed",
       "step started, then paused and stopped; <NUM> passed <NUM> failed"},
      {"exception type", "java.lang.NullPointerException: boom", "java.lang.NullPointerException: boom"},
      {"test id", "FAILED tests/test_api.py::test_create_2 - AssertionError",
       "FAILED tests/test_api.py::test_create_2 - AssertionError"},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeLine(c.in), c.want) << c.name << ": " << c.in;
}

TEST(NormalizeTest, SourcePathsKeepFileNameAndLine) {
  EXPECT_EQ(NormalizeLine("/tmp/build-x81k2/src/foo.cc:12:5: error: boom"), "<PATH>/foo.cc:12:5: error: boom");
  EXPECT_EQ(NormalizeLine("src/core/foo.cc:12:5: warning: unused"), "src/core/foo.cc:12:5: warning: unused");
  EXPECT_EQ(NormalizeLine("  File \"/home/runner/work/app/test_x.py\", line 42, in test_y"),
            "File \"<PATH>/test_x.py\", line 42, in test_y");
  EXPECT_EQ(NormalizeLine("    at Object.<anonymous> (/home/u/x/test.js:12:5)"),
            "at Object.<anonymous> (<PATH>/test.js:12:5)");
  EXPECT_EQ(NormalizeLine("at com.acme.Foo.bar(Foo.java:123)"), "at com.acme.Foo.bar(Foo.java:123)");
}

// The same failure on another day, machine, port, pid and temp dir.
TEST(NormalizeTest, SameFailureAcrossRunsHasOneFingerprint) {
  const std::vector<std::pair<std::string, std::string>> same = {
      {"2024-01-02T03:04:05Z ERROR connect to 127.0.0.1:5432 failed after 120ms (pid 4242): ECONNREFUSED",
       "2026-11-27T22:17:57.981Z ERROR connect to 10.0.3.7:61234 failed after 3s (pid 17): ECONNREFUSED"},
      {"/tmp/pytest-of-root/pytest-3/test_a0/work/x.py:12: AssertionError: assert 3 == 4",
       "/home/runner/_work/tmp/pytest-of-runner/pytest-19/test_a0/work/x.py:12: AssertionError: assert 5 == 9"},
      {"segfault at 0x7f3a2b1c0000 ip 00007f3a2b1c1234 sp 00007ffd5a3b2c10 error 4 in libfoo.so",
       "segfault at 0x55d0c0de0000 ip 000055d0c0de9999 sp 00007ffe00000010 error 4 in libfoo.so"},
      {"[12:00:01] Downloading dep-1.2.3.tgz (4.5MB) [#####     ] 50%",
       "[23:59:59] Downloading dep-2.0.0.tgz (812KiB) [##########] 100%"},
  };
  for (const auto& [a, b] : same) {
    EXPECT_EQ(NormalizeLine(a), NormalizeLine(b)) << a << "\n" << b;
    EXPECT_EQ(FingerprintHex(NormalizeLine(a)), FingerprintHex(NormalizeLine(b)));
  }
}

TEST(NormalizeTest, DifferentFailuresHaveDifferentFingerprints) {
  const std::vector<std::pair<std::string, std::string>> different = {
      {"write failed: ENOSPC", "write failed: EACCES"},
      {"process exited with code 1", "process exited with code 137"},
      {"killed by SIGKILL", "killed by SIGSEGV"},
      {"test_a passed", "test_a failed"},
      {"/tmp/x/foo.cc:12:5: error: boom", "/tmp/x/bar.cc:12:5: error: boom"},
      {"/tmp/x/foo.cc:12:5: error: boom", "/tmp/x/foo.cc:13:5: error: boom"},
      {"GET /x -> 404 Not Found", "GET /x -> 500 Internal Server Error"},
  };
  for (const auto& [a, b] : different)
    EXPECT_NE(FingerprintHex(NormalizeLine(a)), FingerprintHex(NormalizeLine(b))) << a << " vs " << b;
}

TEST(NormalizeTest, IsIdempotentOnItsOwnOutput) {
  for (const char* line : {"2024-01-02T03:04:05Z ERROR connect to 127.0.0.1:5432 failed after 120ms",
                           "/tmp/build-x81k2/src/foo.cc:12:5: error: boom", "[=====>      ] 45% eta 3m20s",
                           "user=alice pid=12 blk_-123 0xdeadbeef"}) {
    std::string once = NormalizeLine(line);
    EXPECT_EQ(NormalizeLine(once), once) << line;
  }
}

TEST(NormalizeTest, EdgeInputsDoNotBreak) {
  EXPECT_EQ(NormalizeLine(""), "");
  EXPECT_EQ(NormalizeLine("   \t  "), "");
  EXPECT_EQ(NormalizeLine("\x1b"), "");
  EXPECT_EQ(NormalizeLine("\x1b["), "");
  EXPECT_EQ(NormalizeLine("["), "[");
  EXPECT_EQ(NormalizeLine("/"), "/");
  EXPECT_EQ(NormalizeLine("a\0b"), "a");  // string literal stops at NUL
  std::string nul("a\0b", 3);
  EXPECT_EQ(NormalizeLine(nul), "a b");  // control bytes separate words
  std::string utf8 = "caf\xc3\xa9 \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88 ok";
  EXPECT_EQ(NormalizeLine(utf8), "caf\xc3\xa9 <BAR> ok");
  std::string reuse = "stale";
  NormalizeLineInto("x 1", &reuse);
  EXPECT_EQ(reuse, "x <NUM>");
}

TEST(FingerprintTest, IsSixteenLowercaseHexDigitsSeededByVersion) {
  std::string fp = FingerprintHex("a template");
  ASSERT_EQ(fp.size(), 16u);
  for (char c : fp) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << fp;
  EXPECT_EQ(fp, FingerprintHex("a template"));
  EXPECT_NE(fp, FingerprintHex("another template"));
  char buf[16];
  FormatFingerprint(0x00000000000000ffULL, buf);
  EXPECT_EQ(std::string(buf, 16), "00000000000000ff");
  FormatFingerprint(Fingerprint64("a template"), buf);
  EXPECT_EQ(std::string(buf, 16), fp);
  static_assert(kNormalizerVersion >= 1);
}

}  // namespace
}  // namespace sentinel::triage
