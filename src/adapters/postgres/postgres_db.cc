#include "adapters/postgres/postgres_db.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include <poll.h>
#include <vector>

#include <pqxx/pqxx>

namespace sentinel::adapters {
namespace {

using Connection = pqxx::connection;

std::string Abbrev(std::string_view sql) {
  constexpr size_t kMax = 80;
  std::string s(sql.substr(0, kMax));
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  if (sql.size() > kMax) s += "...";
  return s;
}

// libpq messages span lines ("...failed: Connection refused\n\tIs the server
// running..."): one line reads better in logs and API errors.
std::string Trim(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      while (i + 1 < s.size() && (s[i + 1] == '\t' || s[i + 1] == ' ' || s[i + 1] == '\n')) ++i;
      if (i + 1 < s.size()) out += "; ";
    } else {
      out += s[i];
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string RedactUrl(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t at = url.find('@', scheme + 3);
  size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

// The URL plus the settings that keep a call from hanging on a dead or slow
// server, appended as URI query parameters.
std::string ConnInfo(const std::string& url, const PostgresOptions& o) {
  std::string s = url;
  s += url.find('?') == std::string::npos ? '?' : '&';
  s += "connect_timeout=" + std::to_string(o.connect_timeout_s);
  s += "&keepalives=1&keepalives_idle=10&keepalives_interval=3&keepalives_count=3";
  // Unacknowledged writes to a vanished peer give up after this long.
  s += "&tcp_user_timeout=" + std::to_string(o.statement_timeout_ms + 5000);
  s += "&application_name=sentinel";
  // -c statement_timeout=N -c client_min_messages=warning, URI-encoded.
  s += "&options=-c%20statement_timeout%3D" + std::to_string(o.statement_timeout_ms) +
       "%20-c%20client_min_messages%3Dwarning";
  return s;
}

// The one pqxx exception -> ErrorCode map (ports/db.h states the contract).
// *broken is set when the connection can no longer be used. `conn` is the
// connection the statement ran on, or null.
Error FromException(const std::exception& e, std::string_view sql, bool* broken, const Connection* conn) {
  std::string where = sql.empty() ? std::string() : " (in: " + Abbrev(sql) + ")";
  std::string what = Trim(e.what());
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    // libpqxx also throws this for a class-08 error the server *reported*, such
    // as a protocol violation (a wrong number of parameters); the link is fine then.
    if (conn != nullptr && conn->is_open()) {
      return Error{ErrorCode::kInternal, "postgres: " + what + where, {}};
    }
    *broken = true;
    return Error{ErrorCode::kUnavailable, "postgres: connection lost: " + what + where, {}};
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    *broken = true;
    return Error{ErrorCode::kUnavailable, "postgres: connection lost during COMMIT; outcome unknown: " + what, {}};
  }
  if (const auto* se = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = se->sqlstate();
    ErrorCode code = ErrorCode::kInternal;
    if (state == "23505") {
      code = ErrorCode::kAlreadyExists;
    } else if (state.rfind("23", 0) == 0 || state.rfind("22", 0) == 0) {
      code = ErrorCode::kInvalidArgument;  // integrity constraint / bad data
    } else if (state == "57014") {
      code = ErrorCode::kDeadlineExceeded;  // statement_timeout
    } else if (state == "40001" || state == "40P01") {
      code = ErrorCode::kAborted;  // serialization failure / deadlock
    } else if (state == "08P01") {
      code = ErrorCode::kInternal;  // protocol violation: a bad call (e.g. too many parameters), not a dead link
    } else if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state.rfind("53", 0) == 0) {
      *broken = *broken || state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0;
      code = ErrorCode::kUnavailable;  // connection exception / shutdown / out of resources
    }
    return Error{code, "postgres: " + what + (state.empty() ? "" : " [" + state + "]") + where, {}};
  }
  return Error{ErrorCode::kInternal, "postgres: " + what + where, {}};
}

// Values as text in PostgreSQL's input syntax; the server infers each type from
// where the placeholder stands.
struct TextParams {
  std::vector<std::string> storage;
  std::vector<const char*> ptrs;  // nullptr = NULL

