#pragma once
// PostgresDb: ports/db.h over PostgreSQL (libpqxx, kept inside postgres_db.cc).
// A pool of connections made lazily, each used by one thread at a time. The
// server may go away and come back: a broken connection is dropped, the call
// fails with kUnavailable, and the next call connects afresh. Connecting gives
// up after connect_timeout_s; a statement after statement_timeout_ms.
// Thread-safe.

#include <memory>
#include <string>

#include "core/base/result.h"
#include "ports/db.h"

namespace sentinel::adapters {

struct PostgresOptions {
  int pool_size = 8;
  int connect_timeout_s = 3;
  int statement_timeout_ms = 30000;
  int acquire_timeout_ms = 10000;  // waiting for a free pooled connection before kUnavailable
};

class PostgresDb final : public Db {
 public:
  // `url` is a libpq URI (postgresql://user:pass@host:port/db or postgres://...).
  // Does not connect: a server that is down now is not an error until a call.
  // kInvalidArgument (field "database_url") for a URL that is not postgres.
  [[nodiscard]] static Result<std::unique_ptr<PostgresDb>> Create(const std::string& url,
                                                                  PostgresOptions options = {});

  ~PostgresDb() override;
  PostgresDb(const PostgresDb&) = delete;
  PostgresDb& operator=(const PostgresDb&) = delete;

  // Several ';'-separated statements are allowed when params is empty. Each
  // call outside Transact is its own transaction (autocommit).
  [[nodiscard]] Result<SqlResult> Exec(std::string_view sql, const SqlParams& params = {}) override;
  std::string_view Dialect() const override { return "postgres"; }
  // After a statement fails inside fn, the transaction is aborted on the server:
  // fn should return the error rather than continue.
  // Inside fn use the session, not this Db: a call on the Db takes another
  // connection and would wait for the transaction's own lock.
  [[nodiscard]] Status Transact(const std::function<Status(SqlSession&)>& fn) override;
  // SELECT 1; retried once on a fresh connection when a pooled one turns out stale
  // (the server restarted), so it reports the server's state, not the pool's.
  [[nodiscard]] Status Ping() override;

  // The URL without its password, for messages.
  const std::string& display_url() const { return display_url_; }

 private:
  struct Pool;
  PostgresDb(std::string display_url, std::unique_ptr<Pool> pool);

  std::string display_url_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace sentinel::adapters
