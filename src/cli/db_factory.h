#pragma once
// Opens the store a database URL names: sqlite://PATH (relative or, with a
// third slash, absolute; sqlite://:memory: for a throwaway one) or
// postgresql://user:pass@host:port/db (also postgres://). The composition
// root's one place that turns a URL into a concrete Db. Thread-safe.

#include <memory>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "ports/db.h"

namespace sentinel::cli {

inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite://data/sentinel.db";
inline constexpr std::string_view kDatabaseUrlEnv = "SENTINEL_DATABASE_URL";

struct DatabaseUrl {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string target;  // kSqlite: the file path (or ":memory:"); kPostgres: the URL as given
};

// kInvalidArgument (field "database_url", the URL named with its password hidden)
// for anything else.
[[nodiscard]] Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

// Parses and opens. SQLite opens the file now (creating it and its folders);
// PostgreSQL connects lazily, so a server that is down shows at the first call.
[[nodiscard]] Result<std::unique_ptr<Db>> OpenDatabase(const std::string& url);

// The URL to use: `flag` when set, else $SENTINEL_DATABASE_URL when set, else the default.
std::string ResolveDatabaseUrl(const std::string& flag);

// The URL with any password replaced by "***", for messages and logs.
std::string RedactDatabaseUrl(std::string_view url);

}  // namespace sentinel::cli
