// db_factory: which URLs open which store, and `sentinel migrate` end to end on SQLite.
#include "cli/db_factory.h"
#include "adapters/sqlstore/migrate.h"

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "testing/servers.h"

namespace sentinel::cli {
namespace {

namespace fs = std::filesystem;
using Kind = DatabaseUrl::Kind;

TEST(ParseDatabaseUrlTest, AcceptsSqliteAndPostgresForms) {
  struct Case {
    const char* url;
    Kind kind;
    const char* target;
  };
  const Case kCases[] = {
      {"sqlite://data/sentinel.db", Kind::kSqlite, "data/sentinel.db"},
      {"sqlite://sentinel.db", Kind::kSqlite, "sentinel.db"},
      {"sqlite:///var/lib/sentinel/s.db", Kind::kSqlite, "/var/lib/sentinel/s.db"},
      {"sqlite://:memory:", Kind::kSqlite, ":memory:"},
      {"SQLITE://Data/X.db", Kind::kSqlite, "Data/X.db"},
      {"postgresql://user:pass@db.example:5432/sentinel", Kind::kPostgres,
       "postgresql://user:pass@db.example:5432/sentinel"},
      {"postgres://127.0.0.1/sentinel", Kind::kPostgres, "postgres://127.0.0.1/sentinel"},
      {"postgresql://postgres@127.0.0.1:6543/x?sslmode=disable", Kind::kPostgres,
       "postgresql://postgres@127.0.0.1:6543/x?sslmode=disable"},
  };
  for (const Case& c : kCases) {
    auto parsed = ParseDatabaseUrl(c.url);
    ASSERT_TRUE(parsed) << c.url << ": " << parsed.error().message;
    EXPECT_EQ(parsed->kind, c.kind) << c.url;
    EXPECT_EQ(parsed->target, c.target) << c.url;
  }
}

TEST(ParseDatabaseUrlTest, RejectsEverythingElseNamingTheUrl) {
  for (const char* url : {"", "sqlite://", "sqlite:data.db", "data/sentinel.db", "mysql://u@h/db",
                          "http://localhost:5432/db", "postgresql:/h/db", "redis://127.0.0.1:6379/0", "embedded"}) {
    auto parsed = ParseDatabaseUrl(url);
    ASSERT_FALSE(parsed) << "accepted '" << url << "'";
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().field, "database_url");
    EXPECT_NE(parsed.error().message.find("'" + std::string(url) + "'"), std::string::npos)
        << parsed.error().message;
  }
}

TEST(ParseDatabaseUrlTest, HidesThePasswordInMessages) {
  auto parsed = ParseDatabaseUrl("mysql://admin:hunter2@db/x");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message.find("hunter2"), std::string::npos) << parsed.error().message;
  EXPECT_NE(parsed.error().message.find("mysql://admin:***@db/x"), std::string::npos) << parsed.error().message;
  EXPECT_EQ(RedactDatabaseUrl("postgresql://u:p@h:1/d"), "postgresql://u:***@h:1/d");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://u@h:1/d"), "postgresql://u@h:1/d");
  EXPECT_EQ(RedactDatabaseUrl("sqlite://data/a@b.db"), "sqlite://data/a@b.db");
}

TEST(ResolveDatabaseUrlTest, FlagThenEnvironmentThenDefault) {
  const char* saved = std::getenv("SENTINEL_DATABASE_URL");
  std::string saved_value = saved != nullptr ? saved : "";
  ::unsetenv("SENTINEL_DATABASE_URL");
  EXPECT_EQ(ResolveDatabaseUrl(""), "sqlite://data/sentinel.db");
  ::setenv("SENTINEL_DATABASE_URL", "postgres://h/db", 1);
  EXPECT_EQ(ResolveDatabaseUrl(""), "postgres://h/db");
  EXPECT_EQ(ResolveDatabaseUrl("sqlite://x.db"), "sqlite://x.db");
  if (saved != nullptr) {
    ::setenv("SENTINEL_DATABASE_URL", saved_value.c_str(), 1);
  } else {
    ::unsetenv("SENTINEL_DATABASE_URL");
  }
}

TEST(OpenDatabaseTest, OpensSqliteCreatingFolders) {
  char tmpl[] = "/tmp/sentinel-dbf-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  auto db = OpenDatabase("sqlite://" + dir + "/a/b/s.db");  // sqlite:// + "/tmp/..." = the absolute form
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ((*db)->Dialect(), "sqlite");
  EXPECT_TRUE((*db)->Ping());
  EXPECT_TRUE(fs::exists(dir + "/a/b/s.db"));
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(OpenDatabaseTest, PostgresIsLazyAndReportsADownServerAsUnavailable) {
  // Nothing listens on a port just released.
  int port = testing::FreePort();
  auto db = OpenDatabase("POSTGRESQL://u:pw@127.0.0.1:" + std::to_string(port) + "/none");
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ((*db)->Dialect(), "postgres");
  Status ping = (*db)->Ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ping.error().message.find(":pw@"), std::string::npos) << ping.error().message;
}

// The binary itself: migrate twice, then a bad URL.
TEST(MigrateCommandTest, AppliesThenReportsUpToDateAndFailsClearlyOnABadUrl) {
  const char* bin = std::getenv("SENTINEL_BIN");
  if (bin == nullptr) GTEST_SKIP() << "SENTINEL_BIN not set (ctest sets it to the sentinel binary)";
  char tmpl[] = "/tmp/sentinel-mig-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  std::string url = "sqlite://" + dir + "/data/sentinel.db";
  std::string out;
  EXPECT_EQ(testing::RunCommand({bin, "migrate", "--database-url", url}, &out), 0) << out;
  EXPECT_NE(out.find("applied migration 1 (init)"), std::string::npos) << out;
  auto known = sqlstore::MigrationsFor("sqlite");
  ASSERT_TRUE(known) << known.error().message;
  const std::string latest = std::to_string(known->back().version);
  EXPECT_NE(out.find("schema now at version " + latest), std::string::npos) << out;
  EXPECT_EQ(testing::RunCommand({bin, "migrate", "--database-url", url}, &out), 0) << out;
  EXPECT_NE(out.find("schema is up to date at version " + latest), std::string::npos) << out;
  EXPECT_EQ(out.find("applied migration"), std::string::npos) << out;

  EXPECT_NE(testing::RunCommand({bin, "migrate", "--database-url", "mysql://x/y"}, &out), 0) << out;
  EXPECT_NE(out.find("sentinel migrate: database URL 'mysql://x/y'"), std::string::npos) << out;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace sentinel::cli
