#include "testing/fake_source_checkout.h"

#include <filesystem>

#include "testing/scratch_dir.h"

namespace sentinel::testing {

void FakeSourceCheckout::SetRepo(const std::string& url, std::map<std::string, std::string> files, std::string sha) {
  std::lock_guard lock(mu_);
  repos_[url] = Repo{std::move(files), std::move(sha)};
}

void FakeSourceCheckout::SetError(const std::string& url, Error error) {
  std::lock_guard lock(mu_);
  errors_[url] = std::move(error);
}

Result<std::string> FakeSourceCheckout::Checkout(const std::string& url, const std::string& ref,
                                                 const std::string& dest_dir) {
  Repo repo;
  {
    std::lock_guard lock(mu_);
    checkouts_.push_back({url, ref, dest_dir});
    if (auto e = errors_.find(url); e != errors_.end()) return Fail(e->second);
    auto it = repos_.find(url);
    if (it == repos_.end()) return Fail(ErrorCode::kNotFound, "cannot clone " + url + ": repository does not exist");
    repo = it->second;
  }
  if (!ref.empty() && ref != "main" && ref != repo.sha) {
    return Fail(ErrorCode::kInvalidArgument, "ref '" + ref + "' not found in " + url, "ref");
  }
  std::error_code ec;
  std::filesystem::create_directories(dest_dir, ec);
  for (const auto& [path, content] : repo.files) {
    if (!WriteFileAll(dest_dir + "/" + path, content)) {
      return Fail(ErrorCode::kInternal, "cannot write " + dest_dir + "/" + path);
    }
  }
  return repo.sha;
}

Result<std::string> FakeSourceCheckout::InitRepoFromDir(const std::string& src_dir, const std::string& dest_dir,
                                                        const std::string& commit_message) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(src_dir, ec)) {
    return Fail(ErrorCode::kInvalidArgument, "source directory '" + src_dir + "' does not exist", "src_dir");
  }
  std::map<std::string, std::string> files;
  for (auto it = fs::recursive_directory_iterator(src_dir, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) files[fs::relative(it->path(), src_dir, ec).string()] = ReadFileOrEmpty(it->path());
  }
  std::string sha = "5eed000000000000000000000000000000000000";
  SetRepo(dest_dir, std::move(files), sha);
  return sha;
}

}  // namespace sentinel::testing
