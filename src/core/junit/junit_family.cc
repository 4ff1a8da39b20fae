// The JUnit/xUnit XML family: <testsuites>/<testsuite> roots, as written by
// pytest, GoogleTest, CTest, node's test runner, Maven Surefire, jest-junit.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/junit/report_xml.h"

namespace sentinel::junit_internal {
namespace {

bool NameIs(const pugi::xml_node& node, std::string_view name) {
  return std::string_view(node.name()) == name;
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

constexpr size_t kMaxSuitePathBytes = 1024;
constexpr int kMaxCountPerSuite = 1'000'000;
constexpr int kMaxUnlistedTests = 10'000'000;

// A <testsuite> that lists neither cases nor suites but states its counts
// (a runner's summary, a merged or truncated report): adds those counts.
void CountFromAttributes(const pugi::xml_node& suite, TestCounts& unlisted) {
  for (pugi::xml_node child : suite.children()) {
    if (NameIs(child, "testcase") || NameIs(child, "testsuite") || NameIs(child, "testsuites")) return;
  }
  auto count = [&](const char* name) { return ParseCount(suite.attribute(name).value(), kMaxCountPerSuite); };
  int failed = count("failures");
  int errors = count("errors");
  // "skips" is pytest's name before 5.1; GoogleTest's disabled tests are in `tests` too.
  int skipped = std::max(count("skipped"), count("skips")) + count("disabled");
  int tests = std::max(count("tests"), failed + errors + skipped);
  if (tests == 0 || unlisted.total + tests > kMaxUnlistedTests) return;
  unlisted.total += tests;
  unlisted.passed += tests - failed - errors - skipped;
  unlisted.failed += failed;
  unlisted.errors += errors;
  unlisted.skipped += skipped;
}

}  // namespace

ReadResult ReadJUnitFamily(const pugi::xml_node& root, const std::string& file) {
  ReadResult out;
  out.format = "junit";
  CaseList cases;
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
      cases.AddInSequence(ParseTestCase(item.node, item.suite, file), item.node.parent().internal_object());
    } else if (NameIs(item.node, "testsuite")) {
      ++out.suites;
      CountFromAttributes(item.node, out.unlisted);
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

  out.cases = cases.Take();
  return out;
}

}  // namespace sentinel::junit_internal
