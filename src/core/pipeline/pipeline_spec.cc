#include "core/pipeline/pipeline_spec.h"

#include <charconv>
#include <exception>
#include <optional>
#include <set>
#include <string>

#include <yaml-cpp/yaml.h>

namespace sentinel {
namespace {

// The line of a node (1-based), or `fallback` (its key's line) when the node
// has no mark or is an empty value, whose mark points at the next token.
int LineOf(const YAML::Node& node, int fallback) {
  if (!node.IsDefined() || node.IsNull()) return fallback;
  YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return fallback;
  return mark.line + 1;
}

tl::unexpected<Error> SpecError(int line, const std::string& path, const std::string& why) {
  std::string message = std::string(kPipelineFileName) + " line " + std::to_string(line) + ": ";
  if (!path.empty()) message += path + ": ";
  message += why;
  return Fail(ErrorCode::kInvalidArgument, std::move(message), path);
}

// A scalar value quoted for a message, cut to a readable length.
std::string Quoted(const std::string& value) {
  constexpr size_t kMax = 60;
  if (value.size() <= kMax) return "\"" + value + "\"";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + value.substr(0, cut) + "...\"";
}

std::string KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "empty";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    default: return "undefined";
  }
}

bool IsStepNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool IsEnvName(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// One mapping's entries with the key's text and line, rejecting keys that are
// not scalars, duplicates and (when `allowed` is given) unknown keys.
struct Entry {
  std::string key;
  int line;
  YAML::Node value;
};

Result<std::vector<Entry>> Entries(const YAML::Node& map, const std::string& path,
                                   const std::vector<std::string>& allowed, int line) {
  std::vector<Entry> entries;
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    int key_line = LineOf(it->first, line);
    if (!it->first.IsScalar()) return SpecError(key_line, path, "a key must be a plain name");
    std::string key = it->first.Scalar();
    std::string key_path = path.empty() ? key : path + "." + key;
    if (!allowed.empty()) {
      bool known = false;
      std::string expected;
      for (const std::string& a : allowed) {
        known = known || a == key;
        expected += (expected.empty() ? "" : ", ") + a;
      }
      if (!known) {
        return SpecError(key_line, key_path, "unknown key (expected one of: " + expected + ")");
      }
    }
    if (!seen.insert(key).second) return SpecError(key_line, key_path, "duplicate key");
    entries.push_back({key, key_line, it->second});
  }
  return entries;
}

// A scalar's text; empty values and lists/maps are errors.
Result<std::string> ScalarText(const Entry& e, const std::string& path, const std::string& what) {
  if (!e.value.IsScalar()) {
    return SpecError(LineOf(e.value, e.line), path, "must be " + what + ", not " + KindName(e.value));
  }
  return e.value.Scalar();
}

Result<std::map<std::string, std::string>> ParseEnv(const Entry& e, const std::string& path) {
  if (!e.value.IsMap()) {
    return SpecError(LineOf(e.value, e.line), path,
                     "must be a mapping of NAME: value, not " + KindName(e.value));
  }
  auto entries = Entries(e.value, path, {}, e.line);
  if (!entries) return Fail(entries.error());
  std::map<std::string, std::string> env;
  for (const Entry& var : *entries) {
    std::string var_path = path + "." + var.key;
    if (!IsEnvName(var.key)) {
      return SpecError(var.line, var_path,
                       Quoted(var.key) + " is not a variable name (letters, digits, _; not starting with a digit)");
    }
    // Scalars keep their text as written, so 1.10 stays "1.10" and yes stays "yes".
    auto value = ScalarText(var, var_path, "a string, number or boolean");
    if (!value) return Fail(value.error());
    env[var.key] = *value;
  }
  return env;
}

