#include "core/triage/failure_fingerprint.h"

#include <algorithm>
#include <set>

#include "core/triage/fingerprint.h"
#include "core/triage/normalize.h"

namespace sentinel::triage {
namespace {

constexpr std::size_t kMaxTests = 16;

std::string_view FirstLine(std::string_view s) {
  std::size_t nl = s.find('\n');
  return nl == std::string_view::npos ? s : s.substr(0, nl);
}

}  // namespace

std::string FingerprintText(const FingerprintParts& parts) {
  std::string text = "sig=" + parts.signature + "\n";
  for (const std::string& r : parts.root_texts) text += "root=" + NormalizeLine(FirstLine(r)) + "\n";
  std::set<std::string> tests;
  for (const std::string& id : parts.test_ids) tests.insert("test=" + NormalizeLine(id));
  for (const FailedTest& t : parts.failed_tests)
    tests.insert("test=" + NormalizeLine(t.id) + " msg=" + NormalizeLine(FirstLine(t.message)));
  std::size_t n = 0;
  for (const std::string& t : tests) {
    if (n++ == kMaxTests) break;
    text += t + "\n";
  }
  const bool identified = !parts.root_texts.empty() || !tests.empty();
  if (!identified && !parts.exit_reason.empty()) text += "exit=" + parts.exit_reason + "\n";
  return text;
}

std::string FailureFingerprint(const FingerprintParts& parts) { return FingerprintHex(FingerprintText(parts)); }

}  // namespace sentinel::triage
