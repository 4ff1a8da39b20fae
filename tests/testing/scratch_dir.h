#pragma once
// A fresh directory under $TMPDIR (or /tmp) for one test, removed with all its
// contents by the destructor. Not thread-safe: one owner.

#include <string>

namespace sentinel::testing {

class ScratchDir {
 public:
  ScratchDir();  // aborts the test binary if mkdtemp fails (nothing sensible to do)
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole file as a string; "" when unreadable.
std::string ReadFileOrEmpty(const std::string& path);
// Writes (replaces) a file, creating parent directories; false on failure.
bool WriteFileAll(const std::string& path, const std::string& content);

}  // namespace sentinel::testing
