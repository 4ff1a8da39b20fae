#include "cli/logging.h"

#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace sentinel::cli {
namespace {

using nlohmann::json;

TEST(LoggingTest, AutoIsTextOnATerminalAndJsonElsewhere) {
  EXPECT_EQ(ResolveLogFormat("auto", true), "text");
  EXPECT_EQ(ResolveLogFormat("auto", false), "json");
  EXPECT_EQ(ResolveLogFormat("json", true), "json");
  EXPECT_EQ(ResolveLogFormat("text", false), "text");
}

TEST(LoggingTest, AJsonLineCarriesTheRunAttemptAndWorkerWhenSet) {
  json bare = json::parse(JsonLogLine(1'764'960'000'123, "info", "HTTP server \"up\"\n", {}));
  EXPECT_EQ(bare["ts"], "2025-12-05T18:40:00.123Z");
  EXPECT_EQ(bare["level"], "info");
  EXPECT_EQ(bare["msg"], "HTTP server \"up\"\n");
  EXPECT_FALSE(bare.contains("run_id"));
  EXPECT_FALSE(bare.contains("worker"));
  json run = json::parse(JsonLogLine(0, "warn", "lease lost", {42, 3, "host-7-1"}));
  EXPECT_EQ(run["run_id"], 42);
  EXPECT_EQ(run["attempt"], 3);
  EXPECT_EQ(run["worker"], "host-7-1");
  // Bytes that are not UTF-8 (a step's output quoted in a message) do not break the line.
  EXPECT_FALSE(json::parse(JsonLogLine(0, "info", "bad \xff byte", {}), nullptr, false).is_discarded());
}

TEST(LoggingTest, TheJsonFormatterWritesOneObjectPerEventWithTheThreadsFields) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>("test", sink);
  logger->set_formatter(MakeJsonFormatter());
  logger->info("no worker here");
  std::thread worker([&] {
    app::ScopedLogFields fields({7, 2, "w-1"});
    logger->warn("step {} failed", "build");
    {
      app::ScopedLogFields inner({8, 1, "w-1"});
      logger->info("nested");
    }
    logger->info("restored");
  });
  worker.join();
  std::istringstream lines(out.str());
  std::vector<json> events;
  for (std::string line; std::getline(lines, line);) {
    json j = json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    events.push_back(j);
  }
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0]["msg"], "no worker here");
  EXPECT_FALSE(events[0].contains("run_id"));
  EXPECT_EQ(events[1]["msg"], "step build failed");
  EXPECT_EQ(events[1]["level"], "warning");
  EXPECT_EQ(events[1]["run_id"], 7);
  EXPECT_EQ(events[1]["attempt"], 2);
  EXPECT_EQ(events[1]["worker"], "w-1");
  EXPECT_EQ(events[2]["run_id"], 8);
  EXPECT_EQ(events[3]["run_id"], 7);
}

}  // namespace
}  // namespace sentinel::cli