Status CheckGlob(const std::string& glob, int line, const std::string& path) {
  if (glob.empty()) return SpecError(line, path, "must not be empty");
  if (glob.front() == '/' || glob.front() == '~') {
    return SpecError(line, path, Quoted(glob) + " must be relative to the workspace");
  }
  if (glob.find('\0') != std::string::npos || glob.find('\\') != std::string::npos) {
    return SpecError(line, path, Quoted(glob) + " must use / as the path separator");
  }
  size_t start = 0;
  while (start <= glob.size()) {
    size_t end = glob.find('/', start);
    if (end == std::string::npos) end = glob.size();
    if (glob.compare(start, end - start, "..") == 0) {
      return SpecError(line, path, Quoted(glob) + " must stay inside the workspace (no \"..\")");
    }
    start = end + 1;
  }
  return Ok();
}

Result<std::vector<std::string>> ParseJUnitGlobs(const Entry& e, const std::string& path) {
  std::vector<std::string> globs;
  if (e.value.IsScalar()) {
    if (Status s = CheckGlob(e.value.Scalar(), LineOf(e.value, e.line), path); !s) return Fail(s.error());
    globs.push_back(e.value.Scalar());
    return globs;
  }
  if (!e.value.IsSequence() || e.value.size() == 0) {
    return SpecError(LineOf(e.value, e.line), path, "must be a glob or a non-empty list of globs");
  }
  for (size_t i = 0; i < e.value.size(); ++i) {
    const YAML::Node item = e.value[i];
    std::string item_path = path + "[" + std::to_string(i) + "]";
    int line = LineOf(item, e.line);
    if (!item.IsScalar()) return SpecError(line, item_path, "must be a glob, not " + KindName(item));
    if (Status s = CheckGlob(item.Scalar(), line, item_path); !s) return Fail(s.error());
    globs.push_back(item.Scalar());
  }
  return globs;
}

Result<PipelineStepSpec> ParseStep(const YAML::Node& node, const std::string& path, int fallback_line,
                                   EpochMs default_timeout_ms) {
  PipelineStepSpec step;
  step.line = LineOf(node, fallback_line);
  if (!node.IsMap()) {
    return SpecError(step.line, path, "a step must be a mapping with name and run, not " + KindName(node));
  }
  step.timeout_ms = default_timeout_ms;
  auto entries = Entries(node, path, {"name", "run", "timeout", "junit", "retries", "env"}, step.line);
  if (!entries) return Fail(entries.error());
  bool has_name = false, has_run = false;
  for (const Entry& e : *entries) {
    std::string key_path = path + "." + e.key;
    int value_line = LineOf(e.value, e.line);
    if (e.key == "name") {
      auto name = ScalarText(e, key_path, "a name");
      if (!name) return Fail(name.error());
      if (name->empty() || name->size() > 100) {
        return SpecError(value_line, key_path, "must be 1 to 100 characters");
      }
      for (char c : *name) {
        if (!IsStepNameChar(c)) {
          return SpecError(value_line, key_path,
                           Quoted(*name) + " may only contain letters, digits, '.', '_' and '-' (it names the log file)");
        }
      }
      if (*name == "." || *name == "..") {
        return SpecError(value_line, key_path, Quoted(*name) + " is not a usable name");
      }
      step.name = *name;
      has_name = true;
    } else if (e.key == "run") {
      auto run = ScalarText(e, key_path, "a shell command");
      if (!run) return Fail(run.error());
      if (run->find_first_not_of(" \t\r\n") == std::string::npos) {
        return SpecError(value_line, key_path, "must not be empty");
      }
      step.run = *run;
      has_run = true;
    } else if (e.key == "timeout") {
      auto text = ScalarText(e, key_path, "a duration (use 90s, 5m, 1h)");
      if (!text) return Fail(text.error());
      // ParseDurationMs multiplies without an overflow check, so numbers too
      // long to be under 24h in any unit never reach it.
      size_t digits = 0;
      while (digits < text->size() && (*text)[digits] >= '0' && (*text)[digits] <= '9') ++digits;
      std::optional<EpochMs> ms;
      if (digits <= 9) {
        ms = ParseDurationMs(*text);
      } else if (ParseDurationMs("0" + text->substr(digits))) {
        ms = kMaxStepTimeoutMs + 1;  // a valid unit on a huge number
      }
      if (!ms) return SpecError(value_line, key_path, Quoted(*text) + " is not a duration (use 90s, 5m, 1h)");
      if (*ms <= 0 || *ms > kMaxStepTimeoutMs) {
        return SpecError(value_line, key_path, Quoted(*text) + " must be more than 0 and at most 24h");
      }
      step.timeout_ms = *ms;
      step.timeout_set = true;
    } else if (e.key == "junit") {
      auto globs = ParseJUnitGlobs(e, key_path);
      if (!globs) return Fail(globs.error());
      step.junit = std::move(*globs);
    } else if (e.key == "retries") {
      auto text = ScalarText(e, key_path, "a whole number from 0 to 5");
      if (!text) return Fail(text.error());
      int retries = -1;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), retries);
      if (ec != std::errc() || end != text->data() + text->size() || retries < 0 ||
          retries > kMaxStepRetries) {
        return SpecError(value_line, key_path, Quoted(*text) + " must be a whole number from 0 to 5");
      }
      step.retries = retries;
    } else if (e.key == "env") {
      auto env = ParseEnv(e, key_path);
      if (!env) return Fail(env.error());
      step.env = std::move(*env);
    }
  }
  if (!has_name) return SpecError(step.line, path + ".name", "required (a name for the step)");
  if (!has_run) return SpecError(step.line, path + ".run", "required (the command to run)");
  return step;
}

