#include "core/junit/report_xml.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace sentinel::junit_internal {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string CapUtf8(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  s += " [truncated]";
  return s;
}

std::int64_t SaturatingAdd(std::int64_t a, std::int64_t b) {
  if (a > std::numeric_limits<std::int64_t>::max() - b) return std::numeric_limits<std::int64_t>::max();
  return a + b;
}

}  // namespace

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kWhitespace);
  return s.substr(begin, end - begin + 1);
}

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && LocalName(child) == name) return child;
  }
  return {};
}

std::string DirectText(const pugi::xml_node& node) {
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) text += child.value();
  }
  return text;
}

std::string CleanMessage(std::string_view raw) {
  return CapUtf8(ToValidUtf8(Trim(raw)), kMaxJUnitMessageBytes);
}

std::string TailOf(std::string_view text) {
  text = Trim(text);
  constexpr size_t kKeep = kMaxJUnitMessageBytes - 6;  // room for the "[...] " marker
  if (text.size() <= kKeep) return std::string(text);
  size_t start = text.size() - kKeep;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return "[...] " + std::string(text.substr(start));
}

std::int64_t ParseSecondsToMs(std::string_view raw) {
  std::string text(Trim(raw));
  if (text.empty()) return 0;
  size_t commas = 0;
  for (char c : text) commas += c == ',';
  if (commas > 0) {
    bool has_dot = text.find('.') != std::string::npos;
    if (has_dot || commas > 1) {
      std::erase(text, ',');  // grouping separators
    } else {
      text[text.find(',')] = '.';  // a single comma and no dot: decimal comma
    }
  }
  double seconds = 0;
  const char* begin = text.data();
  if (!text.empty() && text[0] == '+') ++begin;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size()) return 0;
  if (!std::isfinite(seconds) || seconds <= 0) return 0;
  constexpr double kMaxSeconds = 1e12;  // keeps the conversion below defined
  if (seconds > kMaxSeconds) seconds = kMaxSeconds;
  return static_cast<std::int64_t>(std::llround(seconds * 1000.0));
}

int ParseCount(std::string_view raw, int max) {
  raw = Trim(raw);
  long long value = 0;
  auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (ec == std::errc::result_out_of_range && !raw.empty() && raw[0] != '-') return max;
  if (ec != std::errc() || end != raw.data() + raw.size() || value < 0) return 0;
  return value > max ? max : static_cast<int>(value);
}

std::string Basename(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return ToValidUtf8(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string StripPrefix(const std::string& name, const std::string& prefix) {
  if (prefix.empty() || name.size() <= prefix.size() + 1) return name;
  if (name.compare(0, prefix.size(), prefix) != 0 || name[prefix.size()] != '.') return name;
  return name.substr(prefix.size() + 1);
}

void CaseList::Fold(TestCaseResult& into, TestCaseResult&& next) {
  into.attempts = into.attempts > std::numeric_limits<int>::max() - next.attempts
                      ? std::numeric_limits<int>::max()
                      : into.attempts + next.attempts;
  into.duration_ms = SaturatingAdd(into.duration_ms, next.duration_ms);
  into.outcome = next.outcome;
  into.message = std::move(next.message);
}

void CaseList::AddInSequence(TestCaseResult c, const void* parent) {
  if (!cases_.empty() && parent == last_parent_) {
    TestCaseResult& last = cases_.back();
    if (last.suite == c.suite && last.class_name == c.class_name && last.name == c.name) {
      Fold(last, std::move(c));
      return;
    }
  }
  last_parent_ = parent;
  cases_.push_back(std::move(c));
}

void CaseList::AddWithIdentity(TestCaseResult c, const std::string& identity) {
  last_parent_ = nullptr;
  if (!identity.empty()) {
    auto [it, inserted] = by_identity_.try_emplace(identity, cases_.size());
    if (!inserted) {
      Fold(cases_[it->second], std::move(c));
      return;
    }
  }
  cases_.push_back(std::move(c));
}

}  // namespace sentinel::junit_internal