  explicit TextParams(const SqlParams& params) {
    storage.reserve(params.size());
    for (const SqlValue& v : params) {
      if (const auto* iv = std::get_if<std::int64_t>(&v)) {
        storage.push_back(std::to_string(*iv));
      } else if (const auto* dv = std::get_if<double>(&v)) {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *dv);
        storage.emplace_back(buf, ec == std::errc() ? end : buf);
      } else if (const auto* sv = std::get_if<std::string>(&v)) {
        storage.push_back(*sv);
      } else {
        storage.emplace_back();
      }
    }
    for (size_t i = 0; i < params.size(); ++i) {
      ptrs.push_back(std::holds_alternative<std::nullptr_t>(params[i]) ? nullptr : storage[i].c_str());
    }
  }
};

SqlResult Convert(const pqxx::result& r) {
  SqlResult out;
  const auto ncol = r.columns();
  for (pqxx::row::size_type c = 0; c < ncol; ++c) out.columns.emplace_back(r.column_name(c));
  out.rows.reserve(r.size());
  for (const auto& row : r) {
    SqlRow sr;
    sr.cells.reserve(ncol);
    for (const auto& f : row) {
      if (f.is_null()) {
        sr.cells.emplace_back(std::nullopt);
      } else {
        sr.cells.emplace_back(std::string(f.c_str(), f.size()));
      }
    }
    out.rows.push_back(std::move(sr));
  }
  out.affected = static_cast<std::int64_t>(r.affected_rows());
  return out;
}

// PostgreSQL reports the rows a SELECT returned as its count too; the port
// means rows changed (libpqxx 6.4 keeps the command tag private, so look at the
// statement's first word).
bool IsSelect(std::string_view sql) {
  size_t i = sql.find_first_not_of(" \t\r\n(");
  if (i == std::string_view::npos || sql.size() - i < 6) return false;
  std::string word(sql.substr(i, 6));
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word == "SELECT" || word.rfind("SHOW", 0) == 0 || word.rfind("VALUES", 0) == 0;
}

// Throws pqxx exceptions; callers map them.
SqlResult RunStatement(pqxx::transaction_base& tx, std::string_view sql, const SqlParams& params) {
  std::string text(sql);
  SqlResult out;
  if (params.empty()) {
    out = Convert(tx.exec(text));
  } else {
    TextParams p(params);
    out = Convert(tx.exec_params(text, pqxx::prepare::make_dynamic_params(p.ptrs)));
  }
  if (IsSelect(sql)) out.affected = 0;
  return out;
}

// The statements of one Transact call. Remembers the first failure: PostgreSQL
// aborts the transaction then, so it must not be committed.
class TxSession final : public SqlSession {
 public:
  TxSession(pqxx::work& tx, const Connection& conn) : tx_(tx), conn_(conn) {}

  Result<SqlResult> Exec(std::string_view sql, const SqlParams& params) override {
    if (first_error_) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "postgres: the transaction already failed (" + first_error_->message + "); statement not run");
    }
    try {
      return RunStatement(tx_, sql, params);
    } catch (const std::exception& e) {
      first_error_ = FromException(e, sql, &broken_, &conn_);
      return Fail(*first_error_);
    }
  }

  const std::optional<Error>& first_error() const { return first_error_; }
  bool broken() const { return broken_; }

 private:
  pqxx::work& tx_;
  const Connection& conn_;
  std::optional<Error> first_error_;
  bool broken_ = false;
};

bool LooksAlive(Connection& conn) {
  if (!conn.is_open()) return false;
  pollfd p{conn.sock(), POLLIN, 0};
  if (p.fd < 0) return false;
  return ::poll(&p, 1, 0) == 0;
}

}  // namespace

struct PostgresDb::Pool {
  std::string conninfo;
  std::string display;
  PostgresOptions options;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::unique_ptr<Connection>> idle;
  int total = 0;

  struct Leased {
    std::unique_ptr<Connection> conn;
    bool reused = false;  // came from the idle list (may be stale after a server restart)
  };

