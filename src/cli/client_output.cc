#include "cli/client_output.h"

#include <algorithm>
#include <cstdio>

namespace sentinel::cli {
namespace {

using nlohmann::json;

std::size_t Width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The first max_width code points (the last replaced by "…" when cut).
std::string Cut(const std::string& s, std::size_t max_width) {
  if (Width(s) <= max_width) return s;
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (n + 1 == max_width) break;
      ++n;
    }
    out.push_back(s[i]);
  }
  return out + "…";
}

std::string OneLine(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

}  // namespace

std::string Paint(const std::string& text, const std::string& code, bool color) {
  if (!color || code.empty()) return text;
  return "\033[" + code + "m" + text + "\033[0m";
}

std::string StatusColor(const std::string& s) {
  if (s == "succeeded" || s == "resolved" || s == "stable" || s == "passed") return "32";
  if (s == "failed" || s == "timed_out" || s == "errored" || s == "open" || s == "failing" || s == "major") return "31";
  if (s == "critical") return "1;31";
  if (s == "running" || s == "mitigating" || s == "flaky" || s == "minor") return "33";
  if (s == "queued" || s == "pending") return "36";
  if (s == "cancelled" || s == "skipped") return "90";
  return "";
}

void PrintTable(std::ostream& out, const std::vector<std::string>& headers, const std::vector<std::vector<Cell>>& rows,
                bool color, std::size_t max_width) {
  std::vector<std::size_t> widths(headers.size(), 0);
  std::vector<std::vector<std::string>> texts;
  for (std::size_t i = 0; i < headers.size(); ++i) widths[i] = Width(headers[i]);
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (std::size_t i = 0; i < headers.size(); ++i) {
      std::string t = i < row.size() ? Cut(OneLine(row[i].text), max_width) : "";
      widths[i] = std::max(widths[i], Width(t));
      line.push_back(std::move(t));
    }
    texts.push_back(std::move(line));
  }
  auto emit = [&](const std::vector<std::string>& cells, const std::vector<std::string>& codes) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const bool last = i + 1 == cells.size();
      std::string padded = cells[i];
      if (!last) padded += std::string(widths[i] - Width(cells[i]) + 2, ' ');
      line += Paint(cells[i], codes[i], color) + padded.substr(cells[i].size());
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  emit(headers, std::vector<std::string>(headers.size(), color ? "1" : ""));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::string> codes;
    for (std::size_t i = 0; i < headers.size(); ++i) codes.push_back(i < rows[r].size() ? rows[r][i].color : "");
    emit(texts[r], codes);
  }
}

std::string FormatDurationMs(std::int64_t ms) {
  if (ms < 0) ms = 0;
  char buf[32];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
  } else if (ms < 60'000) {
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
  } else if (ms < 3'600'000) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(ms / 60'000),
                  static_cast<long long>(ms / 1000 % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(ms / 3'600'000),
                  static_cast<long long>(ms / 60'000 % 60));
  }
  return buf;
}

std::string ShortTime(const json& value) {
  if (!value.is_string()) return value.is_null() ? "-" : value.dump();
  std::string s = value.get<std::string>();
  if (s.size() >= 19 && s[10] == 'T') return s.substr(0, 10) + " " + s.substr(11, 8);
  return s;
}

std::string CellText(const json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", value.get<double>());
    return buf;
  }
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return value.dump();
}

json FirstOf(const json& object, const std::vector<std::string>& keys) {
  if (!object.is_object()) return nullptr;
  for (const std::string& k : keys) {
    auto it = object.find(k);
    if (it != object.end() && !it->is_null()) return *it;
  }
  return nullptr;
}

}  // namespace sentinel::cli
