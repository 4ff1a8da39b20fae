// Visual Studio / VSTest / Microsoft.Testing.Platform TRX files (<TestRun>,
// `dotnet test --logger trx`): results in <Results>, names and classes in
// <TestDefinitions>, joined by testId.
#include <charconv>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/junit/report_xml.h"

namespace sentinel::junit_internal {
namespace {

struct Definition {
  std::string class_name;
  std::string suite;
};

// "Ns.Class, Calc.Tests, Version=1.0.0.0, ..." (older MSTest) -> "Ns.Class".
std::string ClassOf(std::string_view class_name) {
  size_t comma = class_name.find(',');
  if (comma != std::string_view::npos) class_name = class_name.substr(0, comma);
  return ToValidUtf8(Trim(class_name));
}

// TimeSpan text: "00:00:01.2345678", "1.02:03:04.5" (days), "00:00:00".
// Returns rounded ms; 0 when unreadable or negative.
std::int64_t ParseTimeSpanToMs(std::string_view raw) {
  std::string_view text = Trim(raw);
  auto number = [&](std::string_view s, long long& v) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && end == s.data() + s.size() && v >= 0 && !s.empty();
  };
  size_t c1 = text.find(':');
  if (c1 == std::string_view::npos) return 0;
  size_t c2 = text.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return 0;
  std::string_view head = text.substr(0, c1);
  long long days = 0, hours = 0, minutes = 0;
  if (size_t dot = head.find('.'); dot != std::string_view::npos) {
    if (!number(head.substr(0, dot), days)) return 0;
    head = head.substr(dot + 1);
  }
  if (!number(head, hours) || !number(text.substr(c1 + 1, c2 - c1 - 1), minutes)) return 0;
  constexpr long long kMaxDays = 10'000'000;  // keeps the sum below in range
  if (days > kMaxDays || hours > 24 * kMaxDays || minutes > 1440 * kMaxDays) return 0;
  std::int64_t seconds_ms = ParseSecondsToMs(text.substr(c2 + 1));
  std::string_view sec = Trim(text.substr(c2 + 1));
  if (seconds_ms == 0 && sec.find_first_not_of("0.") != std::string_view::npos) return 0;
  return ((days * 24 + hours) * 60 + minutes) * 60'000 + seconds_ms;
}

struct Outcome {
  TestOutcome outcome;
  std::string word;
};

Outcome MapOutcome(std::string_view outcome) {
  if (outcome == "Passed" || outcome == "PassedButRunAborted" || outcome == "Completed" || outcome == "Warning") {
    return {TestOutcome::kPassed, ""};
  }
  if (outcome == "Failed") return {TestOutcome::kFailed, "Failed"};
  if (outcome == "Error" || outcome == "Timeout" || outcome == "Aborted" || outcome == "NotRunnable" ||
      outcome == "Disconnected") {
    return {TestOutcome::kError, std::string(outcome)};
  }
  if (outcome == "NotExecuted" || outcome == "Inconclusive" || outcome == "Pending" || outcome == "InProgress") {
    return {TestOutcome::kSkipped, ""};
  }
  return {TestOutcome::kError, "outcome=\"" + ToValidUtf8(outcome) + "\""};
}

std::string MessageOf(const pugi::xml_node& result) {
  pugi::xml_node info = Child(Child(result, "Output"), "ErrorInfo");
  std::string message(Trim(DirectText(Child(info, "Message"))));
  if (message.empty()) message = std::string(Trim(DirectText(Child(info, "StackTrace"))));
  return message;
}

TestCaseResult ReadUnitTestResult(const pugi::xml_node& result, const Definition* def, const std::string& file) {
  TestCaseResult c;
  if (def) {
    c.suite = def->suite;
    c.class_name = def->class_name;
  }
  c.name = StripPrefix(ToValidUtf8(result.attribute("testName").value()), c.class_name);
  c.duration_ms = ParseTimeSpanToMs(result.attribute("duration").value());
  c.file = file;
  Outcome o = MapOutcome(result.attribute("outcome").value());
  c.outcome = o.outcome;
  if (o.outcome != TestOutcome::kPassed) {
    std::string message = MessageOf(result);
    c.message = CleanMessage(message.empty() ? o.word : message);
  }
  return c;
}

bool IsResult(const pugi::xml_node& node) {
  return node.type() == pugi::node_element && LocalName(node) == "UnitTestResult";
}

}  // namespace

ReadResult ReadTrx(const pugi::xml_node& root, const std::string& file) {
  ReadResult out;
  out.format = "trx";
  std::unordered_map<std::string, Definition> definitions;  // by test id
  for (pugi::xml_node test : Child(root, "TestDefinitions").children()) {
    if (test.type() != pugi::node_element || LocalName(test) != "UnitTest") continue;
    pugi::xml_node method = Child(test, "TestMethod");
    Definition def;
    def.class_name = ClassOf(method.attribute("className").value());
    std::string_view storage = method.attribute("codeBase").value();
    if (storage.empty()) storage = test.attribute("storage").value();
    def.suite = Basename(storage);
    definitions.try_emplace(test.attribute("id").value(), std::move(def));
  }

  pugi::xml_node results = Child(root, "Results");
  // A data-driven test's summary result is dropped in favour of its rows,
  // whether they are nested (<InnerResults>) or flat siblings.
  std::unordered_set<std::string> has_flat_rows;
  for (pugi::xml_node r : results.children()) {
    if (IsResult(r) && std::string_view(r.attribute("resultType").value()) == "DataDrivenDataRow") {
      has_flat_rows.insert(r.attribute("testId").value());
    }
  }

  CaseList cases;
  std::unordered_set<std::string> classes;
  // Depth-first over results and their inner results (explicit stack),
  // children pushed in reverse so cases come out in document order.
  std::vector<pugi::xml_node> stack;
  auto push_results = [&](const pugi::xml_node& parent) {
    for (pugi::xml_node r = parent.last_child(); r; r = r.previous_sibling()) {
      if (IsResult(r)) stack.push_back(r);
    }
  };
  push_results(results);
  while (!stack.empty()) {
    pugi::xml_node r = stack.back();
    stack.pop_back();
    std::string test_id = r.attribute("testId").value();
    pugi::xml_node inner = Child(r, "InnerResults");
    bool has_inner = false;
    for (pugi::xml_node child : inner.children()) has_inner = has_inner || IsResult(child);
    if (has_inner) {
      push_results(inner);
      continue;
    }
    if (std::string_view(r.attribute("resultType").value()) == "DataDrivenTest" && has_flat_rows.contains(test_id)) {
      continue;
    }
    auto def = definitions.find(test_id);
    TestCaseResult c = ReadUnitTestResult(r, def == definitions.end() ? nullptr : &def->second, file);
    if (!c.class_name.empty()) classes.insert(c.class_name);
    // The same test (id) under the same name again is another execution of it.
    std::string identity = test_id.empty() ? "" : ToValidUtf8(test_id) + "\n" + c.name;
    cases.AddWithIdentity(std::move(c), identity);
  }
  out.suites = static_cast<int>(classes.size());
  out.cases = cases.Take();
  return out;
}

}  // namespace sentinel::junit_internal
