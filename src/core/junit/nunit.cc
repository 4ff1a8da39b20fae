// NUnit result files: NUnit 2 (<test-results>, nunit-console 2.x) and NUnit 3
// (<test-run>, nunit3-console and NUnitLite; a bare <test-suite> is NUnit's
// own TestResult.ToXml). One reader: the two dialects differ in outcome words
// and a few attribute names, not in shape.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/junit/report_xml.h"

namespace sentinel::junit_internal {
namespace {

struct Outcome {
  TestOutcome outcome = TestOutcome::kPassed;
  std::string word;  // said in the message when there is no other
};

// NUnit 3: result + label; NUnit 2: result, else success/executed.
Outcome MapOutcome(const pugi::xml_node& node) {
  std::string_view result = node.attribute("result").value();
  std::string_view label = node.attribute("label").value();
  if (result == "Passed" || result == "Success" || result == "Warning") return {TestOutcome::kPassed, ""};
  if (result == "Failed" || result == "Failure") {
    if (label == "Error" || label == "Cancelled" || label == "Invalid") return {TestOutcome::kError, std::string(label)};
    return {TestOutcome::kFailed, std::string(result)};
  }
  if (result == "Error" || result == "Cancelled" || result == "NotRunnable" || result == "Invalid") {
    return {TestOutcome::kError, std::string(result)};
  }
  if (result == "Skipped" || result == "Ignored" || result == "Inconclusive" || result == "Explicit" ||
      result == "NotRun") {
    return {TestOutcome::kSkipped, ""};
  }
  if (result.empty()) {
    std::string_view success = node.attribute("success").value();
    std::string_view executed = node.attribute("executed").value();
    if (executed == "False") return {TestOutcome::kSkipped, ""};
    if (success == "True") return {TestOutcome::kPassed, ""};
    if (success == "False") return {TestOutcome::kFailed, "Failure"};
    return {TestOutcome::kSkipped, ""};  // no result at all: listed, not run (--explore)
  }
  return {TestOutcome::kError, "result=\"" + ToValidUtf8(result) + "\""};
}

// <failure>/<reason>: its <message>, else its <stack-trace>.
std::string MessageOf(const pugi::xml_node& holder) {
  std::string message(Trim(DirectText(Child(holder, "message"))));
  if (message.empty()) message = std::string(Trim(DirectText(Child(holder, "stack-trace"))));
  return message;
}

std::string CaseMessage(const pugi::xml_node& node, const Outcome& o) {
  switch (o.outcome) {
    case TestOutcome::kPassed: return "";
    case TestOutcome::kSkipped: return CleanMessage(MessageOf(Child(node, "reason")));
    case TestOutcome::kFailed:
    case TestOutcome::kError: {
      std::string message = MessageOf(Child(node, "failure"));
      if (message.empty()) message = MessageOf(Child(node, "reason"));
      return CleanMessage(message.empty() ? o.word : message);
    }
  }
  return "";
}

std::int64_t DurationMs(const pugi::xml_node& node) {
  pugi::xml_attribute duration = node.attribute("duration");  // NUnit 3
  return ParseSecondsToMs(duration ? duration.value() : node.attribute("time").value());
}

bool IsFixture(std::string_view type) {
  return type == "TestFixture" || type == "GenericFixture" || type == "ParameterizedFixture" ||
         type == "SetUpFixture";
}

struct Scope {
  std::string assembly;   // file name of the enclosing Assembly suite
  std::string ns;         // NUnit 2: enclosing Namespace suites, dot-joined
  std::string fixture;    // full name of the enclosing fixture
};

constexpr size_t kMaxNameBytes = 1024;

Scope EnterSuite(const pugi::xml_node& suite, Scope scope) {
  std::string_view type = suite.attribute("type").value();
  std::string name = ToValidUtf8(suite.attribute("name").value());
  std::string fullname = ToValidUtf8(suite.attribute("fullname").value());
  if (type == "Assembly") {
    scope.assembly = Basename(name);
    scope.ns.clear();
  } else if (type == "Namespace") {
    // Bounded so that deep nesting stays linear.
    if (scope.ns.size() + name.size() + 1 <= kMaxNameBytes) {
      if (!scope.ns.empty() && !name.empty()) scope.ns += '.';
      scope.ns += name;
    }
  } else if (IsFixture(type)) {
    if (!fullname.empty()) {
      scope.fixture = std::move(fullname);
    } else {
      scope.fixture = scope.ns.empty() ? name : scope.ns + "." + name;
    }
  }
  return scope;
}

TestCaseResult ReadCase(const pugi::xml_node& node, const Scope& scope, const std::string& file) {
  TestCaseResult c;
  c.suite = scope.assembly;
  c.class_name = ToValidUtf8(node.attribute("classname").value());  // NUnit 3
  if (c.class_name.empty()) c.class_name = scope.fixture;
  c.name = StripPrefix(ToValidUtf8(node.attribute("name").value()), c.class_name);
  Outcome o = MapOutcome(node);
  c.outcome = o.outcome;
  c.message = CaseMessage(node, o);
  c.duration_ms = DurationMs(node);
  c.file = file;
  return c;
}

bool Failing(TestOutcome o) { return o == TestOutcome::kFailed || o == TestOutcome::kError; }

// The case standing for a suite that failed on its own (a one-time setup or
// teardown, a cancelled run): NUnit marks the suite, not its cases (NUnit 2
// does not even say why).
TestCaseResult SuiteFailure(const pugi::xml_node& suite, const Scope& scope, const std::string& file) {
  TestCaseResult c;
  c.suite = scope.assembly;
  c.class_name = !scope.fixture.empty() ? scope.fixture : ToValidUtf8(suite.attribute("name").value());
  std::string_view site = suite.attribute("site").value();
  c.name = site == "TearDown" ? "(one-time teardown)" : site == "SetUp" ? "(one-time setup)" : "(suite)";
  c.outcome = TestOutcome::kError;
  c.message = CaseMessage(suite, MapOutcome(suite));
  c.file = file;
  return c;
}

}  // namespace

ReadResult ReadNUnit(const pugi::xml_node& root, const std::string& file) {
  ReadResult out;
  out.format = std::string_view(root.name()) == "test-results" ? "nunit2" : "nunit3";
  CaseList cases;
  int failing = 0;  // failed or error cases read so far
  // Depth-first with an explicit stack (nesting depth is the file's to
  // choose); children pushed in reverse so cases come out in document order.
  struct Item {
    pugi::xml_node node;
    Scope scope;
    // Set on a failed suite's second visit, after its cases: the number of
    // failing cases read before them, to tell whether any of them failed.
    std::optional<int> failing_before;
  };
  std::vector<Item> stack;
  auto push_children = [&](const pugi::xml_node& parent, const Scope& scope) {
    for (pugi::xml_node child = parent.last_child(); child; child = child.previous_sibling()) {
      std::string_view n = LocalName(child);
      if (child.type() == pugi::node_element && (n == "test-suite" || n == "test-case" || n == "results")) {
        stack.push_back({child, scope, std::nullopt});
      }
    }
  };
  stack.push_back({root, Scope{}, std::nullopt});
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    std::string_view n = LocalName(item.node);
    if (item.failing_before) {
      if (failing == *item.failing_before) {
        ++failing;
        cases.AddWithIdentity(SuiteFailure(item.node, item.scope, file), "");
      }
    } else if (n == "test-case") {
      TestCaseResult c = ReadCase(item.node, item.scope, file);
      if (Failing(c.outcome)) ++failing;
      std::string id = ToValidUtf8(item.node.attribute("id").value());  // NUnit 3: unique per test
      if (!id.empty()) {
        cases.AddWithIdentity(std::move(c), "id:" + id);
      } else {
        cases.AddInSequence(std::move(c), item.node.parent().internal_object());
      }
    } else if (n == "test-suite") {
      ++out.suites;
      Scope scope = EnterSuite(item.node, item.scope);
      if (Failing(MapOutcome(item.node).outcome)) stack.push_back({item.node, scope, failing});
      push_children(item.node, scope);
    } else {  // the root, or NUnit 2's <results> wrapper
      push_children(item.node, item.scope);
    }
  }
  out.cases = cases.Take();
  return out;
}

}  // namespace sentinel::junit_internal
