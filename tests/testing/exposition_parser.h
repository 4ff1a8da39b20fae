#pragma once
// A strict reader of the Prometheus text exposition format (0.0.4) for tests:
// every line must be a HELP, TYPE or sample line of a declared family, and
// label values are unescaped. Not thread-safe; values only.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sentinel::testing {

struct ParsedSample {
  std::string name;  // with _bucket/_sum/_count for histograms
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct ParsedExposition {
  std::map<std::string, std::string> help;  // family -> help text
  std::map<std::string, std::string> type;  // family -> counter/gauge/histogram
  std::vector<ParsedSample> samples;

  // The value of the sample with this name and exactly these labels, if present.
  std::optional<double> Value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
  // The sum of all samples with this name whose labels include `subset`.
  double Sum(const std::string& name, const std::map<std::string, std::string>& subset = {}) const;
};

// nullopt and *error (naming the line) when the text does not follow the format.
std::optional<ParsedExposition> ParseExposition(const std::string& text, std::string* error);

}  // namespace sentinel::testing
