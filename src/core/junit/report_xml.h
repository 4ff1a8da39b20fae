#pragma once
// Internal to core/junit: what the per-format readers (junit.cc, nunit.cc,
// xunit.cc, trx.cc) share. Pure, no shared state.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "core/junit/junit.h"

namespace sentinel::junit_internal {

std::string_view Trim(std::string_view s);

// `node`'s name without a namespace prefix ("t:TestRun" -> "TestRun").
std::string_view LocalName(const pugi::xml_node& node);

// The first child element whose local name is `name` (null when none).
pugi::xml_node Child(const pugi::xml_node& node, std::string_view name);

// The text directly inside an element: its PCDATA and CDATA children joined.
std::string DirectText(const pugi::xml_node& node);

// Trimmed, valid UTF-8, capped at kMaxJUnitMessageBytes (" [truncated]").
std::string CleanMessage(std::string_view raw);

// The last bytes of `text` that fit a message, after "[...] " when cut.
std::string TailOf(std::string_view text);

// Seconds as runners write them: "0.25", "", "1,234.567" (grouping), "0,25"
// (decimal comma). Returns rounded ms; 0 when missing, negative or unreadable.
std::int64_t ParseSecondsToMs(std::string_view raw);

// A non-negative integer attribute ("12"); 0 when missing or unreadable,
// `max` when larger.
int ParseCount(std::string_view raw, int max);

// "/ci/bin/Debug/Calc.Tests.dll" -> "Calc.Tests.dll" (either separator).
std::string Basename(std::string_view path);

// `name` without a leading "`prefix`." ("Ns.Fixture.Adds(1)" with prefix
// "Ns.Fixture" -> "Adds(1)"); `name` unchanged otherwise.
std::string StripPrefix(const std::string& name, const std::string& prefix);

// The cases of one report in document order, with the reruns of one test
// folded into one case: the attempts add up, the durations add up, and the
// outcome and message are the last attempt's.
class CaseList {
 public:
  // A result that is a rerun of the previous case when that case came from
  // the same parent element and has the same suite, class and name (how
  // rerun plugins write attempts: one element per execution, in a row).
  void AddInSequence(TestCaseResult c, const void* parent);
  // A result that is a rerun of any earlier case with the same non-empty
  // `identity` (a runner's own test id); an empty identity never merges.
  void AddWithIdentity(TestCaseResult c, const std::string& identity);

  std::vector<TestCaseResult> Take() { return std::move(cases_); }

 private:
  static void Fold(TestCaseResult& into, TestCaseResult&& next);

  std::vector<TestCaseResult> cases_;
  const void* last_parent_ = nullptr;
  std::unordered_map<std::string, std::size_t> by_identity_;
};

// What a format reader produces; ParseJUnit adds the totals.
struct ReadResult {
  std::string format;
  int suites = 0;
  std::vector<TestCaseResult> cases;
  TestCounts unlisted;  // tests known only from summary attributes
};

// The per-format readers, chosen by ParseJUnit from the root element. Each
// sets every case's file to `file`.
ReadResult ReadJUnitFamily(const pugi::xml_node& root, const std::string& file);
ReadResult ReadNUnit(const pugi::xml_node& root, const std::string& file);
ReadResult ReadXUnit(const pugi::xml_node& root, const std::string& file);
ReadResult ReadTrx(const pugi::xml_node& root, const std::string& file);

}  // namespace sentinel::junit_internal
