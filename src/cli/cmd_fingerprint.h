#pragma once
// The streaming core of `sentinel fingerprint`: log bytes in, one JSON object
// per line out ({"fingerprint": "<16 hex>", "template": "..."}). Split from the
// command so tests and benchmarks drive it on memory. Not thread-safe.

#include <string>
#include <string_view>

#include "core/triage/template_miner.h"

namespace sentinel::cli {

class FingerprintStream {
 public:
  // pure: report NormalizeLine templates without merging (history-free).
  explicit FingerprintStream(bool pure = false, triage::MinerOptions options = {})
      : pure_(pure), miner_(options) {}

  // Consumes a chunk of input; appends the JSON line of every completed input
  // line to *out. Lines longer than kMaxLine bytes are cut there (the rest of
  // the line is ignored) so memory stays bounded.
  void Feed(std::string_view chunk, std::string* out);
  // Flushes a last line without a trailing newline.
  void Finish(std::string* out);

  static constexpr std::size_t kMaxLine = 1 << 20;

 private:
  void Emit(std::string_view line, std::string* out);

  bool pure_;
  triage::TemplateMiner miner_;
  std::string partial_;
  bool pending_ = false;
  std::string norm_;
};

// Appends `s` as the body of a JSON string (no quotes); invalid UTF-8 bytes
// become U+FFFD.
void AppendJsonEscaped(std::string_view s, std::string* out);

}  // namespace sentinel::cli
