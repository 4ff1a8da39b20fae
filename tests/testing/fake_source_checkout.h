#pragma once
// A SourceCheckout for the worker's tests: no git. A url is registered with
// the files of its tree and the sha to report; Checkout writes those files
// into dest_dir and records the call. Unregistered urls fail like a missing
// repository; a registered error is returned as is. Thread-safe.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "ports/source_checkout.h"

namespace sentinel::testing {

class FakeSourceCheckout : public SourceCheckout {
 public:
  // files: path relative to the tree -> content.
  void SetRepo(const std::string& url, std::map<std::string, std::string> files,
               std::string sha = "0123456789abcdef0123456789abcdef01234567");
  void SetError(const std::string& url, Error error);

  Result<std::string> Checkout(const std::string& url, const std::string& ref, const std::string& dest_dir) override;
  // Registers dest_dir as a url whose tree is src_dir's files (read now).
  Result<std::string> InitRepoFromDir(const std::string& src_dir, const std::string& dest_dir,
                                      const std::string& commit_message) override;

  struct Call {
    std::string url, ref, dest_dir;
  };
  std::mutex mu_;
  std::vector<Call> checkouts_;

 private:
  struct Repo {
    std::map<std::string, std::string> files;
    std::string sha;
  };
  std::map<std::string, Repo> repos_;
  std::map<std::string, Error> errors_;
};

}  // namespace sentinel::testing
