#pragma once
// Schema migrations: the numbered SQL files of migrations/<dialect>/ (compiled
// into the binary), applied in version order, each in its own transaction and
// recorded in schema_migrations. Idempotent, and safe when several processes
// start at once: SQLite serializes the transactions (BEGIN IMMEDIATE), and on
// PostgreSQL each takes a transaction-scoped advisory lock first.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/embedded.h"
#include "core/base/result.h"
#include "core/base/time.h"
#include "ports/db.h"

namespace sentinel::sqlstore {

struct Migration {
  std::int64_t version = 0;  // from the file name: 0001_init.sql -> 1
  std::string name;          // "init"
  std::string_view sql;
};

// The embedded migrations of a dialect ("sqlite" or "postgres"), in version order.
// kInvalidArgument for an unknown dialect; kInternal for a badly named file.
[[nodiscard]] Result<std::vector<Migration>> MigrationsFor(std::string_view dialect);

// Parses "0001_init.sql" style names. kInternal when the name has no version.
[[nodiscard]] Result<Migration> ParseMigration(const EmbeddedFile& file);

// Applies the pending migrations of db.Dialect(); returns those this call applied
// (empty when the schema was already current). kFailedPrecondition when the
// database has a version newer than this binary knows.
[[nodiscard]] Result<std::vector<Migration>> ApplyMigrations(Db& db, EpochMs now);
[[nodiscard]] Result<std::vector<Migration>> ApplyMigrations(Db& db, const std::vector<Migration>& migrations,
                                                             EpochMs now);

// ApplyMigrations without the list.
[[nodiscard]] Status Migrate(Db& db, EpochMs now);

// The highest applied version; 0 on an empty database.
[[nodiscard]] Result<std::int64_t> SchemaVersion(Db& db);

}  // namespace sentinel::sqlstore
