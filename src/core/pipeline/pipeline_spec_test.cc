#include "core/pipeline/pipeline_spec.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sentinel {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(PipelineSpecTest, ParsesTheContractExample) {
  const char* yaml = R"(env: {KEY: value}
steps:
  - name: build
    run: cmake -B build && cmake --build build
    timeout: 120s
  - name: test
    run: ctest --test-dir build --output-junit junit.xml
    timeout: 300s
    junit: build/junit.xml     # glob; JUnit XML files ingested after the step
    retries: 1                 # re-run on infrastructure-class failures only
)";
  Result<PipelineSpec> spec = ParsePipelineSpec(yaml);
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_THAT(spec->env, ElementsAre(Pair("KEY", "value")));
  ASSERT_EQ(spec->steps.size(), 2u);
  const PipelineStepSpec& build = spec->steps[0];
  EXPECT_EQ(build.name, "build");
  EXPECT_EQ(build.run, "cmake -B build && cmake --build build");
  EXPECT_EQ(build.timeout_ms, 120000);
  EXPECT_TRUE(build.timeout_set);
  EXPECT_TRUE(build.junit.empty());
  EXPECT_EQ(build.retries, 0);
  EXPECT_EQ(build.line, 3);
  const PipelineStepSpec& test = spec->steps[1];
  EXPECT_EQ(test.timeout_ms, 300000);
  EXPECT_THAT(test.junit, ElementsAre("build/junit.xml"));
  EXPECT_EQ(test.retries, 1);
  EXPECT_EQ(test.line, 6);
}

TEST(PipelineSpecTest, DefaultsCoercionAndOptionalParts) {
  const char* yaml = R"(
env:
  NUM: 42
  FLOATY: 1.10
  FLAG: true
  EMPTY: ""
steps:
  - name: unit-tests_v1.2
    run: |
      make test
      echo done
    junit: [reports/*.xml, "out/**/TEST-*.xml"]
    retries: "5"
    env: {STEP_ONLY: x, NUM: 7}
)";
  Result<PipelineSpec> spec = ParsePipelineSpec(yaml, 90000);
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_THAT(spec->env, ElementsAre(Pair("EMPTY", ""), Pair("FLAG", "true"), Pair("FLOATY", "1.10"),
                                     Pair("NUM", "42")));
  ASSERT_EQ(spec->steps.size(), 1u);
  const PipelineStepSpec& s = spec->steps[0];
  EXPECT_EQ(s.name, "unit-tests_v1.2");
  EXPECT_EQ(s.run, "make test\necho done\n");
  EXPECT_EQ(s.timeout_ms, 90000);  // the caller's default
  EXPECT_FALSE(s.timeout_set);
  EXPECT_THAT(s.junit, ElementsAre("reports/*.xml", "out/**/TEST-*.xml"));
  EXPECT_EQ(s.retries, 5);
  EXPECT_THAT(s.env, ElementsAre(Pair("NUM", "7"), Pair("STEP_ONLY", "x")));
}

TEST(PipelineSpecTest, TimeoutForms) {
  struct Case {
    const char* timeout;
    EpochMs want;
  } cases[] = {{"90s", 90000}, {"5m", 300000}, {"1h", 3600000}, {"1500ms", 1500}, {"45", 45000}, {"24h", 86400000}};
  for (const Case& c : cases) {
    std::string yaml = std::string("steps:\n  - name: a\n    run: x\n    timeout: ") + c.timeout + "\n";
    Result<PipelineSpec> spec = ParsePipelineSpec(yaml);
    ASSERT_TRUE(spec.has_value()) << c.timeout << ": " << spec.error().message;
    EXPECT_EQ(spec->steps[0].timeout_ms, c.want) << c.timeout;
  }
}

