#include "adapters/sqlstore/migrate.h"

#include <algorithm>
#include <charconv>

namespace sentinel::migrations::sqlite {
extern const std::vector<sentinel::EmbeddedFile> kFiles;
}
namespace sentinel::migrations::postgres {
extern const std::vector<sentinel::EmbeddedFile> kFiles;
}

namespace sentinel::sqlstore {
namespace {

// The same statement in both dialects; 0001_init.sql repeats it for readers.
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// Any fixed number: the key of the PostgreSQL advisory lock held by a migrating transaction.
constexpr std::int64_t kMigrationLockKey = 0x53454e54494e4cLL;  // "SENTINL"

}  // namespace

Result<Migration> ParseMigration(const EmbeddedFile& file) {
  std::string_view name = file.name;
  std::int64_t version = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
  size_t digits = static_cast<size_t>(ptr - name.data());
  constexpr std::string_view kExt = ".sql";
  if (ec != std::errc() || version <= 0 || digits == 0 || digits >= name.size() || name[digits] != '_' ||
      name.size() <= digits + 1 + kExt.size() || name.substr(name.size() - kExt.size()) != kExt) {
    return Fail(ErrorCode::kInternal,
                "migration file '" + std::string(name) + "' is not named like 0001_description.sql");
  }
  std::string_view rest = name.substr(digits + 1, name.size() - digits - 1 - kExt.size());
  return Migration{version, std::string(rest), file.content};
}

Result<std::vector<Migration>> MigrationsFor(std::string_view dialect) {
  const std::vector<EmbeddedFile>* files = nullptr;
  if (dialect == "sqlite") files = &migrations::sqlite::kFiles;
  if (dialect == "postgres") files = &migrations::postgres::kFiles;
  if (files == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "no migrations for database dialect '" + std::string(dialect) + "'");
  }
  std::vector<Migration> out;
  for (const EmbeddedFile& f : *files) {
    auto m = ParseMigration(f);
    if (!m) return Fail(m.error());
    out.push_back(std::move(*m));
  }
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      return Fail(ErrorCode::kInternal, "two migrations have version " + std::to_string(out[i].version));
    }
  }
  return out;
}

Result<std::int64_t> SchemaVersion(Db& db) {
  auto created = db.Exec(kCreateMigrationsTable);
  // A concurrent creator on PostgreSQL can make IF NOT EXISTS lose a race on the
  // catalog's unique index; the table exists then, which is all we need.
  if (!created && created.error().code != ErrorCode::kAlreadyExists) return Fail(created.error());
  auto r = db.Exec("SELECT MAX(version) FROM schema_migrations");
  if (!r) return Fail(r.error());
  return r->rows.empty() ? 0 : r->rows[0].Int(0);
}

Result<std::vector<Migration>> ApplyMigrations(Db& db, const std::vector<Migration>& migrations, EpochMs now) {
  std::int64_t known = migrations.empty() ? 0 : migrations.back().version;
  auto current = SchemaVersion(db);
  if (!current) return Fail(current.error());
  if (*current > known) {
    return Fail(ErrorCode::kFailedPrecondition, "the database schema is at version " + std::to_string(*current) +
                                                    ", newer than this binary knows (" + std::to_string(known) +
                                                    "); upgrade sentinel");
  }
  const bool postgres = db.Dialect() == "postgres";
  std::vector<Migration> applied;
  for (const Migration& m : migrations) {
    if (m.version <= *current) continue;
    bool did_apply = false;
    Status st = db.Transact([&](SqlSession& s) -> Status {
      if (postgres) {
        // Serializes concurrent migrators until this transaction ends.
        auto lock = s.Exec("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey});
        if (!lock) return Fail(lock.error());
      }
      // Another process may have applied it while we waited for the lock.
      auto seen = s.Exec("SELECT 1 FROM schema_migrations WHERE version = $1", {m.version});
      if (!seen) return Fail(seen.error());
      if (!seen->rows.empty()) return Ok();
      auto run = s.Exec(m.sql);
      if (!run) {
        Error e = run.error();
        e.message = "migration " + std::to_string(m.version) + "_" + m.name + " failed: " + e.message;
        return Fail(std::move(e));
      }
      auto record = s.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                           {m.version, m.name, now});
      if (!record) return Fail(record.error());
      did_apply = true;
      return Ok();
    });
    if (!st) return Fail(st.error());
    if (did_apply) applied.push_back(m);
  }
  return applied;
}

Result<std::vector<Migration>> ApplyMigrations(Db& db, EpochMs now) {
  auto migrations = MigrationsFor(db.Dialect());
  if (!migrations) return Fail(migrations.error());
  return ApplyMigrations(db, *migrations, now);
}

Status Migrate(Db& db, EpochMs now) {
  auto r = ApplyMigrations(db, now);
  if (!r) return Fail(r.error());
  return Ok();
}

}  // namespace sentinel::sqlstore
