// Migration file naming and the embedded migration sets (no database needed).
#include "adapters/sqlstore/migrate.h"

#include <gtest/gtest.h>

namespace sentinel::sqlstore {
namespace {

TEST(ParseMigrationTest, TakesVersionAndNameFromTheFileName) {
  auto m = ParseMigration(EmbeddedFile{"0001_init.sql", "CREATE TABLE t (x INTEGER);"});
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->version, 1);
  EXPECT_EQ(m->name, "init");
  EXPECT_EQ(m->sql, "CREATE TABLE t (x INTEGER);");
  auto big = ParseMigration(EmbeddedFile{"0042_add_run_labels.sql", ""});
  ASSERT_TRUE(big);
  EXPECT_EQ(big->version, 42);
  EXPECT_EQ(big->name, "add_run_labels");
}

TEST(ParseMigrationTest, RejectsBadlyNamedFilesNamingThem) {
  for (const char* name : {"init.sql", "0001.sql", "0001_.sql", "0000_zero.sql", "0001_init.txt", "0001init.sql",
                           "_0001_init.sql", ""}) {
    auto m = ParseMigration(EmbeddedFile{name, ""});
    ASSERT_FALSE(m) << "accepted '" << name << "'";
    EXPECT_EQ(m.error().code, ErrorCode::kInternal);
    EXPECT_NE(m.error().message.find("'" + std::string(name) + "'"), std::string::npos) << m.error().message;
  }
}

TEST(MigrationsForTest, BothDialectsShipTheSameVersionsInOrder) {
  auto lite = MigrationsFor("sqlite");
  auto pg = MigrationsFor("postgres");
  ASSERT_TRUE(lite) << lite.error().message;
  ASSERT_TRUE(pg) << pg.error().message;
  ASSERT_FALSE(lite->empty());
  ASSERT_EQ(lite->size(), pg->size());
  EXPECT_EQ((*lite)[0].version, 1);
  for (size_t i = 0; i < lite->size(); ++i) {
    // Numbers are reserved per change, so a gap can exist until the missing one lands.
    if (i > 0) EXPECT_GT((*lite)[i].version, (*lite)[i - 1].version) << "versions must increase";
    EXPECT_EQ((*lite)[i].version, (*pg)[i].version);
    EXPECT_EQ((*lite)[i].name, (*pg)[i].name);
    EXPECT_FALSE((*lite)[i].sql.empty()) << (*lite)[i].name;
    EXPECT_FALSE((*pg)[i].sql.empty()) << (*pg)[i].name;
  }
  // The first migration creates the schema; later ones alter it.
  EXPECT_NE(lite->front().sql.find("CREATE TABLE"), std::string_view::npos);
  EXPECT_NE(pg->front().sql.find("CREATE TABLE"), std::string_view::npos);
  auto unknown = MigrationsFor("oracle");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace sentinel::sqlstore
