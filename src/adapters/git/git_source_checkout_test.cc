#include "adapters/git/git_source_checkout.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "adapters/git/git_exec.h"
#include "testing/scratch_dir.h"

namespace sentinel::adapters::git {
namespace {

namespace fs = std::filesystem;
using sentinel::testing::ReadFileOrEmpty;
using sentinel::testing::ScratchDir;
using sentinel::testing::WriteFileAll;

class GitSourceCheckoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteFileAll(dir_.Sub("src/README.md"), "# demo\n"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("src/lib/code.py"), "print('hi')\n"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("src/.gitignore"), "build/\n"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("src/build/artifact.o"), "junk"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("src/run.sh"), "#!/bin/sh\necho run\n"));
    ::chmod(dir_.Sub("src/run.sh").c_str(), 0755);
  }

  // `git args...` in the origin repository; its trimmed stdout.
  std::string GitIn(const std::string& repo, std::vector<std::string> args) {
    args.insert(args.begin(), {"-C", repo});
    auto r = RunGit(args, {}, {{"GIT_AUTHOR_NAME", "t"}, {"GIT_AUTHOR_EMAIL", "t@t"},
                               {"GIT_COMMITTER_NAME", "t"}, {"GIT_COMMITTER_EMAIL", "t@t"}}, 30'000);
    EXPECT_TRUE(r.has_value());
    if (!r) return {};
    EXPECT_EQ(r->exit_code, 0) << r->err;
    std::string out = r->out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  std::string Seed() {
    auto sha = git_->InitRepoFromDir(dir_.Sub("src"), dir_.Sub("origin"), "Seed demo");
    EXPECT_TRUE(sha.has_value()) << (sha ? "" : sha.error().message);
    return sha ? *sha : "";
  }

  ScratchDir dir_;
  std::unique_ptr<SourceCheckout> git_ = NewGitSourceCheckout();
};

TEST_F(GitSourceCheckoutTest, InitRepoFromDirIsDeterministicAndIdempotent) {
  std::string first = Seed();
  ASSERT_EQ(first.size(), 40u);
  // Same tree elsewhere: same sha (fixed identity and dates).
  auto again = git_->InitRepoFromDir(dir_.Sub("src"), dir_.Sub("other"), "Seed demo");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, first);
  // Same tree in the same repository: no new commit.
  auto same = git_->InitRepoFromDir(dir_.Sub("src"), dir_.Sub("origin"), "Seed demo");
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(*same, first);
  EXPECT_EQ(GitIn(dir_.Sub("origin"), {"rev-list", "--count", "HEAD"}), "1");
  EXPECT_EQ(GitIn(dir_.Sub("origin"), {"log", "-1", "--format=%an <%ae> %aI %s"}),
            "Sentinel Seed <seed@sentinel.invalid> 2026-01-01T00:00:00+00:00 Seed demo");
  EXPECT_EQ(GitIn(dir_.Sub("origin"), {"symbolic-ref", "HEAD"}), "refs/heads/main");
  // The tree: ignored files left out, the executable bit kept, dest's worktree filled.
  EXPECT_EQ(GitIn(dir_.Sub("origin"), {"ls-tree", "-r", "--format=%(objectmode) %(path)", "HEAD"}),
            "100644 .gitignore\n100644 README.md\n100644 lib/code.py\n100755 run.sh");
  EXPECT_EQ(ReadFileOrEmpty(dir_.Sub("origin/lib/code.py")), "print('hi')\n");
  EXPECT_FALSE(fs::exists(dir_.Sub("origin/build")));
}

TEST_F(GitSourceCheckoutTest, InitRepoFromDirCommitsAChangedTreeOnTop) {
  std::string first = Seed();
  ASSERT_TRUE(WriteFileAll(dir_.Sub("src/README.md"), "# demo v2\n"));
  fs::remove(dir_.Sub("src/lib/code.py"));
  auto second = git_->InitRepoFromDir(dir_.Sub("src"), dir_.Sub("origin"), "Seed demo");
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*second, first);
  EXPECT_EQ(GitIn(dir_.Sub("origin"), {"rev-list", "--count", "HEAD"}), "2");
  EXPECT_EQ(ReadFileOrEmpty(dir_.Sub("origin/README.md")), "# demo v2\n");
  EXPECT_FALSE(fs::exists(dir_.Sub("origin/lib/code.py")));
}

