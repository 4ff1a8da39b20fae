#pragma once
// Fields a structured log line carries for the code running on this thread:
// the worker id, and the run id and attempt while a worker handles a run (so
// logs of many workers can be joined on them). The worker sets them with a
// ScopedLogFields; the log formatter (cli/logging) reads CurrentLogFields().
// Thread-local: each thread sees only its own fields.

#include <cstdint>
#include <string>

namespace sentinel::app {

struct LogFields {
  std::int64_t run_id = 0;  // 0 = none
  int attempt = 0;          // 0 = none
  std::string worker;       // "" = none
};

// The current thread's fields (empty when none are set).
const LogFields& CurrentLogFields();

// Sets the thread's fields for its lifetime, then restores the previous ones.
class ScopedLogFields {
 public:
  explicit ScopedLogFields(LogFields fields);
  ~ScopedLogFields();
  ScopedLogFields(const ScopedLogFields&) = delete;
  ScopedLogFields& operator=(const ScopedLogFields&) = delete;

 private:
  LogFields previous_;
};

}  // namespace sentinel::app
