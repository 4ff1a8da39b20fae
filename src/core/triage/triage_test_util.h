#pragma once
// Test helper: the real knowledge base from the source tree
// ($SENTINEL_SOURCE_DIR/src/core/triage/signatures.yml), compiled once per
// test binary. Tests only.

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/triage/signature_kb.h"

namespace sentinel::triage::testing {

inline std::string ReadSourceFile(const std::string& rel) {
  const char* src = std::getenv("SENTINEL_SOURCE_DIR");
  std::ifstream in(std::string(src ? src : ".") + "/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const Kb& RealKb() {
  static const Kb* kb = [] {
    Result<Kb> r = Kb::Compile(ReadSourceFile("src/core/triage/signatures.yml"),
                               ReadSourceFile("src/core/triage/signatures.measured.yml"));
    if (!r) {
      ADD_FAILURE() << r.error().message;
      r = Kb::Compile("version: x\nsignatures:\n  - {id: a, category: crash, title: t, hint: h, remediation: [r], patterns: ['zzz'], example: zzz}\n");
    }
    return new Kb(std::move(*r));
  }();
  return *kb;
}

}  // namespace sentinel::triage::testing
