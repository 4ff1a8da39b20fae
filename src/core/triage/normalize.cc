#include "core/triage/normalize.h"

namespace sentinel::triage {

// First version: strips ANSI escapes, collapses whitespace and masks digit runs.
// The full scanner replaces this behind the same API.
void NormalizeLineInto(std::string_view line, std::string* out) {
  out->clear();
  bool space = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\x1b') {
      if (i + 1 < line.size() && line[i + 1] == '[') {
        i += 2;
        while (i < line.size() && !(line[i] >= '@' && line[i] <= '~')) ++i;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out->empty();
      continue;
    }
    if (space) out->push_back(' ');
    space = false;
    if (c >= '0' && c <= '9') {
      while (i + 1 < line.size() && line[i + 1] >= '0' && line[i + 1] <= '9') ++i;
      out->append(kMaskNum);
      continue;
    }
    out->push_back(c);
  }
}

std::string NormalizeLine(std::string_view line) {
  std::string out;
  NormalizeLineInto(line, &out);
  return out;
}

}  // namespace sentinel::triage
