#include "adapters/sqlite/sqlite_db.h"

#include <malloc.h>
#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <vector>

namespace sentinel::adapters {
namespace {

std::string Abbrev(std::string_view sql) {
  constexpr size_t kMax = 80;
  std::string s(sql.substr(0, kMax));
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  if (sql.size() > kMax) s += "...";
  return s;
}

// The one SQLite error -> ErrorCode map (ports/db.h states the contract).
Error MapError(sqlite3* db, int rc, std::string_view sql) {
  int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string msg = std::string("sqlite: ") + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (!sql.empty()) msg += " (in: " + Abbrev(sql) + ")";
  ErrorCode code = ErrorCode::kInternal;
  switch (ext & 0xff) {
    case SQLITE_CONSTRAINT:
      code = (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) ? ErrorCode::kAlreadyExists
                                                                                        : ErrorCode::kInvalidArgument;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
      code = ErrorCode::kUnavailable;
      break;
    case SQLITE_FULL:
      code = ErrorCode::kResourceExhausted;
      break;
    default:
      break;
  }
  return Error{code, std::move(msg), {}};
}

Status Bind(sqlite3* db, sqlite3_stmt* st, std::string_view sql, const SqlParams& params) {
  int n = sqlite3_bind_parameter_count(st);
  // As PostgreSQL does: every value must have its placeholder.
  if (params.size() > static_cast<size_t>(n)) {
    return Fail(ErrorCode::kInternal, "sqlite: " + std::to_string(params.size()) + " values for " +
                                          std::to_string(n) + " placeholders (in: " + Abbrev(sql) + ")");
  }
  for (int i = 1; i <= n; ++i) {
    const char* name = sqlite3_bind_parameter_name(st, i);
    // Only $1..$N: the portable placeholder form both stores understand.
    size_t k = 0;
    std::string_view nm = name != nullptr ? name : "";
    auto [ptr, ec] = nm.size() > 1 ? std::from_chars(nm.data() + 1, nm.data() + nm.size(), k)
                                   : std::from_chars_result{nm.data(), std::errc::invalid_argument};
    if (nm.empty() || nm[0] != '$' || ec != std::errc() || ptr != nm.data() + nm.size() || k == 0) {
      return Fail(ErrorCode::kInternal,
                  "sqlite: placeholder '" + std::string(nm) + "' is not of the form $N (in: " + Abbrev(sql) + ")");
    }
    if (k > params.size()) {
      return Fail(ErrorCode::kInternal, "sqlite: placeholder $" + std::to_string(k) + " has no value (" +
                                            std::to_string(params.size()) + " given; in: " + Abbrev(sql) + ")");
    }
    const SqlValue& v = params[k - 1];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(v)) {
      rc = sqlite3_bind_null(st, i);
    } else if (const auto* iv = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(st, i, *iv);
    } else if (const auto* dv = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(st, i, *dv);
    } else {
      const std::string& s = std::get<std::string>(v);
      // The params outlive the statement, so SQLite need not copy.
      rc = sqlite3_bind_text64(st, i, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) return Fail(MapError(db, rc, sql));
  }
  return Ok();
}

std::optional<std::string> Cell(sqlite3_stmt* st, int col) {
  switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL:
      return std::nullopt;
    case SQLITE_FLOAT: {
      // Shortest form that round-trips (SQLite's own text form keeps 15 digits).
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, sqlite3_column_double(st, col));
      return std::string(buf, ec == std::errc() ? end : buf);
    }
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
      int len = sqlite3_column_bytes(st, col);
      return std::string(text != nullptr ? text : "", static_cast<size_t>(len));
    }
  }
}

