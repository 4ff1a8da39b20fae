#include "core/junit/junit.h"

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "core/junit/report_xml.h"

namespace sentinel {
namespace {

using junit_internal::Trim;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

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

using Reader = junit_internal::ReadResult (*)(const pugi::xml_node&, const std::string&);

// The reader for a root element's local name; null when it is no report.
Reader ReaderFor(std::string_view root) {
  if (auto colon = root.find(':'); colon != std::string_view::npos) root.remove_prefix(colon + 1);
  if (root == "testsuites" || root == "testsuite") return junit_internal::ReadJUnitFamily;
  if (root == "test-results" || root == "test-run" || root == "test-suite") return junit_internal::ReadNUnit;
  if (root == "assemblies" || root == "assembly") return junit_internal::ReadXUnit;
  if (root == "TestRun") return junit_internal::ReadTrx;
  return nullptr;
}

std::string NotAReport(std::string_view file, std::string_view why) {
  return std::string(file) + ": not a test report (JUnit, NUnit, xUnit.net or TRX): " + std::string(why);
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
    if (!first.empty() && !ReaderFor(first)) {
      return Fail(ErrorCode::kInvalidArgument, NotAReport(file, "root element <" + first + ">"));
    }
    return Fail(ErrorCode::kInvalidArgument, file + ": malformed XML at offset " +
                                                 std::to_string(parsed.offset) + ": " +
                                                 parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  if (!root) return Fail(ErrorCode::kInvalidArgument, NotAReport(file, "no root element"));
  Reader read = ReaderFor(root.name());
  if (!read) {
    return Fail(ErrorCode::kInvalidArgument,
                NotAReport(file, "root element <" + ToValidUtf8(root.name()) + ">"));
  }

  junit_internal::ReadResult r = read(root, file);
  JUnitReport report;
  report.file = file;
  report.format = std::move(r.format);
  report.suites = r.suites;
  report.cases = std::move(r.cases);
  report.unlisted = r.unlisted.total;
  report.passed = r.unlisted.passed;
  report.failed = r.unlisted.failed;
  report.errors = r.unlisted.errors;
  report.skipped = r.unlisted.skipped;
  for (const TestCaseResult& c : report.cases) {
    switch (c.outcome) {
      case TestOutcome::kPassed: ++report.passed; break;
      case TestOutcome::kFailed: ++report.failed; break;
      case TestOutcome::kError: ++report.errors; break;
      case TestOutcome::kSkipped: ++report.skipped; break;
    }
  }
  report.tests = static_cast<int>(report.cases.size()) + report.unlisted;
  return report;
}

}  // namespace sentinel
