// xUnit.net XML (`dotnet test` with xunit.runner's -xml, xunit.console):
// <assemblies>/<assembly>, tests under <collection> (v2, v3) or <class> (v1).
#include <string>
#include <utility>
#include <vector>

#include "core/junit/report_xml.h"

namespace sentinel::junit_internal {
namespace {

// <failure>/<reason>: its <message> (or its own text), else its <stack-trace>.
std::string MessageOf(const pugi::xml_node& holder) {
  std::string message(Trim(DirectText(Child(holder, "message"))));
  if (message.empty()) message = std::string(Trim(DirectText(holder)));
  if (message.empty()) message = std::string(Trim(DirectText(Child(holder, "stack-trace"))));
  return message;
}

TestCaseResult ReadTest(const pugi::xml_node& test, const std::string& assembly, const std::string& file) {
  TestCaseResult c;
  c.suite = assembly;
  c.class_name = ToValidUtf8(test.attribute("type").value());
  c.name = StripPrefix(ToValidUtf8(test.attribute("name").value()), c.class_name);
  c.duration_ms = ParseSecondsToMs(test.attribute("time").value());
  c.file = file;
  std::string_view result = test.attribute("result").value();
  if (result == "Pass") {
    c.outcome = TestOutcome::kPassed;
  } else if (result == "Fail") {
    c.outcome = TestOutcome::kFailed;
    std::string message = MessageOf(Child(test, "failure"));
    c.message = CleanMessage(message.empty() ? "Fail" : message);
  } else if (result == "Skip" || result == "NotRun") {
    c.outcome = TestOutcome::kSkipped;
    c.message = CleanMessage(MessageOf(Child(test, "reason")));
  } else {
    c.outcome = TestOutcome::kError;
    c.message = CleanMessage("result=\"" + std::string(result) + "\"");
  }
  return c;
}

// An <errors><error> entry: a fixture, cleanup or catastrophic failure that
// belongs to no single test.
TestCaseResult ReadError(const pugi::xml_node& error, const std::string& assembly, const std::string& file) {
  TestCaseResult c;
  c.suite = assembly;
  c.class_name = ToValidUtf8(error.attribute("name").value());
  c.name = ToValidUtf8(error.attribute("type").value());
  if (c.name.empty()) c.name = "error";
  c.outcome = TestOutcome::kError;
  std::string message = MessageOf(Child(error, "failure"));
  c.message = CleanMessage(message.empty() ? c.name : message);
  c.file = file;
  return c;
}

}  // namespace

ReadResult ReadXUnit(const pugi::xml_node& root, const std::string& file) {
  ReadResult out;
  out.format = "xunit";
  CaseList cases;
  // Depth-first with an explicit stack; children pushed in reverse so cases
  // come out in document order.
  struct Item {
    pugi::xml_node node;
    std::string assembly;
  };
  std::vector<Item> stack;
  auto push_children = [&](const pugi::xml_node& parent, const std::string& assembly) {
    for (pugi::xml_node child = parent.last_child(); child; child = child.previous_sibling()) {
      std::string_view n = LocalName(child);
      if (child.type() == pugi::node_element &&
          (n == "assembly" || n == "collection" || n == "class" || n == "test" || n == "errors" || n == "error")) {
        stack.push_back({child, assembly});
      }
    }
  };
  stack.push_back({root, ""});
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    std::string_view n = LocalName(item.node);
    if (n == "test") {
      cases.AddInSequence(ReadTest(item.node, item.assembly, file), item.node.parent().internal_object());
    } else if (n == "error") {
      cases.AddWithIdentity(ReadError(item.node, item.assembly, file), "");
    } else if (n == "assembly") {
      push_children(item.node, Basename(item.node.attribute("name").value()));
    } else {
      if (n == "collection" || n == "class") ++out.suites;
      push_children(item.node, item.assembly);  // <assemblies>, <errors>, a collection
    }
  }
  out.cases = cases.Take();
  return out;
}

}  // namespace sentinel::junit_internal
