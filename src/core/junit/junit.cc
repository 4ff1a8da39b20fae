#include "core/junit/junit.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

namespace sentinel {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kWhitespace);
  return s.substr(begin, end - begin + 1);
}

bool NameIs(const pugi::xml_node& node, std::string_view name) {
  return std::string_view(node.name()) == name;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is invalid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string CapUtf8(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  s += " [truncated]";
  return s;
}

std::string CleanMessage(std::string_view raw) {
  return CapUtf8(ToValidUtf8(Trim(raw)), kMaxJUnitMessageBytes);
}

// The text directly inside an element: its PCDATA and CDATA children joined.
std::string DirectText(const pugi::xml_node& node) {
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) text += child.value();
  }
  return text;
}

// What a <failure>/<error>/<skipped> element says: its message attribute, else
// its text, else a <stackTrace> child (Surefire reruns), else its type.
std::string ElementMessage(const pugi::xml_node& node) {
  std::string_view message = Trim(node.attribute("message").value());
  if (!message.empty()) return std::string(message);
  std::string text = DirectText(node);
  if (!Trim(text).empty()) return text;
  text = DirectText(node.child("stackTrace"));
  if (!Trim(text).empty()) return text;
  return std::string(Trim(node.attribute("type").value()));
}

// Seconds as written by the runners: "0.25", "", "1,234.567" (Surefire's
// grouping), "0,25" (a decimal comma from a localized runner). Returns ms.
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

// The last kMaxJUnitMessageBytes of `text` (output ends with what failed),
// starting on a UTF-8 character boundary.
std::string TailOf(std::string_view text) {
  text = Trim(text);
  constexpr size_t kKeep = kMaxJUnitMessageBytes - 6;  // room for the "[...] " marker
  if (text.size() <= kKeep) return std::string(text);
  size_t start = text.size() - kKeep;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return "[...] " + std::string(text.substr(start));
}

// Joins the messages of all `name` children (GoogleTest writes one <failure>
// per failed assertion).
std::string JoinedMessages(const pugi::xml_node& testcase, const char* name) {
  std::string joined;
  for (pugi::xml_node child : testcase.children(name)) {
    std::string message(Trim(ElementMessage(child)));
    if (message.empty()) continue;
    if (!joined.empty()) joined += "\n\n";
    joined += message;
    if (joined.size() > kMaxJUnitMessageBytes) break;
  }
  return joined;
}

TestCaseResult ParseTestCase(const pugi::xml_node& tc, const std::string& suite,
                             std::string_view file_name) {
  TestCaseResult result;
  result.suite = suite;
  result.class_name = ToValidUtf8(tc.attribute("classname").value());
  if (result.class_name.empty()) result.class_name = ToValidUtf8(tc.attribute("class").value());
  result.name = ToValidUtf8(tc.attribute("name").value());
  result.duration_ms = ParseSecondsToMs(tc.attribute("time").value());
  result.file = std::string(file_name);

  int reruns = 0;
  for (pugi::xml_node child : tc.children()) {
    std::string_view n = child.name();
    if (n == "flakyFailure" || n == "flakyError" || n == "rerunFailure" || n == "rerunError") ++reruns;
  }
  result.attempts = 1 + reruns;

  // GoogleTest: result="skipped"/"suppressed", status="notrun"; CTest
  // (--output-junit): status="notrun"/"disabled".
  std::string_view run_result = tc.attribute("result").value();
  std::string_view run_status = tc.attribute("status").value();
  bool skipped = tc.child("skipped") || run_result == "skipped" || run_result == "suppressed" ||
                 run_status == "notrun" || run_status == "disabled";
  if (tc.child("failure")) {
    result.outcome = TestOutcome::kFailed;
    result.message = JoinedMessages(tc, "failure");
  } else if (tc.child("error")) {
    result.outcome = TestOutcome::kError;
    result.message = JoinedMessages(tc, "error");
  } else if (skipped) {
    result.outcome = TestOutcome::kSkipped;
    result.message = JoinedMessages(tc, "skipped");
    // CTest reports a test whose executable is missing as "notrun"; that is
    // a broken build, not a skip, and CTest itself counts it as failed.
    if (run_status == "notrun" && std::string_view(result.message).starts_with("Unable to find executable")) {
      result.outcome = TestOutcome::kError;
    }
  } else {
    result.outcome = TestOutcome::kPassed;  // includes Surefire's passed-on-rerun (flaky*)
  }
  if (result.outcome == TestOutcome::kFailed || result.outcome == TestOutcome::kError) {
    if (Trim(result.message).empty()) {
      // CTest writes <failure message=""/> and puts the output in system-out:
      // its end says what went wrong.
      std::string out(Trim(DirectText(tc.child("system-out"))));
      std::string err(Trim(DirectText(tc.child("system-err"))));
      if (!out.empty() && !err.empty()) out += "\n";
      result.message = TailOf(out.append(err));
    }
    result.message = CleanMessage(result.message);
  } else if (result.outcome == TestOutcome::kSkipped) {
    result.message = CleanMessage(result.message);
  }
  return result;
}

