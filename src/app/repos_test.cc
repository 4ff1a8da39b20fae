#include "app/repos.h"

#include <gtest/gtest.h>

#include "testing/fake_stores.h"

namespace sentinel::app {
namespace {

using sentinel::testing::FakeClock;
using sentinel::testing::FakeRepoStore;

TEST(CreateRepoTest, StoresAValidRepoWithTheClockTime) {
  FakeRepoStore repos;
  FakeClock clock(1234);
  auto repo = CreateRepo(repos, clock, "demo-python.v2_x", "file:///srv/demo");
  ASSERT_TRUE(repo.has_value()) << repo.error().message;
  EXPECT_EQ(repo->name, "demo-python.v2_x");
  EXPECT_EQ(repo->url, "file:///srv/demo");
  EXPECT_EQ(repo->created_at, 1234);
  EXPECT_EQ(repos.size(), 1u);
}

TEST(CreateRepoTest, RejectsBadInputNamingTheFieldAndWritesNothing) {
  struct Case {
    std::string name, url, field;
  } cases[] = {
      {"", "/srv/x", "name"},
      {"has space", "/srv/x", "name"},
      {"slash/name", "/srv/x", "name"},
      {std::string(101, 'a'), "/srv/x", "name"},
      {"ok", "", "url"},
      {"ok", "-uhack", "url"},
      {"ok", "/srv/x\n", "url"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name + " " + c.url);
    FakeRepoStore repos;
    FakeClock clock;
    auto repo = CreateRepo(repos, clock, c.name, c.url);
    ASSERT_FALSE(repo.has_value());
    EXPECT_EQ(repo.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(repo.error().field, c.field);
    EXPECT_NE(repo.error().message.find(c.field), std::string::npos) << repo.error().message;
    EXPECT_EQ(repos.size(), 0u);
  }
  FakeRepoStore repos;
  FakeClock clock;
  EXPECT_TRUE(CreateRepo(repos, clock, std::string(100, 'a'), "x").has_value());
}

TEST(CreateRepoTest, DuplicateNameIsAlreadyExistsOnName) {
  FakeRepoStore repos;
  FakeClock clock;
  ASSERT_TRUE(CreateRepo(repos, clock, "demo", "/a").has_value());
  auto again = CreateRepo(repos, clock, "demo", "/b");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().field, "name");
  EXPECT_EQ(repos.size(), 1u);
}

TEST(ListReposTest, ValidatesLimitAndPages) {
  FakeRepoStore repos;
  FakeClock clock;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(CreateRepo(repos, clock, "r" + std::to_string(i), "/x").has_value());
  for (int bad : {0, -1, 501}) {
    auto page = ListRepos(repos, ListQuery{bad, std::nullopt});
    ASSERT_FALSE(page.has_value());
    EXPECT_EQ(page.error().field, "limit");
  }
  auto first = ListRepos(repos, ListQuery{2, std::nullopt});
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].repo.name, "r2");  // newest first
  ASSERT_TRUE(first->next_cursor.has_value());
  auto second = ListRepos(repos, ListQuery{2, first->next_cursor});
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].repo.name, "r0");
  EXPECT_FALSE(second->next_cursor.has_value());
}

TEST(GetRepoTest, UnknownIdIsNotFoundOnId) {
  FakeRepoStore repos;
  auto r = GetRepo(repos, 42);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().field, "id");
  EXPECT_NE(r.error().message.find("42"), std::string::npos);
}

}  // namespace
}  // namespace sentinel::app
