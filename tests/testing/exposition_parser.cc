#include "testing/exposition_parser.h"

#include <cctype>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace sentinel::testing {
namespace {

bool ValidName(const std::string& n) {
  if (n.empty() || !(std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_' || n[0] == ':')) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':')) return false;
  return true;
}

// The family a sample name belongs to, given the declared types.
std::string FamilyOf(const std::string& name, const std::map<std::string, std::string>& types) {
  if (types.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return "";
}

}  // namespace

std::optional<double> ParsedExposition::Value(const std::string& name,
                                              const std::map<std::string, std::string>& labels) const {
  for (const ParsedSample& s : samples)
    if (s.name == name && s.labels == labels) return s.value;
  return std::nullopt;
}

double ParsedExposition::Sum(const std::string& name, const std::map<std::string, std::string>& subset) const {
  double total = 0;
  for (const ParsedSample& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : subset) {
      auto it = s.labels.find(k);
      match = match && it != s.labels.end() && it->second == v;
    }
    if (match) total += s.value;
  }
  return total;
}

std::optional<ParsedExposition> ParseExposition(const std::string& text, std::string* error) {
  ParsedExposition out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  auto fail = [&](const std::string& why) -> std::optional<ParsedExposition> {
    *error = "line " + std::to_string(n) + ": " + why + ": " + line;
    return std::nullopt;
  };
  if (!text.empty() && text.back() != '\n') {
    *error = "the exposition does not end with a newline";
    return std::nullopt;
  }
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      const std::string rest = line.substr(7);
      const size_t sp = rest.find(' ');
      if (sp == std::string::npos) return fail("no text after the name");
      const std::string name = rest.substr(0, sp), value = rest.substr(sp + 1);
      if (!ValidName(name)) return fail("bad metric name");
      if (line[2] == 'H') {
        if (out.help.count(name)) return fail("second HELP for the family");
        out.help[name] = value;
      } else {
        if (value != "counter" && value != "gauge" && value != "histogram" && value != "summary" && value != "untyped")
          return fail("unknown type");
        if (out.type.count(name)) return fail("second TYPE for the family");
        out.type[name] = value;
      }
      continue;
    }
    if (line[0] == '#') continue;  // a comment
    ParsedSample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    if (!ValidName(s.name)) return fail("bad sample name");
    if (FamilyOf(s.name, out.type).empty()) return fail("a sample before its family's TYPE");
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') return fail("bad label");
        const std::string key = line.substr(i, eq - i);
        if (!ValidName(key)) return fail("bad label name");
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) {
            ++j;
            value.push_back(line[j] == 'n' ? '\n' : line[j]);
          } else {
            value.push_back(line[j]);
          }
        }
        if (j >= line.size()) return fail("unterminated label value");
        s.labels[key] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return fail("unterminated label set");
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return fail("no value");
    const std::string value = line.substr(i + 1);
    if (value == "+Inf") s.value = std::numeric_limits<double>::infinity();
    else if (value == "-Inf") s.value = -std::numeric_limits<double>::infinity();
    else {
      char* end = nullptr;
      s.value = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0') return fail("the value is not a number");
    }
    out.samples.push_back(std::move(s));
  }
  return out;
}

}  // namespace sentinel::testing
