// Runs the triage fuzz target over its seed corpus (tests/fuzz/corpus_triage)
// and the labeled logs, under any compiler: what the fuzzer checks must hold
// for every seed.
#include <cstdint>
#include <filesystem>

#include <gtest/gtest.h>

#include "adapters/kb/embedded_kb.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

TEST(TriageFuzzSeeds, EverySeedPassesTheTargetsChecks) {
  int n = 0;
  for (const char* dir : {"tests/fuzz/corpus_triage", "tests/data/logs"}) {
    std::filesystem::path p = sentinel::kb::SourceDir() / dir;
    ASSERT_TRUE(std::filesystem::is_directory(p)) << p;
    for (const auto& e : std::filesystem::directory_iterator(p)) {
      if (!e.is_regular_file()) continue;
      auto bytes = sentinel::kb::ReadFile(e.path());
      ASSERT_TRUE(bytes) << bytes.error().message;
      EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()), 0);
      ++n;
    }
  }
  EXPECT_GE(n, 20);
}

}  // namespace