TEST(PipelineSpecTest, RejectsWithLineAndKey) {
  struct Case {
    const char* what;
    const char* yaml;
    const char* message;
    const char* field;
  } cases[] = {
      {"bad duration",
       "env:\n  A: b\nsteps:\n  - name: build\n    run: make\n  - name: test\n    timeout: 5 minutes\n    run: make test\n",
       ".sentinel.yml line 7: steps[1].timeout: \"5 minutes\" is not a duration (use 90s, 5m, 1h)", "steps[1].timeout"},
      {"zero timeout", "steps:\n  - name: a\n    run: x\n    timeout: 0s\n",
       ".sentinel.yml line 4: steps[0].timeout: \"0s\" must be more than 0 and at most 24h", "steps[0].timeout"},
      {"huge timeout", "steps:\n  - name: a\n    run: x\n    timeout: 25h\n",
       ".sentinel.yml line 4: steps[0].timeout: \"25h\" must be more than 0 and at most 24h", "steps[0].timeout"},
      {"overflowing timeout", "steps:\n  - name: a\n    run: x\n    timeout: 99999999999999h\n",
       ".sentinel.yml line 4: steps[0].timeout: \"99999999999999h\" must be more than 0 and at most 24h", "steps[0].timeout"},
      {"long garbage timeout", "steps:\n  - name: a\n    run: x\n    timeout: 99999999999999 minutes\n",
       ".sentinel.yml line 4: steps[0].timeout: \"99999999999999 minutes\" is not a duration (use 90s, 5m, 1h)", "steps[0].timeout"},
      {"timeout list", "steps:\n  - name: a\n    run: x\n    timeout: [1s]\n",
       ".sentinel.yml line 4: steps[0].timeout: must be a duration (use 90s, 5m, 1h), not a list", "steps[0].timeout"},
      {"empty file", "", ".sentinel.yml line 1: steps: required: the file is empty; it needs a list of steps", "steps"},
      {"only comments", "# nothing\n", ".sentinel.yml line 1: steps: required: the file is empty; it needs a list of steps", "steps"},
      {"no steps", "env: {A: b}\n", ".sentinel.yml line 1: steps: required: a list of steps", "steps"},
      {"empty steps", "steps: []\n", ".sentinel.yml line 1: steps: must be a non-empty list of steps, not an empty list", "steps"},
      {"steps is a map", "steps:\n  build: make\n", ".sentinel.yml line 2: steps: must be a non-empty list of steps, not a mapping", "steps"},
      {"top level list", "- a\n- b\n", ".sentinel.yml line 1: the top level must be a mapping with env and steps, not a list", ""},
      {"unknown top key", "steps:\n  - name: a\n    run: x\nstages: [a]\n",
       ".sentinel.yml line 4: stages: unknown key (expected one of: env, steps)", "stages"},
      {"unknown step key", "steps:\n  - name: a\n    run: x\n    timout: 5s\n",
       ".sentinel.yml line 4: steps[0].timout: unknown key (expected one of: name, run, timeout, junit, retries, env)", "steps[0].timout"},
      {"duplicate key", "steps:\n  - name: a\n    run: x\n    run: y\n", ".sentinel.yml line 4: steps[0].run: duplicate key", "steps[0].run"},
      {"missing name", "steps:\n  - name: a\n    run: x\n  - run: y\n", ".sentinel.yml line 4: steps[1].name: required (a name for the step)", "steps[1].name"},
      {"missing run", "steps:\n  - name: a\n", ".sentinel.yml line 2: steps[0].run: required (the command to run)", "steps[0].run"},
      {"empty run", "steps:\n  - name: a\n    run: \"  \"\n", ".sentinel.yml line 3: steps[0].run: must not be empty", "steps[0].run"},
      {"null run", "steps:\n  - name: a\n    run:\n", ".sentinel.yml line 3: steps[0].run: must be a shell command, not empty", "steps[0].run"},
      {"step is a string", "steps:\n  - make\n", ".sentinel.yml line 2: steps[0]: a step must be a mapping with name and run, not a scalar", "steps[0]"},
      {"bad name", "steps:\n  - name: build all\n    run: x\n",
       ".sentinel.yml line 2: steps[0].name: \"build all\" may only contain letters, digits, '.', '_' and '-' (it names the log file)", "steps[0].name"},
      {"slash in name", "steps:\n  - name: ../etc\n    run: x\n",
       ".sentinel.yml line 2: steps[0].name: \"../etc\" may only contain letters, digits, '.', '_' and '-' (it names the log file)", "steps[0].name"},
      {"dot-dot name", "steps:\n  - name: ..\n    run: x\n", ".sentinel.yml line 2: steps[0].name: \"..\" is not a usable name", "steps[0].name"},
      {"duplicate name", "steps:\n  - name: a\n    run: x\n  - name: b\n    run: y\n  - name: a\n    run: z\n",
       ".sentinel.yml line 6: steps[2].name: \"a\" is already the name of steps[0]", "steps[2].name"},
      {"retries too high", "steps:\n  - name: a\n    run: x\n    retries: 6\n",
       ".sentinel.yml line 4: steps[0].retries: \"6\" must be a whole number from 0 to 5", "steps[0].retries"},
      {"retries negative", "steps:\n  - name: a\n    run: x\n    retries: -1\n",
       ".sentinel.yml line 4: steps[0].retries: \"-1\" must be a whole number from 0 to 5", "steps[0].retries"},
      {"retries fraction", "steps:\n  - name: a\n    run: x\n    retries: 1.5\n",
       ".sentinel.yml line 4: steps[0].retries: \"1.5\" must be a whole number from 0 to 5", "steps[0].retries"},
      {"retries bool", "steps:\n  - name: a\n    run: x\n    retries: true\n",
       ".sentinel.yml line 4: steps[0].retries: \"true\" must be a whole number from 0 to 5", "steps[0].retries"},
      {"absolute glob", "steps:\n  - name: a\n    run: x\n    junit: /tmp/junit.xml\n",
       ".sentinel.yml line 4: steps[0].junit: \"/tmp/junit.xml\" must be relative to the workspace", "steps[0].junit"},
      {"escaping glob", "steps:\n  - name: a\n    run: x\n    junit:\n      - ok/*.xml\n      - build/../../x.xml\n",
       ".sentinel.yml line 6: steps[0].junit[1]: \"build/../../x.xml\" must stay inside the workspace (no \"..\")", "steps[0].junit[1]"},
      {"glob map", "steps:\n  - name: a\n    run: x\n    junit: {a: b}\n",
       ".sentinel.yml line 4: steps[0].junit: must be a glob or a non-empty list of globs", "steps[0].junit"},
      {"env list", "env: [A, B]\nsteps:\n  - name: a\n    run: x\n",
       ".sentinel.yml line 1: env: must be a mapping of NAME: value, not a list", "env"},
      {"env bad name", "env:\n  1X: y\nsteps:\n  - name: a\n    run: x\n",
       ".sentinel.yml line 2: env.1X: \"1X\" is not a variable name (letters, digits, _; not starting with a digit)", "env.1X"},
      {"env nested value", "steps:\n  - name: a\n    run: x\n    env:\n      A: {b: c}\n",
       ".sentinel.yml line 5: steps[0].env.A: must be a string, number or boolean, not a mapping", "steps[0].env.A"},
      {"env null value", "env:\n  A:\nsteps:\n  - name: a\n    run: x\n",
       ".sentinel.yml line 2: env.A: must be a string, number or boolean, not empty", "env.A"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Result<PipelineSpec> spec = ParsePipelineSpec(c.yaml);
    ASSERT_FALSE(spec.has_value());
    EXPECT_EQ(spec.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(spec.error().message, c.message);
    EXPECT_EQ(spec.error().field, c.field);
  }
}

TEST(PipelineSpecTest, InvalidYamlNamesTheParsersLine) {
  struct Case {
    const char* yaml;
    const char* prefix;
  } cases[] = {
      {"steps:\n  - name: a\n    run: x\n  - name: [unclosed\n", ".sentinel.yml line 5: invalid YAML: "},
      {"steps:\n  - name: a\n   run: x\n", ".sentinel.yml line 3: invalid YAML: "},
      {"env: {A: b\nsteps: []\n", ".sentinel.yml line "},
  };
  for (const Case& c : cases) {
    Result<PipelineSpec> spec = ParsePipelineSpec(c.yaml);
    ASSERT_FALSE(spec.has_value()) << c.yaml;
    EXPECT_THAT(spec.error().message, ::testing::StartsWith(c.prefix)) << spec.error().message;
    EXPECT_THAT(spec.error().message, ::testing::HasSubstr("invalid YAML: ")) << spec.error().message;
  }
}

TEST(PipelineSpecTest, HostileInputIsRejectedNotFatal) {
  std::string deep(5000, '[');
  Result<PipelineSpec> spec = ParsePipelineSpec(deep);
  ASSERT_FALSE(spec.has_value());
  EXPECT_THAT(spec.error().message, ::testing::StartsWith(".sentinel.yml"));

  std::string big = "steps:\n  - name: a\n    run: " + std::string(kMaxPipelineFileBytes, 'x') + "\n";
  spec = ParsePipelineSpec(big);
  ASSERT_FALSE(spec.has_value());
  EXPECT_THAT(spec.error().message, ::testing::HasSubstr("over the 1 MiB limit"));

  std::string many = "steps:\n";
  for (size_t i = 0; i <= kMaxPipelineSteps; ++i) many += "  - {name: s" + std::to_string(i) + ", run: x}\n";
  spec = ParsePipelineSpec(many);
  ASSERT_FALSE(spec.has_value());
  EXPECT_EQ(spec.error().message, ".sentinel.yml line 2: steps: at most 100 steps");
}

}  // namespace
}  // namespace sentinel
