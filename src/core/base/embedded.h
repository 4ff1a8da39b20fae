#pragma once
// A text file compiled into the binary (cmake/Embed.cmake): migrations, the
// signature base. Immutable, safe to read from any thread.

#include <string_view>
#include <vector>

namespace sentinel {

struct EmbeddedFile {
  std::string_view name;     // file name without directories, e.g. "0001_init.sql"
  std::string_view content;
};

}  // namespace sentinel
