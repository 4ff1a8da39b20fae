#include "ports/clock.h"

#include <chrono>

namespace sentinel {
namespace {
class RealClock final : public Clock {
 public:
  EpochMs Now() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};
}  // namespace

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

}  // namespace sentinel
