#include "cli/seeding.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::cli {
namespace {
namespace fs = std::filesystem;

std::string SourceSamples() {
  const char* src = std::getenv("SENTINEL_SOURCE_DIR");
  return src ? std::string(src) + "/sample_repos" : "";
}

std::int64_t Count(Db& db, const std::string& sql) {
  auto r = db.Exec(sql);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r && !r->rows.empty() ? r->rows[0].Int(0) : -1;
}

TEST(SeedingTest, RegistersEverySampleAsAGitRepositoryOnceAndQueuesHistoryOnce) {
  // Given an empty store, seeding twice should register the three samples once, as real git
  // repositories, and queue one history only.
  ASSERT_FALSE(SourceSamples().empty()) << "SENTINEL_SOURCE_DIR is not set";
  testing::ScratchDir dir;
  auto db = adapters::SqliteDb::Open(dir.Sub("s.db"));
  ASSERT_TRUE(db.has_value());
  ASSERT_TRUE(sqlstore::Migrate(**db, 1000).has_value());

  std::ostringstream first, second;
  ASSERT_TRUE(SeedAll(**db, dir.path(), SourceSamples(), true, first).has_value());
  ASSERT_TRUE(SeedAll(**db, dir.path(), SourceSamples(), true, second).has_value());

  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM repos"), 3);
  const std::int64_t runs = Count(**db, "SELECT COUNT(*) FROM runs WHERE status = 'queued'");
  EXPECT_GT(runs, 0);
  EXPECT_EQ(runs % 3, 0) << "every repo gets the same history";
  EXPECT_EQ(Count(**db, "SELECT COUNT(DISTINCT scenario) FROM runs"), 6) << "every scenario is in the history";
  EXPECT_NE(first.str().find("registered demo-python"), std::string::npos) << first.str();
  EXPECT_NE(second.str().find("already registered demo-node"), std::string::npos) << second.str();
  EXPECT_NE(second.str().find("none queued"), std::string::npos) << second.str();
  for (const char* name : {"demo-python", "demo-cpp", "demo-node"}) {
    std::string head;
    EXPECT_EQ(testing::RunCommand({"git", "-C", dir.Sub(std::string("repos/") + name), "rev-parse", "HEAD"}, &head),
              0)
        << name;
    EXPECT_EQ(head.size(), 41u) << head;
  }
}

TEST(SeedingTest, MissingSamplesFolderIsAClearError) {
  testing::ScratchDir dir;
  auto db = adapters::SqliteDb::Open(dir.Sub("s.db"));
  ASSERT_TRUE(db.has_value());
  ASSERT_TRUE(sqlstore::Migrate(**db, 1000).has_value());
  std::ostringstream out;
  auto s = SeedAll(**db, dir.path(), dir.Sub("nowhere"), false, out);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_NE(s.error().message.find("nowhere"), std::string::npos) << s.error().message;
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM repos"), 0);
}

}  // namespace
}  // namespace sentinel::cli
