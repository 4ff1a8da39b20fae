// `sentinel fingerprint`: the real binary reading stdin (SENTINEL_BIN), and
// the FingerprintStream it is built on.
#include "cli/cmd_fingerprint.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/triage/fingerprint.h"
#include "core/triage/normalize.h"

namespace sentinel::cli {
namespace {

namespace fs = std::filesystem;

std::vector<nlohmann::json> ParseLines(const std::string& out) {
  std::vector<nlohmann::json> objs;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) objs.push_back(nlohmann::json::parse(line));
  return objs;
}

// Runs the binary with `input` on stdin; returns stdout, sets *rc.
std::string RunBinary(const std::string& args, const std::string& input, int* rc) {
  const char* bin = std::getenv("SENTINEL_BIN");
  if (bin == nullptr) {
    ADD_FAILURE() << "SENTINEL_BIN is not set (run through ctest)";
    return {};
  }
  fs::path dir = fs::temp_directory_path() / ("sentinel-fp-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" + std::to_string(std::rand()));
  fs::create_directories(dir);
  fs::path in = dir / "in.log", out = dir / "out.jsonl";
  {
    std::ofstream f(in, std::ios::binary);
    f << input;
  }
  std::string cmd = std::string("'") + bin + "' fingerprint " + args + " < '" + in.string() + "' > '" + out.string() + "'";
  int status = std::system(cmd.c_str());
  *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream f(out, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  fs::remove_all(dir);
  return ss.str();
}

TEST(FingerprintCommandTest, WritesOneJsonObjectPerInputLineInOrder) {
  std::string input =
      "2024-01-02T03:04:05Z connect to 127.0.0.1:5432 failed after 120ms: ECONNREFUSED\n"
      "2026-11-27T22:17:57Z connect to 10.0.3.7:6379 failed after 3s: ECONNREFUSED\n"
      "\n"
      "/tmp/build-a1/src/foo.cc:12:5: error: 'x' was not declared in this scope\n"
      "say \"hi\"\\ now\tdone\n"
      "no trailing newline 42";
  int rc = -1;
  std::string out = RunBinary("", input, &rc);
  ASSERT_EQ(rc, 0);
  auto objs = ParseLines(out);
  ASSERT_EQ(objs.size(), 6u) << out;
  for (const auto& o : objs) {
    ASSERT_TRUE(o.contains("fingerprint") && o.contains("template")) << o.dump();
    std::string fp = o["fingerprint"];
    EXPECT_EQ(fp.size(), 16u);
  }
  EXPECT_EQ(objs[0]["fingerprint"], objs[1]["fingerprint"]);
  EXPECT_EQ(objs[0]["template"], "<TS> connect to <IP> failed after <DUR>: ECONNREFUSED");
  EXPECT_EQ(objs[2]["template"], "");
  EXPECT_EQ(objs[3]["template"], "<PATH>/foo.cc:12:5: error: 'x' was not declared in this scope");
  EXPECT_EQ(objs[4]["template"], "say \"hi\"\\ now done");
  EXPECT_EQ(objs[5]["template"], "no trailing newline <NUM>");
  EXPECT_NE(objs[0]["fingerprint"], objs[3]["fingerprint"]);
}

TEST(FingerprintCommandTest, MergesVaryingWordsAndKeepsSameTemplateSameFingerprint) {
  std::string input;
  const char* users[] = {"root", "alice", "bob", "carol"};
  for (int i = 0; i < 40; ++i)
    input += "session opened for user " + std::string(users[i % 4]) + " by uid " + std::to_string(i) + "\n";
  input += "disk full on /dev/sda1: ENOSPC\n";
  int rc = -1;
  auto objs = ParseLines(RunBinary("", input, &rc));
  ASSERT_EQ(rc, 0);
  ASSERT_EQ(objs.size(), 41u);
  for (int i = 1; i < 40; ++i) EXPECT_EQ(objs[i]["fingerprint"], objs[0]["fingerprint"]) << i;
  EXPECT_EQ(objs[39]["template"], "session opened for user <*> by uid <NUM>");
  EXPECT_NE(objs[40]["fingerprint"], objs[0]["fingerprint"]);
  std::unordered_map<std::string, std::string> seen;
  for (const auto& o : objs) {
    auto [it, fresh] = seen.emplace(o["template"], o["fingerprint"]);
    EXPECT_EQ(it->second, o["fingerprint"].get<std::string>());
  }
}

TEST(FingerprintCommandTest, PureModeMatchesNormalizeLine) {
  std::string input = "session opened for user root by uid 0\nsession opened for user alice by uid 1000\n";
  int rc = -1;
  auto objs = ParseLines(RunBinary("--pure", input, &rc));
  ASSERT_EQ(rc, 0);
  ASSERT_EQ(objs.size(), 2u);
  std::string t = triage::NormalizeLine("session opened for user alice by uid 1000");
  EXPECT_EQ(objs[1]["template"], t);
  EXPECT_EQ(objs[1]["fingerprint"], triage::FingerprintHex(t));
  EXPECT_NE(objs[0]["fingerprint"], objs[1]["fingerprint"]);
}

TEST(FingerprintCommandTest, RejectsABadOption) {
  int rc = 0;
  RunBinary("--similarity 7", "x\n", &rc);
  EXPECT_NE(rc, 0);
}

TEST(FingerprintStreamTest, SplitsLinesAcrossChunksAndEscapesJson) {
  FingerprintStream s;
  std::string out;
  s.Feed("first ch", &out);
  EXPECT_TRUE(out.empty());
  s.Feed("unk 1\nsecond\r\nbad \xff byte", &out);
  s.Finish(&out);
  auto objs = ParseLines(out);
  ASSERT_EQ(objs.size(), 3u) << out;
  EXPECT_EQ(objs[0]["template"], "first chunk <NUM>");
  EXPECT_EQ(objs[1]["template"], "second");
  EXPECT_EQ(objs[2]["template"], "bad \xEF\xBF\xBD byte");  // invalid UTF-8 replaced, JSON stays valid
}

TEST(FingerprintStreamTest, CutsOverlongLines) {
  FingerprintStream s(/*pure=*/true);
  std::string out;
  std::string chunk(1 << 16, 'a');
  for (int i = 0; i < 40; ++i) s.Feed(chunk, &out);  // 2.5 MiB without a newline
  s.Feed("\nnext\n", &out);
  auto objs = ParseLines(out);
  ASSERT_EQ(objs.size(), 2u);
  EXPECT_EQ(objs[0]["template"].get<std::string>().size(), FingerprintStream::kMaxLine);
  EXPECT_EQ(objs[1]["template"], "next");
}

TEST(FingerprintStreamTest, JsonEscaping) {
  std::string out;
  AppendJsonEscaped(std::string("a\"b\\c\x01\xe2\x82\xac", 9), &out);
  EXPECT_EQ(out, "a\\\"b\\\\c\\u0001\xe2\x82\xac");
}

}  // namespace
}  // namespace sentinel::cli
