#pragma once
// SqliteDb: ports/db.h over one SQLite database file (the embedded default).
// WAL mode, foreign keys on, a busy timeout, and a small pool of connections so
// readers run concurrently; writers serialize in SQLite itself. Thread-safe.
// sqlite3.h stays inside sqlite_db.cc.

#include <memory>
#include <string>

#include "core/base/result.h"
#include "ports/db.h"

namespace sentinel::adapters {

struct SqliteOptions {
  int pool_size = 4;            // connections; ":memory:" always uses 1 (each would be its own database)
  int busy_timeout_ms = 5000;   // how long a statement waits for a lock before kUnavailable
  int acquire_timeout_ms = 30000;  // how long a call waits for a free connection before kUnavailable
};

class SqliteDb final : public Db {
 public:
  // Opens (creating it, and its parent directories, when missing) the database at
  // `path`, or an in-memory one for ":memory:". kUnavailable when it cannot be opened.
  [[nodiscard]] static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, SqliteOptions options = {});

  ~SqliteDb() override;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Several ';'-separated statements are allowed when params is empty; the result
  // is that of the last statement that returns columns.
  [[nodiscard]] Result<SqlResult> Exec(std::string_view sql, const SqlParams& params = {}) override;
  std::string_view Dialect() const override { return "sqlite"; }
  // BEGIN IMMEDIATE: the write lock is taken up front, so a transaction never
  // fails half-way on a lock upgrade.
  // Inside fn use the session, not this Db: a call on the Db takes another
  // connection and would wait for the transaction's own lock.
  [[nodiscard]] Status Transact(const std::function<Status(SqlSession&)>& fn) override;
  [[nodiscard]] Status Ping() override;

  const std::string& path() const { return path_; }

 private:
  struct Pool;
  SqliteDb(std::string path, std::unique_ptr<Pool> pool);

  std::string path_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace sentinel::adapters
