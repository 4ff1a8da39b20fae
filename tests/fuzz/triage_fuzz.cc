// libFuzzer target for the signature matcher and triage: any bytes as a step
// log through the embedded knowledge base. Checks what must hold for any
// input: no crash or sanitizer report, a valid category, confidence in
// [0,1], at most kMaxEvidenceLines evidence lines with line numbers inside the
// log, a 16-hex fingerprint. Built as a fuzzer only with clang
// (tests/fuzz/CMakeLists.txt); its seed corpus also runs as a gtest.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/kb/embedded_kb.h"
#include "core/triage/evidence.h"
#include "core/triage/triage.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sentinel::triage::Kb* kb = [] {
    auto r = sentinel::kb::LoadEmbeddedKb();
    if (!r) std::abort();
    return new sentinel::triage::Kb(std::move(*r));
  }();
  std::string_view log(reinterpret_cast<const char*>(data), size);
  sentinel::triage::TriageInput in;
  in.log = log;
  in.step.exit_code = size > 0 ? static_cast<int>(data[0]) : 1;
  sentinel::triage::TriageResult r = sentinel::triage::Triage(*kb, in);
  const sentinel::Failure& f = r.failure;
  const long lines = static_cast<long>(std::count(log.begin(), log.end(), '\n')) + 1;
  if (f.confidence < 0 || f.confidence > 1) std::abort();
  if (f.fingerprint.size() != 16) std::abort();
  if (f.evidence.size() > sentinel::triage::kMaxEvidenceLines) std::abort();
  for (const sentinel::EvidenceLine& e : f.evidence)
    if (e.line < 1 || e.line > lines) std::abort();
  if (f.category != sentinel::FailureCategory::kUnknown && f.signature.empty()) std::abort();
  return 0;
}
