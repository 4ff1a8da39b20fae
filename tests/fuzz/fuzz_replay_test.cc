// Replays a fuzz target's seed corpus (SENTINEL_FUZZ_CORPUS, set by
// tests/fuzz/CMakeLists.txt) through its LLVMFuzzerTestOneInput, one file at
// a time. The target aborts on a broken invariant; sanitizers catch the rest.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

TEST(FuzzCorpusReplay, EverySeedRunsClean) {
  const std::filesystem::path corpus = SENTINEL_FUZZ_CORPUS;
  ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::string data = bytes.str();
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), 0);
    // Every prefix too: truncated input is the most common real damage.
    for (std::size_t cut = 0; cut < data.size(); cut += 1 + data.size() / 16) {
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), cut);
    }
    ++files;
  }
  EXPECT_GT(files, 0) << "empty corpus " << corpus;
}

}  // namespace
