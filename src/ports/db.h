#pragma once
// The one SQL seam. Both stores (SQLite, PostgreSQL) implement Db; the
// repository code in adapters/sqlstore is written once against it in portable
// SQL: $1..$N placeholders, RETURNING, ON CONFLICT, integers for times, JSON
// as text. Implementations are thread-safe; a Db may be shared by all threads.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/base/result.h"

namespace sentinel {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

struct SqlRow {
  std::vector<std::optional<std::string>> cells;  // text form; nullopt for NULL

  bool IsNull(size_t i) const { return !cells.at(i).has_value(); }
  const std::string& Text(size_t i) const;       // "" for NULL
  std::int64_t Int(size_t i) const;              // 0 for NULL
  std::optional<std::int64_t> OptInt(size_t i) const;
  double Real(size_t i) const;
};

struct SqlResult {
  std::vector<std::string> columns;
  std::vector<SqlRow> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
};

// Statements run one at a time on one connection.
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // Runs one statement. Errors: kAlreadyExists on a unique violation,
  // kUnavailable when the server cannot be reached or cannot write (its disk
  // is full), kInvalidArgument on a constraint violation, kInternal otherwise.
  [[nodiscard]] virtual Result<SqlResult> Exec(std::string_view sql, const SqlParams& params = {}) = 0;
};

class Db : public SqlSession {
 public:
  // "sqlite" or "postgres": picks the migration folder; nothing else may branch on it.
  virtual std::string_view Dialect() const = 0;

  // Runs fn inside one transaction on one connection: commits when fn returns
  // ok, rolls back when it returns an error (which is passed through) or throws.
  // A statement that fails inside fn dooms the transaction (PostgreSQL's rule,
  // kept by every Db): later statements fail with kFailedPrecondition and the
  // first error is returned even if fn returns ok. Use ON CONFLICT, not
  // "try INSERT, then recover", inside a transaction.
  [[nodiscard]] virtual Status Transact(const std::function<Status(SqlSession&)>& fn) = 0;

  // Cheap liveness check (SELECT 1). kUnavailable when the server is down.
  [[nodiscard]] virtual Status Ping() = 0;
};

}  // namespace sentinel
