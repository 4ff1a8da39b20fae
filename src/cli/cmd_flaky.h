#pragma once
// The streaming core of `sentinel flaky HISTORY`: JSON lines of test outcomes
// in run order ({"repo", "test", "run", "commit", "outcome"} plus optional
// "attempt", "signature", "category", "at"), one verdict per test out. Memory
// is bounded by tests x window (a ring buffer per test) plus the tests of the
// run being read, not by the input size. Not thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/result.h"
#include "core/flaky/flaky.h"

namespace sentinel::cli {

class FlakyHistory {
 public:
  explicit FlakyHistory(flaky::FlakyConfig config) : config_(config) {}

  // One input line (without its newline), numbered from 1. Blank lines are
  // skipped. kInvalidArgument naming the line number and the field when the
  // line is not a JSON object with the required string fields, an outcome of
  // passed/failed/skipped/error, an attempt >= 1, or a known category.
  [[nodiscard]] Status Feed(std::string_view line, std::int64_t line_number);

  // The verdicts, one JSON object per test in order of first appearance:
  // {"repo", "test", "classification", "score", "interval", "runs",
  // "failures", "failure_ratio", "flips", "window", "evidence"}.
  std::vector<nlohmann::json> Finish();

  std::size_t tests() const { return tests_.size(); }
  // Results held in memory (every window plus the run being read): at most tests x window + one run.
  std::size_t buffered() const {
    std::size_t n = pending_.size();
    for (const Test& t : tests_) n += t.window.size();
    return n;
  }

 private:
  struct Test {
    std::string repo, test;
    flaky::TestWindow window;
  };
  struct Pending {
    std::size_t test;
    flaky::RunResult result;
  };
  void FlushRun();

  flaky::FlakyConfig config_;
  std::vector<Test> tests_;
  std::unordered_map<std::string, std::size_t> index_;  // repo + '\0' + test -> tests_
  // The run being read: its tests, attempts folded, until another run starts.
  std::string run_key_;
  std::vector<Pending> pending_;
  std::unordered_map<std::size_t, std::size_t> pending_index_;  // test -> pending_
};

}  // namespace sentinel::cli
