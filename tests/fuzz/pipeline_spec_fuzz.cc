// libFuzzer target for ParsePipelineSpec: any text must give either a spec
// that satisfies the documented limits or a kInvalidArgument error whose
// message starts with the file name. A broken invariant aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "core/pipeline/pipeline_spec.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  sentinel::Result<sentinel::PipelineSpec> spec = sentinel::ParsePipelineSpec(text, 60000);
  if (!spec) {
    Check(spec.error().code == sentinel::ErrorCode::kInvalidArgument);
    Check(spec.error().message.rfind(".sentinel.yml", 0) == 0);
    return 0;
  }
  Check(!spec->steps.empty() && spec->steps.size() <= sentinel::kMaxPipelineSteps);
  std::set<std::string> names;
  for (const sentinel::PipelineStepSpec& s : spec->steps) {
    Check(!s.name.empty() && s.name != "." && s.name != ".." && s.name.find('/') == std::string::npos);
    Check(names.insert(s.name).second);
    Check(!s.run.empty());
    Check(s.timeout_ms > 0 && s.timeout_ms <= sentinel::kMaxStepTimeoutMs);
    Check(s.retries >= 0 && s.retries <= sentinel::kMaxStepRetries);
    Check(s.line >= 1);
    for (const std::string& g : s.junit) {
      Check(!g.empty() && g[0] != '/');
      Check(g != ".." && !g.starts_with("../") && !g.ends_with("/..") &&
            g.find("/../") == std::string::npos);
    }
  }
  return 0;
}