// Name of the first element in `xml`, found by a plain scan that skips the
// declaration, comments, processing instructions and a DOCTYPE. Used to say
// what a file is when it is not well-formed XML (most HTML is not).
std::string FirstElementName(std::string_view xml) {
  size_t i = 0;
  while (i < xml.size()) {
    size_t lt = xml.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= xml.size()) return {};
    std::string_view rest = xml.substr(lt);
    if (rest.starts_with("<!--")) {
      size_t end = xml.find("-->", lt + 4);
      if (end == std::string_view::npos) return {};
      i = end + 3;
    } else if (rest.starts_with("<?") || rest.starts_with("<!")) {
      size_t end = xml.find('>', lt + 2);
      if (end == std::string_view::npos) return {};
      i = end + 1;
    } else {
      size_t j = lt + 1;
      while (j < xml.size() && j - lt <= 64 &&
             (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '-' || xml[j] == '_' ||
              xml[j] == ':' || xml[j] == '.')) {
        ++j;
      }
      return std::string(xml.substr(lt + 1, j - lt - 1));
    }
  }
  return {};
}

constexpr size_t kMaxSuitePathBytes = 1024;

bool IsReportRoot(std::string_view name) { return name == "testsuites" || name == "testsuite"; }

std::string NotAReport(std::string_view file, std::string_view why) {
  return std::string(file) + ": not a JUnit/xUnit test report: " + std::string(why);
}

}  // namespace

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t len = Utf8SequenceLength(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

Result<JUnitReport> ParseJUnit(std::string_view xml, std::string_view file_name) {
  const std::string file = ToValidUtf8(file_name);
  std::string_view body = xml;
  if (body.starts_with(kUtf8Bom)) body.remove_prefix(kUtf8Bom.size());
  if (Trim(body).empty()) return Fail(ErrorCode::kInvalidArgument, NotAReport(file, "empty file"));

  pugi::xml_document doc;
  // parse_default keeps CDATA and expands entities; the encoding comes from a
  // BOM or the declaration (ISO-8859-1 / latin1 included), else UTF-8.
  pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_auto);
  if (!parsed) {
    std::string first = ToValidUtf8(FirstElementName(body));
    if (!first.empty() && !IsReportRoot(first)) {
      return Fail(ErrorCode::kInvalidArgument, NotAReport(file, "root element <" + first + ">"));
    }
    return Fail(ErrorCode::kInvalidArgument, file + ": malformed XML at offset " +
                                                 std::to_string(parsed.offset) + ": " +
                                                 parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  if (!root) return Fail(ErrorCode::kInvalidArgument, NotAReport(file, "no root element"));
  if (!IsReportRoot(root.name())) {
    return Fail(ErrorCode::kInvalidArgument,
                NotAReport(file, "root element <" + ToValidUtf8(root.name()) + ">"));
  }

  JUnitReport report;
  report.file = file;
  // Depth-first over suites with an explicit stack: nesting depth is the
  // file's to choose and must not be able to exhaust the call stack. Children
  // are pushed in reverse so cases come out in document order.
  struct Item {
    pugi::xml_node node;
    std::string suite;  // path of the enclosing suites
  };
  std::vector<Item> stack;
  auto push_children = [&](const pugi::xml_node& parent, const std::string& path) {
    for (pugi::xml_node child = parent.last_child(); child; child = child.previous_sibling()) {
      if (child.type() != pugi::node_element) continue;
      if (NameIs(child, "testsuite") || NameIs(child, "testsuites") || NameIs(child, "testcase")) {
        stack.push_back({child, path});
      }
    }
  };
  stack.push_back({root, ""});
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    if (NameIs(item.node, "testcase")) {
      report.cases.push_back(ParseTestCase(item.node, item.suite, file));
    } else if (NameIs(item.node, "testsuite")) {
      ++report.suites;
      std::string name = ToValidUtf8(item.node.attribute("name").value());
      std::string path = item.suite;
      // Bounded so that deep nesting stays linear; beyond the bound the path
      // keeps its outer part.
      if (path.size() + name.size() + 3 <= kMaxSuitePathBytes) {
        if (!path.empty() && !name.empty()) path += " > ";
        path += name;
      }
      push_children(item.node, path);
    } else {  // <testsuites>: a grouping that is not part of a test's id
      push_children(item.node, item.suite);
    }
  }

  for (const TestCaseResult& c : report.cases) {
    switch (c.outcome) {
      case TestOutcome::kPassed: ++report.passed; break;
      case TestOutcome::kFailed: ++report.failed; break;
      case TestOutcome::kError: ++report.errors; break;
      case TestOutcome::kSkipped: ++report.skipped; break;
    }
  }
  report.tests = static_cast<int>(report.cases.size());
  return report;
}

}  // namespace sentinel
