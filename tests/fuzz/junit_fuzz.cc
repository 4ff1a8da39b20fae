// libFuzzer target for ParseJUnit (every report format): any bytes must give
// either a report whose counts add up and whose strings are valid UTF-8, or a kInvalidArgument
// error naming the file. A broken invariant aborts (a crash for libFuzzer).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/junit/junit.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool ValidUtf8(const std::string& s) { return sentinel::ToValidUtf8(s) == s; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  sentinel::Result<sentinel::JUnitReport> r = sentinel::ParseJUnit(xml, "fuzz.xml");
  if (!r) {
    Check(r.error().code == sentinel::ErrorCode::kInvalidArgument);
    Check(r.error().message.rfind("fuzz.xml: ", 0) == 0);
    Check(ValidUtf8(r.error().message));
    return 0;
  }
  Check(r->tests == r->passed + r->failed + r->errors + r->skipped);
  Check(r->unlisted >= 0 && static_cast<std::size_t>(r->tests) == r->cases.size() + r->unlisted);
  Check(r->passed >= 0 && r->failed >= 0 && r->errors >= 0 && r->skipped >= 0);
  Check(r->suites >= 0);
  Check(r->format == "junit" || r->format == "nunit2" || r->format == "nunit3" || r->format == "xunit" ||
        r->format == "trx");
  for (const sentinel::TestCaseResult& c : r->cases) {
    Check(ValidUtf8(c.suite) && ValidUtf8(c.class_name) && ValidUtf8(c.name) && ValidUtf8(c.message));
    Check(c.message.size() <= sentinel::kMaxJUnitMessageBytes + 16);
    Check(c.duration_ms >= 0 && c.attempts >= 1);
    Check(c.outcome != sentinel::TestOutcome::kPassed || c.message.empty());
  }
  return 0;
}
