#pragma once
// Throwaway PostgreSQL and Redis servers for tests, started from the local
// binaries on free loopback ports in a temporary folder, stopped (and the
// folder removed) by the destructor. As root, PostgreSQL runs as the
// `postgres` user (it refuses root).
//
// Where a server binary is missing, Start() returns nullptr with the reason;
// RequireServer() turns that into a loud failure under CI=true and a visible
// skip elsewhere. Not thread-safe: one owner per server.

#include <memory>
#include <vector>
#include <string>

#include <gtest/gtest.h>

namespace sentinel::testing {

// A free TCP port on 127.0.0.1 (bound, read back, released).
int FreePort();

// A PostgreSQL database name made from the running gtest case (and suffix), unique within the
// test binary.
std::string UniqueTestDatabaseName(const std::string& suffix = "");

// True when running under CI (CI=true): missing servers then fail tests.
bool InCi();

// Runs argv (argv[0] looked up on PATH), waits; returns the exit code, or -1 if it could not start.
// Output goes to *output when given, else is discarded.
int RunCommand(const std::vector<std::string>& argv, std::string* output = nullptr);

class PostgresServer {
 public:
  // nullptr and *why set when PostgreSQL is not installed or does not start.
  static std::unique_ptr<PostgresServer> Start(std::string* why);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // A fresh, empty database; returns its URL (postgresql://postgres@127.0.0.1:PORT/NAME).
  std::string CreateDatabase(const std::string& name);
  // A fresh database named after the running gtest case (unique within the test binary).
  std::string CreateTestDatabase();
  std::string Url(const std::string& db = "postgres") const;

  // Fast shutdown (the server is gone; clients see connection errors) and start again on the same port.
  void Stop();
  bool Restart();

 private:
  PostgresServer() = default;
  bool PgCtl(const std::string& action);
  std::string bin_dir_, dir_;
  int port_ = 0;
  bool running_ = false;
};

class RedisServer {
 public:
  static std::unique_ptr<RedisServer> Start(std::string* why);
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  std::string Url(int db = 0) const;  // redis://127.0.0.1:PORT/DB
  // Kill and start again on the same port (data is not kept: no persistence).
  void Stop();
  bool Restart();

 private:
  RedisServer() = default;
  bool Launch();
  int port_ = 0;
  int pid_ = -1;
};

// One server per test binary, started on first use and stopped at exit.
// Returns nullptr when unavailable (after the caller's test is marked skipped or failed by
// SENTINEL_REQUIRE_*).
PostgresServer* SharedPostgres(std::string* why);
RedisServer* SharedRedis(std::string* why);

}  // namespace sentinel::testing

// In a TEST body: fails under CI, skips with the reason elsewhere.
#define SENTINEL_REQUIRE_SERVER(ptr, why)                                              \
  do {                                                                                 \
    if ((ptr) == nullptr) {                                                            \
      if (::sentinel::testing::InCi()) FAIL() << "server unavailable in CI: " << (why); \
      GTEST_SKIP() << "server unavailable, skipping: " << (why);                       \
    }                                                                                  \
  } while (0)