Result<SqlResult> ExecOn(sqlite3* db, std::string_view sql, const SqlParams& params) {
  SqlResult out;
  const char* tail = sql.data();
  const char* end = sql.data() + sql.size();
  int statements = 0;
  while (tail < end) {
    sqlite3_stmt* st = nullptr;
    const char* next = nullptr;
    int rc = sqlite3_prepare_v2(db, tail, static_cast<int>(end - tail), &st, &next);
    std::string_view this_sql(tail, static_cast<size_t>((next != nullptr ? next : end) - tail));
    if (rc != SQLITE_OK) return Fail(MapError(db, rc, this_sql));
    tail = next != nullptr ? next : end;
    if (st == nullptr) continue;  // only whitespace or a comment was left
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    if (++statements > 1 && !params.empty()) {
      return Fail(ErrorCode::kInternal, "sqlite: several statements with parameters (in: " + Abbrev(sql) + ")");
    }
    if (auto bound = Bind(db, st, this_sql, params); !bound) return Fail(bound.error());
    int ncol = sqlite3_column_count(st);
    if (ncol > 0) {
      out.columns.clear();
      out.rows.clear();
      for (int c = 0; c < ncol; ++c) out.columns.emplace_back(sqlite3_column_name(st, c));
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      SqlRow row;
      row.cells.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) row.cells.push_back(Cell(st, c));
      out.rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return Fail(MapError(db, rc, this_sql));
    if (!sqlite3_stmt_readonly(st)) out.affected = sqlite3_changes64(db);
  }
  return out;
}

void Close(sqlite3* db) { sqlite3_close_v2(db); }

Result<sqlite3*> OpenConnection(const std::string& path, const SqliteOptions& options) {
  sqlite3* db = nullptr;
  // NOMUTEX: the pool hands a connection to one thread at a time.
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Error e = MapError(db, rc, {});
    e.code = ErrorCode::kUnavailable;
    e.message = "cannot open SQLite database '" + path + "': " + e.message;
    if (db != nullptr) Close(db);
    return Fail(std::move(e));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // journal_mode=WAL persists in the file; foreign_keys is per connection.
  auto pragmas = ExecOn(db,
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", {});
  if (!pragmas) {
    Close(db);
    Error e = pragmas.error();
    e.message = "cannot configure SQLite database '" + path + "': " + e.message;
    return Fail(std::move(e));
  }
  return db;
}

// Runs statements on the one connection of a transaction. As on PostgreSQL, the
// first failed statement dooms the transaction: later ones are refused and
// Transact rolls back, so repository code behaves the same on both stores.
class ConnSession final : public SqlSession {
 public:
  explicit ConnSession(sqlite3* db) : db_(db) {}
  Result<SqlResult> Exec(std::string_view sql, const SqlParams& params) override {
    if (first_error_) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "sqlite: the transaction already failed (" + first_error_->message + "); statement not run");
    }
    auto r = ExecOn(db_, sql, params);
    if (!r) first_error_ = r.error();
    return r;
  }
  const std::optional<Error>& first_error() const { return first_error_; }

 private:
  sqlite3* db_;
  std::optional<Error> first_error_;
};

}  // namespace

struct SqliteDb::Pool {
  std::string path;
  SqliteOptions options;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<sqlite3*> idle;
  int total = 0;

  ~Pool() {
    for (sqlite3* db : idle) Close(db);
  }

  Result<sqlite3*> Acquire() {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::milliseconds(options.acquire_timeout_ms),
                     [&] { return !idle.empty() || total < options.pool_size; })) {
      return Fail(ErrorCode::kUnavailable, "sqlite: all " + std::to_string(options.pool_size) +
                                               " connections stayed busy for " +
                                               std::to_string(options.acquire_timeout_ms) + " ms");
    }
    if (!idle.empty()) {
      sqlite3* db = idle.back();
      idle.pop_back();
      return db;
    }
    ++total;
    lock.unlock();
    auto db = OpenConnection(path, options);
    if (!db) {
      lock.lock();
      --total;
      cv.notify_one();
    }
    return db;
  }

  // A connection left inside a transaction (a failed ROLLBACK) is closed, not reused.
  void Release(sqlite3* db) {
    bool healthy = sqlite3_get_autocommit(db) != 0;
    if (!healthy) Close(db);
    std::lock_guard lock(mu);
    if (healthy) {
      idle.push_back(db);
    } else {
      --total;
    }
    cv.notify_one();
  }
};

