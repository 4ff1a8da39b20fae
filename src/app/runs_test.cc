#include "app/runs.h"

#include <gtest/gtest.h>

#include "app/health.h"
#include "testing/fake_stores.h"

namespace sentinel::app {
namespace {

using sentinel::testing::FakeClock;
using sentinel::testing::FakeDb;
using sentinel::testing::FakeRepoStore;
using sentinel::testing::FakeRunStore;

class RunsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(repos_.Create("demo-cpp", "/srv/cpp", 1).has_value());   // id 1
    ASSERT_TRUE(repos_.Create("demo-node", "/srv/node", 2).has_value());  // id 2
  }
  FakeRepoStore repos_;
  FakeRunStore runs_{&repos_};
  FakeClock clock_{5000};
};

TEST_F(RunsTest, SubmitByIdOrNameQueuesAndDispatches) {
  std::vector<std::int64_t> dispatched;
  RunDispatcher dispatch = [&](const sentinel::Run& r) {
    dispatched.push_back(r.id);
    return Ok();
  };
  auto by_id = SubmitRun(repos_, runs_, clock_, {std::int64_t{1}, "main", "flaky"}, dispatch);
  ASSERT_TRUE(by_id.has_value()) << by_id.error().message;
  EXPECT_EQ(by_id->repo_id, 1);
  EXPECT_EQ(by_id->status, RunStatus::kQueued);
  EXPECT_EQ(by_id->ref, "main");
  EXPECT_EQ(by_id->scenario, "flaky");
  EXPECT_EQ(by_id->created_at, 5000);
  auto by_name = SubmitRun(repos_, runs_, clock_, {std::string("demo-node"), "", ""}, dispatch);
  ASSERT_TRUE(by_name.has_value()) << by_name.error().message;
  EXPECT_EQ(by_name->repo_id, 2);
  EXPECT_EQ(dispatched, (std::vector<std::int64_t>{by_id->id, by_name->id}));
}

TEST_F(RunsTest, AFailingDispatchStillLeavesTheRunQueued) {
  int calls = 0;
  RunDispatcher down = [&](const sentinel::Run&) {
    ++calls;
    return Status(Fail(ErrorCode::kUnavailable, "queue down"));
  };
  auto run = SubmitRun(repos_, runs_, clock_, {std::int64_t{1}, "", ""}, down);
  ASSERT_TRUE(run.has_value()) << run.error().message;
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(runs_.Get(run->id)->status, RunStatus::kQueued);
}

TEST_F(RunsTest, SubmitRejectsBadInputNamingTheFieldAndWritesNothing) {
  struct Case {
    SubmitRunRequest request;
    ErrorCode code;
    std::string field;
  } cases[] = {
      {{std::int64_t{99}, "", ""}, ErrorCode::kNotFound, "repo"},
      {{std::string("nope"), "", ""}, ErrorCode::kNotFound, "repo"},
      {{std::string("bad name"), "", ""}, ErrorCode::kInvalidArgument, "repo"},
      {{std::string(""), "", ""}, ErrorCode::kInvalidArgument, "repo"},
      {{std::int64_t{0}, "", ""}, ErrorCode::kInvalidArgument, "repo"},
      {{std::int64_t{1}, "", "explode"}, ErrorCode::kInvalidArgument, "scenario"},
      {{std::int64_t{1}, "--upload-pack=x", ""}, ErrorCode::kInvalidArgument, "ref"},
      {{std::int64_t{1}, "a b", ""}, ErrorCode::kInvalidArgument, "ref"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    auto run = SubmitRun(repos_, runs_, clock_, c.request);
    ASSERT_FALSE(run.has_value());
    EXPECT_EQ(run.error().code, c.code);
    EXPECT_EQ(run.error().field, c.field);
  }
  EXPECT_EQ(runs_.size(), 0u);
}

TEST_F(RunsTest, EveryDemoScenarioIsAccepted) {
  for (const char* s : {"success", "testfail", "flaky", "timeout", "dns", "disk"}) {
    EXPECT_TRUE(IsScenario(s));
    EXPECT_TRUE(SubmitRun(repos_, runs_, clock_, {std::int64_t{1}, "", s}).has_value()) << s;
  }
  EXPECT_FALSE(IsScenario("Success"));
}

TEST_F(RunsTest, ListFiltersByRepoStatusAndSince) {
  ASSERT_TRUE(SubmitRun(repos_, runs_, clock_, {std::int64_t{1}, "", ""}).has_value());
  clock_.Advance(1000);
  ASSERT_TRUE(SubmitRun(repos_, runs_, clock_, {std::int64_t{2}, "", ""}).has_value());
  ASSERT_TRUE(SubmitRun(repos_, runs_, clock_, {std::int64_t{1}, "", ""}).has_value());

  ListRunsRequest by_name{std::string("demo-cpp"), std::nullopt, std::nullopt, {}};
  auto cpp = ListRuns(repos_, runs_, by_name);
  ASSERT_TRUE(cpp.has_value());
  EXPECT_EQ(cpp->items.size(), 2u);
  ListRunsRequest by_id{std::string("2"), std::string("queued"), std::nullopt, {}};
  auto node = ListRuns(repos_, runs_, by_id);
  ASSERT_TRUE(node.has_value());
  ASSERT_EQ(node->items.size(), 1u);
  EXPECT_EQ(node->items[0].repo_id, 2);
  ListRunsRequest since{std::nullopt, std::nullopt, FormatRfc3339(5500), {}};
  auto late = ListRuns(repos_, runs_, since);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->items.size(), 2u);
  ListRunsRequest running{std::nullopt, std::string("running"), std::nullopt, {}};
  EXPECT_EQ(ListRuns(repos_, runs_, running)->items.size(), 0u);
}

