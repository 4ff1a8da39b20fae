#pragma once
// Bounded polling for tests: waits for a condition another thread or process
// brings about. Never a timing assertion: the bound only keeps a broken test
// from hanging.

#include <chrono>
#include <thread>

namespace sentinel::testing {

// Polls pred every 25 ms for up to timeout_ms; returns its last value.
template <class Pred>
bool WaitUntil(Pred pred, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 25) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return pred();
}

}  // namespace sentinel::testing
