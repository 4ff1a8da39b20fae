#pragma once
// The fingerprint of a failure: a hash of its most significant evidence, not of
// the whole log, so the same failure on another commit, machine, time or run
// gets the same fingerprint, and a different failure in the same test gets a
// different one. Every text part is normalized (normalize.h) first. Pure;
// thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace sentinel::triage {

struct FailedTest {
  std::string id;       // TestCaseResult::TestId()
  std::string message;  // its assertion message (first line is used)
};

struct FingerprintParts {
  std::string signature;                  // winning signature id, "" for unknown
  std::vector<std::string> root_texts;    // the matched text of the root error(s), raw
  std::vector<std::string> test_ids;      // failed test ids seen in the log
  std::vector<FailedTest> failed_tests;   // from the test reports
  std::string exit_reason;                // e.g. "exit 137", "timed_out"; used when nothing else identifies it
};

// The canonical text that is hashed: one "key=value" line per part, with
// normalized texts, sorted and de-duplicated test ids (at most 16), the
// first line of each message. Exposed for tests and for cluster titles.
std::string FingerprintText(const FingerprintParts& parts);

// FingerprintHex(FingerprintText(parts)).
std::string FailureFingerprint(const FingerprintParts& parts);

}  // namespace sentinel::triage
