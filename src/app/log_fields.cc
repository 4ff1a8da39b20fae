#include "app/log_fields.h"

#include <utility>

namespace sentinel::app {
namespace {

thread_local LogFields current;

}  // namespace

const LogFields& CurrentLogFields() { return current; }

ScopedLogFields::ScopedLogFields(LogFields fields) : previous_(std::exchange(current, std::move(fields))) {}

ScopedLogFields::~ScopedLogFields() { current = std::move(previous_); }

}  // namespace sentinel::app