TEST_F(RunsTest, ListRejectsBadFiltersNamingTheField) {
  struct Case {
    ListRunsRequest request;
    ErrorCode code;
    std::string field;
  } cases[] = {
      {{std::nullopt, std::string("done"), std::nullopt, {}}, ErrorCode::kInvalidArgument, "status"},
      {{std::nullopt, std::nullopt, std::string("yesterday"), {}}, ErrorCode::kInvalidArgument, "since"},
      {{std::string("ghost"), std::nullopt, std::nullopt, {}}, ErrorCode::kNotFound, "repo"},
      {{std::string("77"), std::nullopt, std::nullopt, {}}, ErrorCode::kNotFound, "repo"},
      {{std::nullopt, std::nullopt, std::nullopt, {501, std::nullopt}}, ErrorCode::kInvalidArgument, "limit"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    auto page = ListRuns(repos_, runs_, c.request);
    ASSERT_FALSE(page.has_value());
    EXPECT_EQ(page.error().code, c.code);
    EXPECT_EQ(page.error().field, c.field);
  }
}

TEST_F(RunsTest, GetUnknownRunIsNotFound) {
  auto r = GetRun(runs_, 5);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().field, "id");
}

TEST(ParseIdTest, AcceptsOnlyPositiveDecimalIntegers) {
  EXPECT_EQ(ParseId("17", "id").value(), 17);
  for (const char* bad : {"", "0", "-3", "1.5", "abc", "12x", "99999999999999999999", " 1"}) {
    auto id = ParseId(bad, "id");
    ASSERT_FALSE(id.has_value()) << bad;
    EXPECT_EQ(id.error().field, "id");
  }
}

TEST(HealthTest, ReportsDatabaseAndQueue) {
  FakeDb db;
  HealthProbes probes{&db, {}, [] { return 3; }, "1.2.3"};
  HealthReport ok = CheckHealth(probes);
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.workers, 3);
  EXPECT_EQ(ok.version, "1.2.3");
  db.SetDown(true);
  HealthReport down = CheckHealth(probes);
  EXPECT_FALSE(down.database_ok);
  EXPECT_FALSE(down.ok());
  db.SetDown(false);
  probes.queue = [] { return Status(Fail(ErrorCode::kUnavailable, "redis down")); };
  HealthReport queue_down = CheckHealth(probes);
  EXPECT_TRUE(queue_down.database_ok);
  EXPECT_FALSE(queue_down.queue_ok);
  EXPECT_EQ(queue_down.queue_error, "redis down");
}

}  // namespace
}  // namespace sentinel::app
