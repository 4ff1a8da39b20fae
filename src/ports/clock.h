#pragma once
// The time source. The real one reads the system clock; tests use a fake one.

#include "core/base/time.h"

namespace sentinel {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual EpochMs Now() const = 0;  // epoch milliseconds, UTC
};

// The system clock. Thread-safe.
const Clock& SystemClock();

}  // namespace sentinel
