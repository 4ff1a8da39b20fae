#pragma once
// Prometheus text exposition format 0.0.4: metric families (counter, gauge,
// histogram) as values, and Render() to the text a scraper reads (HELP and
// TYPE lines, escaped label values, cumulative histogram buckets with +Inf,
// _sum and _count). Pure; values only, thread-compatible.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sentinel::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Type { kCounter, kGauge, kHistogram };

// Observations counted per upper bound (non-cumulative here; Render accumulates).
struct Histogram {
  std::vector<double> bounds;          // ascending upper bounds, without +Inf
  std::vector<std::uint64_t> buckets;  // bounds.size() + 1 (the last is +Inf)
  double sum = 0;
  std::uint64_t count = 0;

  explicit Histogram(std::vector<double> upper_bounds = {});
  void Observe(double value);
};

struct Sample {
  Labels labels;
  double value = 0;
};

struct Family {
  std::string name;  // sentinel_..., counters end in _total
  std::string help;
  Type type = Type::kGauge;
  std::vector<Sample> samples;                          // counter, gauge
  std::vector<std::pair<Labels, Histogram>> histograms;  // histogram
};

// Bucket bounds in seconds.
std::vector<double> HttpLatencyBuckets();   // 1 ms .. 10 s
std::vector<double> StepDurationBuckets();  // 0.1 s .. 1 h
std::vector<double> RunDurationBuckets();   // 1 s .. 2 h

// The exposition text of the families, in order. A family with no samples is
// still declared (HELP/TYPE), so dashboards see the metric exists.
std::string Render(const std::vector<Family>& families);

// A label value escaped for the text format (\\, \", \n).
std::string EscapeLabelValue(const std::string& value);

// A sample value: integers without a fraction, others shortest round-trip; +Inf, -Inf, NaN.
std::string FormatValue(double value);

}  // namespace sentinel::metrics