TEST_F(GitSourceCheckoutTest, InitRepoFromDirRefusesAForeignDirectory) {
  ASSERT_TRUE(WriteFileAll(dir_.Sub("taken/file"), "x"));
  auto r = git_->InitRepoFromDir(dir_.Sub("src"), dir_.Sub("taken"), "Seed");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  auto missing = git_->InitRepoFromDir(dir_.Sub("nope"), dir_.Sub("x"), "Seed");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(GitSourceCheckoutTest, ChecksOutDefaultBranchBranchTagAndSha) {
  std::string seed = Seed();
  const std::string origin = dir_.Sub("origin");
  GitIn(origin, {"tag", "v1"});
  GitIn(origin, {"checkout", "-q", "-b", "feature"});
  ASSERT_TRUE(WriteFileAll(origin + "/feature.txt", "feature\n"));
  GitIn(origin, {"add", "feature.txt"});
  GitIn(origin, {"commit", "-q", "-m", "feature"});
  std::string feature = GitIn(origin, {"rev-parse", "HEAD"});
  GitIn(origin, {"checkout", "-q", "main"});

  struct Case {
    std::string url, ref, want;
  } cases[] = {
      {origin, "", seed},
      {origin, "main", seed},
      {origin, "feature", feature},
      {origin, "v1", seed},
      {origin, feature, feature},
      {origin, feature.substr(0, 10), feature},
      {"file://" + origin, "feature", feature},
  };
  int i = 0;
  for (const auto& c : cases) {
    std::string ws = dir_.Sub("ws" + std::to_string(i++));
    auto sha = git_->Checkout(c.url, c.ref, ws);
    ASSERT_TRUE(sha.has_value()) << c.ref << ": " << sha.error().message;
    EXPECT_EQ(*sha, c.want) << c.ref;
    EXPECT_EQ(GitIn(ws, {"rev-parse", "HEAD"}), c.want) << c.ref;
    EXPECT_EQ(fs::exists(ws + "/feature.txt"), c.want == feature) << c.ref;
    EXPECT_EQ(ReadFileOrEmpty(ws + "/README.md"), "# demo\n");
  }
}

TEST_F(GitSourceCheckoutTest, UnknownRefIsInvalidArgumentAndLeavesNothing) {
  Seed();
  const std::string ws = dir_.Sub("ws");
  auto r = git_->Checkout(dir_.Sub("origin"), "no-such-branch", ws);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "ref 'no-such-branch' not found in " + dir_.Sub("origin"));
  EXPECT_FALSE(fs::exists(ws));

  auto dash = git_->Checkout(dir_.Sub("origin"), "--upload-pack=touch", ws);
  ASSERT_FALSE(dash.has_value());
  EXPECT_EQ(dash.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(GitSourceCheckoutTest, MissingRepositoryIsNotFoundWithGitsWords) {
  auto r = git_->Checkout(dir_.Sub("no-repo-here"), "", dir_.Sub("ws"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("cannot clone " + dir_.Sub("no-repo-here") + ": "), std::string::npos);
  EXPECT_NE(r.error().message.find("does not exist"), std::string::npos) << r.error().message;
  EXPECT_FALSE(fs::exists(dir_.Sub("ws")));
}

TEST_F(GitSourceCheckoutTest, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  auto r = git_->Checkout("git://127.0.0.1:1/demo.git", "", dir_.Sub("ws"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().message;
  EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
}

TEST_F(GitSourceCheckoutTest, NonEmptyWorkspaceIsRefused) {
  Seed();
  ASSERT_TRUE(WriteFileAll(dir_.Sub("ws/stale"), "x"));
  auto r = git_->Checkout(dir_.Sub("origin"), "", dir_.Sub("ws"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(fs::exists(dir_.Sub("ws/stale")));
}

}  // namespace
}  // namespace sentinel::adapters::git