Result<PipelineSpec> ParseRoot(const YAML::Node& root, EpochMs default_timeout_ms) {
  if (root.IsNull() || !root.IsDefined()) {
    return SpecError(1, "steps", "required: the file is empty; it needs a list of steps");
  }
  if (!root.IsMap()) {
    return SpecError(LineOf(root, 1), "", "the top level must be a mapping with env and steps, not " + KindName(root));
  }
  auto entries = Entries(root, "", {"env", "steps"}, 1);
  if (!entries) return Fail(entries.error());
  PipelineSpec spec;
  bool has_steps = false;
  for (const Entry& e : *entries) {
    if (e.key == "env") {
      auto env = ParseEnv(e, "env");
      if (!env) return Fail(env.error());
      spec.env = std::move(*env);
      continue;
    }
    has_steps = true;
    int line = LineOf(e.value, e.line);
    if (!e.value.IsSequence() || e.value.size() == 0) {
      return SpecError(line, "steps", "must be a non-empty list of steps, not " +
                                          (e.value.IsSequence() ? std::string("an empty list") : KindName(e.value)));
    }
    if (e.value.size() > kMaxPipelineSteps) {
      return SpecError(line, "steps", "at most " + std::to_string(kMaxPipelineSteps) + " steps");
    }
    for (size_t i = 0; i < e.value.size(); ++i) {
      std::string path = "steps[" + std::to_string(i) + "]";
      auto step = ParseStep(e.value[i], path, line, default_timeout_ms);
      if (!step) return Fail(step.error());
      for (size_t j = 0; j < spec.steps.size(); ++j) {
        if (spec.steps[j].name == step->name) {
          return SpecError(step->line, path + ".name",
                           Quoted(step->name) + " is already the name of steps[" + std::to_string(j) + "]");
        }
      }
      spec.steps.push_back(std::move(*step));
    }
  }
  if (!has_steps) return SpecError(1, "steps", "required: a list of steps");
  return spec;
}

}  // namespace

Result<PipelineSpec> ParsePipelineSpec(std::string_view yaml_text, EpochMs default_timeout_ms) {
  if (yaml_text.size() > kMaxPipelineFileBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(kPipelineFileName) + ": " + std::to_string(yaml_text.size()) +
                    " bytes, over the 1 MiB limit for a pipeline file");
  }
  // yaml-cpp reports problems by throwing; they are turned into values here,
  // each with its line.
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    return ParseRoot(root, default_timeout_ms);
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    return SpecError(line, "", "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(kPipelineFileName) + ": cannot be read: " + e.what());
  }
}

}  // namespace sentinel
