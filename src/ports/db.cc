#include "ports/db.h"

#include <charconv>
#include <cstdlib>

namespace sentinel {
namespace {
const std::string kEmpty;
}

const std::string& SqlRow::Text(size_t i) const {
  const auto& c = cells.at(i);
  return c ? *c : kEmpty;
}

std::int64_t SqlRow::Int(size_t i) const { return OptInt(i).value_or(0); }

std::optional<std::int64_t> SqlRow::OptInt(size_t i) const {
  const auto& c = cells.at(i);
  if (!c) return std::nullopt;
  std::int64_t v = 0;
  std::from_chars(c->data(), c->data() + c->size(), v);
  return v;
}

double SqlRow::Real(size_t i) const {
  const auto& c = cells.at(i);
  return c ? std::strtod(c->c_str(), nullptr) : 0.0;
}

}  // namespace sentinel
