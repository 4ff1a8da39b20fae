#include "cli/config_loader.h"

#include <gtest/gtest.h>

#include "testing/scratch_dir.h"

namespace sentinel::cli {
namespace {

class ConfigLoaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string p = dir_.Sub(name);
    EXPECT_TRUE(sentinel::testing::WriteFileAll(p, text));
    return p;
  }
  // Parses argv for a subcommand with the common flags.
  Result<Settings> Load(std::vector<std::string> args, const SettingMap& env) {
    CLI::App app;
    CLI::App* sub = app.add_subcommand("api");
    CommonFlags flags;
    AddCommonFlags(sub, &flags);
    args.insert(args.begin(), "api");
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
    return LoadSettingsWithEnv(flags, env);
  }
  sentinel::testing::ScratchDir dir_;
};

TEST_F(ConfigLoaderTest, FlagsEnvAndFileCombine) {
  const std::string file = Write("a.yml", "api_port: 8100\nworkers: 9\nflaky:\n  window: 40\n");
  auto s = Load({"--config", file, "--api-port", "8300", "--bind", "0.0.0.0"}, {{"SENTINEL_WORKERS", "3"}});
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->api_port, 8300);
  EXPECT_EQ(s->bind, "0.0.0.0");
  EXPECT_EQ(s->workers, 3);
  EXPECT_EQ(s->flaky_window_runs, 40);
}

TEST_F(ConfigLoaderTest, ErrorsNameTheKeyAndTheFile) {
  auto bad_flag = Load({"--api-port", "99999"}, {});
  ASSERT_FALSE(bad_flag.has_value());
  EXPECT_EQ(bad_flag.error().field, "api_port");
  const std::string file = Write("b.yml", "queue:\n  lease_seconds: 30\n  lease_secs: 3\n");
  auto bad_key = Load({"--config", file}, {});
  ASSERT_FALSE(bad_key.has_value());
  EXPECT_EQ(bad_key.error().field, "queue.lease_secs");
  EXPECT_NE(bad_key.error().message.find(file + " line 3"), std::string::npos) << bad_key.error().message;
  auto missing = Load({"--config", dir_.Sub("nope.yml")}, {});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().field, "config");
}

}  // namespace
}  // namespace sentinel::cli
