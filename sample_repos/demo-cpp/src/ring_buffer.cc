#include "ring_buffer.h"

#include <cstdlib>
#include <cstring>

namespace {
// The testfail scenario switches on a real bug: a full buffer forgets to
// advance past the element it overwrote.
bool OffByOneRegression() {
  const char* s = std::getenv("SENTINEL_SCENARIO");
  return s != nullptr && std::strcmp(s, "testfail") == 0;
}
}  // namespace

RingBuffer::RingBuffer(std::size_t capacity) : slots_(capacity) {}

void RingBuffer::Push(int value) {
  slots_[(head_ + size_) % slots_.size()] = value;
  if (size_ < slots_.size()) {
    ++size_;
  } else if (!OffByOneRegression()) {
    head_ = (head_ + 1) % slots_.size();
  }
}

std::optional<int> RingBuffer::Pop() {
  if (size_ == 0) return std::nullopt;
  int value = slots_[head_];
  head_ = (head_ + 1) % slots_.size();
  --size_;
  return value;
}
