#include "core/model/model.h"

namespace sentinel {

std::string TestCaseResult::TestId() const {
  std::string id;
  for (const std::string* part : {&suite, &class_name, &name}) {
    if (part->empty()) continue;
    if (!id.empty()) id += "::";
    id += *part;
  }
  return id;
}

}  // namespace sentinel
