#pragma once
// The signature knowledge base: signatures.yml (and its measured precision,
// signatures.measured.yml) compiled once into one RE2::Set plus one RE2 per
// pattern for captures. Compile() is pure (takes the YAML text); the embedded
// copy lives in adapters/kb. A compiled Kb is immutable and safe to share
// between threads.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/base/result.h"
#include "core/model/vocab.h"

namespace sentinel::triage {

// Measured figures of one signature over the labeled corpus and green logs
// (rules_check.h). fired = labeled logs it matched; tp = of those, the ones
// whose expected category is the signature's.
struct Measured {
  bool present = false;
  int fired = 0;
  int tp = 0;
  int fp = 0;
};

struct Signature {
  std::string id;
  FailureCategory category = FailureCategory::kUnknown;
  int priority = 0;      // higher explains the log when several match
  bool cascade = false;  // follow-on line; explains a log only when alone
  double prior = 0.5;    // confidence before measurement
  std::string title;     // {name} placeholders = named captures
  std::string hint;
  std::vector<std::string> remediation;
  std::vector<std::string> patterns;
  std::string example;
  Measured measured;
  int first_pattern = 0;  // index of patterns[0] in Kb's pattern table
};

class Kb {
 public:
  // Parses and compiles. Errors (kInvalidArgument) name the signature id and
  // the key: a missing id/category/pattern, an unknown category, a duplicate
  // id, an RE2 syntax error. measured_yaml may be empty (no measurement yet).
  static Result<Kb> Compile(std::string_view signatures_yaml, std::string_view measured_yaml = {});

  Kb(Kb&&) noexcept;
  Kb& operator=(Kb&&) noexcept;
  ~Kb();

  const std::string& version() const { return version_; }
  const std::vector<Signature>& signatures() const { return signatures_; }
  const Signature& signature(int index) const { return signatures_[index]; }
  // Index of the signature with that id, or -1.
  int Find(std::string_view id) const;
  // Signature explaining a failed step with this exit code and no log match, or -1.
  int ForExitCode(int exit_code) const;
  // Signature for "the test report says tests failed" when the log says nothing, or -1.
  int junit_failure_signature() const { return junit_failure_; }

  // The measured precision shrunk toward the prior with weight 2:
  //   (tp + 2 * prior) / (fired + 2); the prior alone when not measured.
  double BaseConfidence(int signature_index) const;

  // Pattern table: every pattern of every signature, in file order.
  int pattern_count() const { return static_cast<int>(patterns_.size()); }
  const RE2& pattern(int p) const { return *patterns_[p]; }
  int pattern_signature(int p) const { return pattern_signature_[p]; }
  // All patterns in one set (unanchored); Match returns pattern indexes.
  const RE2::Set& set() const { return *set_; }
  // The RE2 options every pattern is compiled with (never_nl: no match spans lines).
  static RE2::Options PatternOptions();

 private:
  Kb();
  std::string version_;
  std::vector<Signature> signatures_;
  std::map<std::string, int, std::less<>> by_id_;
  std::map<int, int> exit_codes_;
  int junit_failure_ = -1;
  std::vector<std::unique_ptr<RE2>> patterns_;
  std::vector<int> pattern_signature_;
  std::unique_ptr<RE2::Set> set_;
};

// Replaces {name} placeholders with values from `captures`; a placeholder with
// no value is removed, with the empty quotes/brackets/separator around it.
std::string FillPlaceholders(std::string_view text, const std::map<std::string, std::string>& captures);

}  // namespace sentinel::triage