namespace {
// Returns a pooled connection on scope exit.
template <class P>
struct Lease {
  P* pool;
  sqlite3* db;
  ~Lease() { pool->Release(db); }
};
// SQLite opens an ephemeral b-tree (with its own page cache) for every INSERT ... RETURNING,
// DISTINCT or sort, and frees it when the statement ends. With glibc's default trim threshold
// each free hands the top of the heap back to the kernel, and on a virtual machine every such
// brk costs a TLB shoot-down across the cores: a run's Finish with 1,000 test results spent
// three quarters of its time there (perf, flaky_bench BM_IncrementalRunSqlite: 634 -> 97 ms at
// 100 tests). Keep up to 64 MiB of freed heap instead. Process-wide, set once.
void KeepFreedHeap() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] { mallopt(M_TRIM_THRESHOLD, 64 << 20); });
#endif
}
}  // namespace

SqliteDb::SqliteDb(std::string path, std::unique_ptr<Pool> pool) : path_(std::move(path)), pool_(std::move(pool)) {}
SqliteDb::~SqliteDb() = default;

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, SqliteOptions options) {
  if (path.empty()) return Fail(ErrorCode::kInvalidArgument, "SQLite database path is empty", "database_url");
  KeepFreedHeap();
  bool memory = path == ":memory:";
  if (memory) options.pool_size = 1;
  if (options.pool_size < 1) options.pool_size = 1;
  if (!memory) {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Fail(ErrorCode::kUnavailable,
                  "cannot create directory '" + parent.string() + "' for the SQLite database: " + ec.message());
    }
  }
  auto pool = std::make_unique<Pool>();
  pool->path = path;
  pool->options = options;
  // Open one connection now so a bad path fails here, not at the first query.
  auto first = pool->Acquire();
  if (!first) return Fail(first.error());
  pool->Release(*first);
  return std::unique_ptr<SqliteDb>(new SqliteDb(path, std::move(pool)));
}

Result<SqlResult> SqliteDb::Exec(std::string_view sql, const SqlParams& params) {
  auto db = pool_->Acquire();
  if (!db) return Fail(db.error());
  Lease<Pool> lease{pool_.get(), *db};
  return ExecOn(*db, sql, params);
}

Status SqliteDb::Transact(const std::function<Status(SqlSession&)>& fn) {
  auto db = pool_->Acquire();
  if (!db) return Fail(db.error());
  Lease<Pool> lease{pool_.get(), *db};
  if (auto begin = ExecOn(*db, "BEGIN IMMEDIATE", {}); !begin) return Fail(begin.error());
  auto rollback = [&] {
    if (sqlite3_get_autocommit(*db) == 0) (void)ExecOn(*db, "ROLLBACK", {});
  };
  Status result;
  try {
    ConnSession session(*db);
    result = fn(session);
    if (result && session.first_error()) result = Fail(*session.first_error());
  } catch (const std::exception& e) {
    rollback();
    return Fail(ErrorCode::kInternal, std::string("transaction aborted by an exception: ") + e.what());
  } catch (...) {
    rollback();
    return Fail(ErrorCode::kInternal, "transaction aborted by an unknown exception");
  }
  if (!result) {
    rollback();
    return result;
  }
  if (auto commit = ExecOn(*db, "COMMIT", {}); !commit) {
    rollback();
    return Fail(commit.error());
  }
  return Ok();
}

Status SqliteDb::Ping() {
  auto r = Exec("SELECT 1");
  if (!r) return Fail(r.error());
  return Ok();
}

}  // namespace sentinel::adapters
