#pragma once
#include <cstddef>
#include <optional>
#include <vector>

// A fixed-capacity FIFO that overwrites its oldest element when full.
class RingBuffer {
 public:
  explicit RingBuffer(std::size_t capacity);
  void Push(int value);
  std::optional<int> Pop();
  std::size_t size() const { return size_; }

 private:
  std::vector<int> slots_;
  std::size_t head_ = 0;  // oldest element
  std::size_t size_ = 0;
};
