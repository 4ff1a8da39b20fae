#include "adapters/git/git_source_checkout.h"

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "adapters/git/git_exec.h"

namespace sentinel::adapters::git {
namespace {

namespace fs = std::filesystem;

// Seeded repositories must have the same sha on every machine, so the
// identity and the dates of their commits are fixed.
const std::map<std::string, std::string>& SeedIdentity() {
  static const std::map<std::string, std::string> env = {
      {"GIT_AUTHOR_NAME", "Sentinel Seed"},       {"GIT_AUTHOR_EMAIL", "seed@sentinel.invalid"},
      {"GIT_AUTHOR_DATE", "2026-01-01T00:00:00+00:00"}, {"GIT_COMMITTER_NAME", "Sentinel Seed"},
      {"GIT_COMMITTER_EMAIL", "seed@sentinel.invalid"}, {"GIT_COMMITTER_DATE", "2026-01-01T00:00:00+00:00"},
  };
  return env;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

bool IsSha(const std::string& s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// A ref that may be an abbreviated or full commit id: `clone --branch` cannot take it.
bool MayBeSha(const std::string& s) {
  return s.size() >= 4 && s.size() <= 40 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::string ReadSmall(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) > (1 << 20)) return {};
  std::string out;
  if (FILE* f = std::fopen(p.c_str(), "rb")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

// The commit HEAD names in a fresh clone, read from the files git just wrote (a
// process less per run): a detached HEAD holds the id; a branch HEAD names a
// loose ref or one in packed-refs. "" when it is anything else (the caller then asks git).
std::string ReadHeadSha(const fs::path& git_dir) {
  std::string head = Trim(ReadSmall(git_dir / "HEAD"));
  if (IsSha(head)) return head;
  if (!head.starts_with("ref: refs/")) return {};
  const std::string ref = head.substr(5);
  if (ref.find("..") != std::string::npos) return {};
  std::string loose = Trim(ReadSmall(git_dir / ref));
  if (IsSha(loose)) return loose;
  const std::string packed = ReadSmall(git_dir / "packed-refs");
  size_t at = 0;
  while (at < packed.size()) {
    size_t end = packed.find('\n', at);
    if (end == std::string::npos) end = packed.size();
    std::string_view line(packed.data() + at, end - at);
    if (line.size() == 41 + ref.size() && line.substr(41) == ref && IsSha(std::string(line.substr(0, 40))))
      return std::string(line.substr(0, 40));
    at = end + 1;
  }
  return {};
}

bool IsEmptyDir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && fs::directory_iterator(p, ec) == fs::directory_iterator();
}

// git ran out of room for the workspace (disk, quota or file-size limit).
bool OutOfSpace(const std::string& err) {
  return err.find("No space left on device") != std::string::npos ||
         err.find("Disk quota exceeded") != std::string::npos || err.find("File too large") != std::string::npos;
}

// What a failed clone means for the caller: a repository that is not there
// will not appear by retrying; a full disk needs space freed first (kResourceExhausted);
// anything else (network, server) might pass on a retry.
ErrorCode ClassifyCloneFailure(const std::string& err) {
  if (OutOfSpace(err)) return ErrorCode::kResourceExhausted;
  static const char* kMissing[] = {"does not exist", "not found", "Not found", "not a git repository",
                                   "does not appear to be a git repository"};
  for (const char* needle : kMissing) {
    if (err.find(needle) != std::string::npos) return ErrorCode::kNotFound;
  }
  return ErrorCode::kUnavailable;
}

class GitSourceCheckout final : public SourceCheckout {
 public:
  explicit GitSourceCheckout(GitOptions options) : options_(options) {}

  Result<std::string> Checkout(const std::string& url, const std::string& ref, const std::string& dest_dir) override;
  Result<std::string> InitRepoFromDir(const std::string& src_dir, const std::string& dest_dir,
                                      const std::string& commit_message) override;

 private:
  Result<GitOutput> Git(const std::vector<std::string>& args, const std::string& cwd = {},
                        const std::map<std::string, std::string>& env = {}) {
    return RunGit(args, cwd, env, options_.timeout_ms);
  }
  // Runs git; a non-zero exit is kInternal "git <verb> failed <where>: <stderr>".
  // Returns stdout, trimmed.
  Result<std::string> GitOk(const std::vector<std::string>& args, const std::string& verb, const std::string& where,
                            const std::map<std::string, std::string>& env = {}) {
    auto r = Git(args, {}, env);
    if (!r) return Fail(r.error());
    if (r->exit_code != 0) {
      return Fail(ErrorCode::kInternal, "git " + verb + " failed " + where + ": " + StderrExcerpt(r->err));
    }
    return Trim(r->out);
  }

  GitOptions options_;
};

Result<std::string> GitSourceCheckout::Checkout(const std::string& url, const std::string& ref,
                                                const std::string& dest_dir) {
  if (url.empty()) return Fail(ErrorCode::kInvalidArgument, "repository url is empty", "url");
  if (!ref.empty() && (ref.front() == '-' || ref.find_first_of(" \t\n") != std::string::npos)) {
    return Fail(ErrorCode::kInvalidArgument, "ref '" + ref + "' is not a valid ref name", "ref");
  }
  std::error_code ec;
  const fs::path dest(dest_dir);
  const bool existed = fs::exists(dest, ec);
  if (existed && !IsEmptyDir(dest)) {
    return Fail(ErrorCode::kFailedPrecondition, "workspace '" + dest_dir + "' exists and is not empty");
  }
  // Leave nothing half-checked-out behind.
  auto cleanup = [&] {
    if (existed) {
      for (const auto& entry : fs::directory_iterator(dest, ec)) fs::remove_all(entry.path(), ec);
    } else {
      fs::remove_all(dest, ec);
    }
  };

  // The common case in one git process: clone and check out the default branch,
  // or a branch or tag by name (`--branch` prefers a branch, as the candidates below do).
  if (!MayBeSha(ref)) {
    std::vector<std::string> args = {"clone", "--no-hardlinks", "--quiet"};
    if (!ref.empty()) args.insert(args.end(), {"--branch", ref});
    args.insert(args.end(), {"--", url, dest_dir});
    auto fast = Git(args);
    if (!fast) {
      cleanup();
      return Fail(fast.error());
    }
    if (fast->exit_code == 0) {
      std::string sha = ReadHeadSha(dest / ".git");
      if (!IsSha(sha)) {
        auto r = Git({"-C", dest_dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"});
        if (r && r->exit_code == 0) sha = Trim(r->out);
      }
      if (IsSha(sha)) return sha;
    } else if (fast->err.find("Remote branch") == std::string::npos) {
      cleanup();
      return Fail(ClassifyCloneFailure(fast->err), "cannot clone " + url + ": " + StderrExcerpt(fast->err), "url");
    }
    // Not a branch or tag name (a commit id?) or an empty repository: the general
    // path below resolves it or says why not, in the words it always has.
    cleanup();
  }

  auto clone = Git({"clone", "--no-hardlinks", "--no-checkout", "--quiet", "--", url, dest_dir});
  if (!clone) {
    cleanup();
    return Fail(clone.error());
  }
  if (clone->exit_code != 0) {
    cleanup();
    return Fail(ClassifyCloneFailure(clone->err), "cannot clone " + url + ": " + StderrExcerpt(clone->err), "url");
  }

  std::vector<std::string> candidates;
  if (ref.empty()) {
    candidates = {"HEAD"};
  } else {
    candidates = {"refs/remotes/origin/" + ref, "refs/tags/" + ref, ref};
  }
  std::string sha;
  for (const auto& candidate : candidates) {
    auto r = Git({"-C", dest_dir, "rev-parse", "--verify", "--quiet", candidate + "^{commit}"});
    if (!r) {
      cleanup();
      return Fail(r.error());
    }
    if (r->exit_code == 0 && IsSha(Trim(r->out))) {
      sha = Trim(r->out);
      break;
    }
  }
  if (sha.empty()) {
    cleanup();
    if (ref.empty()) return Fail(ErrorCode::kFailedPrecondition, "repository " + url + " has no commits", "ref");
    return Fail(ErrorCode::kInvalidArgument, "ref '" + ref + "' not found in " + url, "ref");
  }
  auto co = Git({"-C", dest_dir, "checkout", "--quiet", "--detach", sha});
  if (!co || co->exit_code != 0) {
    cleanup();
    if (!co) return Fail(co.error());
    return Fail(OutOfSpace(co->err) ? ErrorCode::kResourceExhausted : ErrorCode::kInternal,
                "git checkout of " + sha + " failed: " + StderrExcerpt(co->err));
  }
  return sha;
}

Result<std::string> GitSourceCheckout::InitRepoFromDir(const std::string& src_dir, const std::string& dest_dir,
                                                       const std::string& commit_message) {
  std::error_code ec;
  if (!fs::is_directory(src_dir, ec)) {
    return Fail(ErrorCode::kInvalidArgument, "source directory '" + src_dir + "' does not exist", "src_dir");
  }
  const fs::path dest(dest_dir);
  const std::string git_dir = (dest / ".git").string();
  const bool is_repo = fs::exists(git_dir, ec);
  if (!is_repo) {
    if (fs::exists(dest, ec) && !IsEmptyDir(dest)) {
      return Fail(ErrorCode::kFailedPrecondition, "'" + dest_dir + "' exists, is not empty and is not a git repository");
    }
    fs::create_directories(dest, ec);
    if (ec) return Fail(ErrorCode::kFailedPrecondition, "cannot create '" + dest_dir + "': " + ec.message());
    auto init = GitOk({"-C", dest_dir, "init", "--quiet", "--initial-branch=main"}, "init", "in " + dest_dir);
    if (!init) return Fail(init.error());
  }
  const std::string src = fs::absolute(src_dir).lexically_normal().string();
  const std::string in_dest = "in " + dest_dir;
  // Stage src_dir's tree (src's own .gitignore applies) through a private
  // index, so dest's index still describes the old HEAD and the final
  // `reset --hard` removes files that left the tree. Commit only when the tree
  // differs from HEAD's, which keeps re-seeding idempotent.
  const std::map<std::string, std::string> seed_index = {{"GIT_INDEX_FILE", git_dir + "/sentinel-seed-index"}};
  auto add = GitOk({"--git-dir", git_dir, "--work-tree", src, "add", "--all", "."}, "add", in_dest, seed_index);
  if (!add) return Fail(add.error());
  auto tree = GitOk({"--git-dir", git_dir, "write-tree"}, "write-tree", in_dest, seed_index);
  fs::remove(git_dir + "/sentinel-seed-index", ec);
  if (!tree) return Fail(tree.error());
  auto head = Git({"--git-dir", git_dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"});
  if (!head) return Fail(head.error());
  const bool has_head = head->exit_code == 0;
  std::vector<std::string> commit_args = {"--git-dir", git_dir, "commit-tree", *tree};
  if (has_head) {
    auto head_tree = GitOk({"--git-dir", git_dir, "rev-parse", "HEAD^{tree}"}, "rev-parse", in_dest);
    if (!head_tree) return Fail(head_tree.error());
    if (*head_tree == *tree) return Trim(head->out);  // same tree: nothing to do
    commit_args.insert(commit_args.end(), {"-p", Trim(head->out)});
  }
  commit_args.insert(commit_args.end(), {"-m", commit_message.empty() ? std::string("Seed") : commit_message});
  auto commit = GitOk(commit_args, "commit-tree", in_dest, SeedIdentity());
  if (!commit) return Fail(commit.error());
  auto update = GitOk({"--git-dir", git_dir, "update-ref", "HEAD", *commit}, "update-ref", in_dest);
  if (!update) return Fail(update.error());
  auto reset = GitOk({"-C", dest_dir, "reset", "--quiet", "--hard", "HEAD"}, "reset", in_dest);
  if (!reset) return Fail(reset.error());
  return *commit;
}

}  // namespace

std::unique_ptr<SourceCheckout> NewGitSourceCheckout(GitOptions options) {
  return std::make_unique<GitSourceCheckout>(options);
}

}  // namespace sentinel::adapters::git
