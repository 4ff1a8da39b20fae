#include "adapters/redis/redis_job_queue.h"

#include <gtest/gtest.h>

namespace sentinel::adapters::redis {
namespace {

TEST(ParseRedisUrlTest, ReadsHostPortAndDatabase) {
  struct Case {
    const char* url;
    const char* host;
    int port;
    int db;
    const char* password;
  } cases[] = {
      {"redis://127.0.0.1:6380/2", "127.0.0.1", 6380, 2, ""},
      {"redis://localhost", "localhost", 6379, 0, ""},
      {"redis://localhost/", "localhost", 6379, 0, ""},
      {"redis://:s3cret@10.0.0.5:7000/1", "10.0.0.5", 7000, 1, "s3cret"},
      {"redis://user:pw@h:1", "h", 1, 0, "pw"},
      {"redis://", "127.0.0.1", 6379, 0, ""},
  };
  for (const Case& c : cases) {
    auto ep = ParseRedisUrl(c.url);
    ASSERT_TRUE(ep.has_value()) << c.url << ": " << ep.error().message;
    EXPECT_EQ(ep->host, c.host) << c.url;
    EXPECT_EQ(ep->port, c.port) << c.url;
    EXPECT_EQ(ep->db, c.db) << c.url;
    EXPECT_EQ(ep->password, c.password) << c.url;
  }
}

TEST(ParseRedisUrlTest, RejectsBadUrlsNamingTheSetting) {
  for (const char* url : {"http://h:1/0", "redis://h:0/0", "redis://h:70000", "redis://h:x/0", "redis://h:1/db"}) {
    auto ep = ParseRedisUrl(url);
    ASSERT_FALSE(ep.has_value()) << url;
    EXPECT_EQ(ep.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_EQ(ep.error().field, "redis_url") << url;
  }
}

TEST(JobEncodingTest, RoundTripsWithAndWithoutPayload) {
  for (const Job& job : {Job{1, 2, ""}, Job{-5, 1'700'000'000'000, "a:b:c"}, Job{7, 0, std::string("\0x", 2)}}) {
    auto back = DecodeJob(EncodeJob(job));
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, job);
  }
  EXPECT_EQ(EncodeJob(Job{12, 34, ""}), "12:34");
  EXPECT_EQ(EncodeJob(Job{12, 34, "p"}), "12:34:p");
}

TEST(JobEncodingTest, RejectsMalformedJobs) {
  for (const char* text : {"", "12", "x:1", "1:y", "1:2x:p", ":"}) {
    auto job = DecodeJob(text);
    EXPECT_FALSE(job.has_value()) << text;
  }
}

}  // namespace
}  // namespace sentinel::adapters::redis