  Result<Leased> Acquire() {
    std::unique_lock lock(mu);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.acquire_timeout_ms);
    for (;;) {
      if (!cv.wait_until(lock, deadline, [&] { return !idle.empty() || total < options.pool_size; })) {
        return Fail(ErrorCode::kUnavailable, "postgres: all " + std::to_string(options.pool_size) +
                                                 " connections stayed busy for " +
                                                 std::to_string(options.acquire_timeout_ms) + " ms");
      }
      if (idle.empty()) break;
      std::unique_ptr<Connection> conn = std::move(idle.back());
      idle.pop_back();
      // Validate on borrow: an idle connection whose socket is readable has been
      // closed or told to terminate by the server (shutdown, restart). Dropping
      // it here beats running a statement on it (libpqxx 6.4 also leaks the
      // error result on that path).
      if (LooksAlive(*conn)) return Leased{std::move(conn), true};
      --total;
      lock.unlock();
      conn.reset();
      lock.lock();
    }
    ++total;
    lock.unlock();
    try {
      return Leased{std::make_unique<Connection>(conninfo), false};
    } catch (const std::exception& e) {
      lock.lock();
      --total;
      cv.notify_one();
      return Fail(ErrorCode::kUnavailable, "postgres: cannot connect to " + display + ": " + Trim(e.what()));
    }
  }

  // A broken connection is closed, and so are the idle ones: they talk to the
  // same server, which has most likely gone or restarted.
  void Release(std::unique_ptr<Connection> conn, bool broken) {
    broken = broken || !conn->is_open();
    std::vector<std::unique_ptr<Connection>> dropped;
    {
      std::lock_guard lock(mu);
      if (broken) {
        --total;
        total -= static_cast<int>(idle.size());
        dropped.swap(idle);
      } else {
        idle.push_back(std::move(conn));
      }
      cv.notify_all();
    }
    // Disconnect outside the lock.
    conn.reset();
    dropped.clear();
  }
};

PostgresDb::PostgresDb(std::string display_url, std::unique_ptr<Pool> pool)
    : display_url_(std::move(display_url)), pool_(std::move(pool)) {}
PostgresDb::~PostgresDb() = default;

Result<std::unique_ptr<PostgresDb>> PostgresDb::Create(const std::string& url, PostgresOptions options) {
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + RedactUrl(url) + "' is not a PostgreSQL URL (postgresql://user:pass@host:port/db)",
                "database_url");
  }
  if (options.pool_size < 1) options.pool_size = 1;
  auto pool = std::make_unique<Pool>();
  pool->conninfo = ConnInfo(url, options);
  pool->display = RedactUrl(url);
  pool->options = options;
  return std::unique_ptr<PostgresDb>(new PostgresDb(RedactUrl(url), std::move(pool)));
}

namespace {
// One autocommit statement on a leased connection; *broken and *reused report
// what the pool needs to know.
template <class PoolT>
Result<SqlResult> ExecOnce(PoolT& pool, std::string_view sql, const SqlParams& params, bool* reused,
                           bool* broken) {
  auto lease = pool.Acquire();
  if (!lease) return Fail(lease.error());
  *reused = lease->reused;
  Result<SqlResult> out;
  try {
    pqxx::nontransaction tx(*lease->conn);
    out = RunStatement(tx, sql, params);
    tx.commit();
  } catch (const std::exception& e) {
    out = Fail(FromException(e, sql, broken, lease->conn.get()));
  }
  pool.Release(std::move(lease->conn), *broken);
  return out;
}
}  // namespace

Result<SqlResult> PostgresDb::Exec(std::string_view sql, const SqlParams& params) {
  bool reused = false, broken = false;
  return ExecOnce(*pool_, sql, params, &reused, &broken);
}

Status PostgresDb::Transact(const std::function<Status(SqlSession&)>& fn) {
  auto lease = pool_->Acquire();
  if (!lease) return Fail(lease.error());
  bool broken = false;
  Status result;
  try {
    pqxx::work tx(*lease->conn);
    TxSession session(tx, *lease->conn);
    try {
      result = fn(session);
    } catch (const std::exception& e) {
      result = Fail(ErrorCode::kInternal, std::string("transaction aborted by an exception: ") + e.what());
    } catch (...) {
      result = Fail(ErrorCode::kInternal, "transaction aborted by an unknown exception");
    }
    broken = session.broken();
    // fn may have swallowed a failed statement; the server has aborted the
    // transaction then, and a COMMIT would silently roll back.
    if (result && session.first_error()) result = Fail(*session.first_error());
    if (result) {
      tx.commit();
    } else {
      tx.abort();
    }
  } catch (const std::exception& e) {
    result = Fail(FromException(e, {}, &broken, lease->conn.get()));
  }
  pool_->Release(std::move(lease->conn), broken);
  return result;
}

Status PostgresDb::Ping() {
  for (int attempt = 0;; ++attempt) {
    bool reused = false, broken = false;
    auto r = ExecOnce(*pool_, "SELECT 1", {}, &reused, &broken);
    if (r) return Ok();
    if (!(broken && reused) || attempt >= 1) return Fail(r.error());
  }
}

}  // namespace sentinel::adapters
