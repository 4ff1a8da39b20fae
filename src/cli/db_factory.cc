#include "cli/db_factory.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "adapters/postgres/postgres_db.h"
#include "adapters/sqlite/sqlite_db.h"

namespace sentinel::cli {
namespace {

// Case-insensitive prefix match for the scheme; returns the rest.
std::optional<std::string_view> StripScheme(std::string_view url, std::string_view scheme) {
  if (url.size() < scheme.size()) return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return std::nullopt;
  }
  return url.substr(scheme.size());
}

Error Invalid(std::string_view url, const std::string& why) {
  return Error{ErrorCode::kInvalidArgument,
               "database URL '" + RedactDatabaseUrl(url) + "' " + why +
                   "; use sqlite://PATH, sqlite:///ABSOLUTE/PATH or postgresql://user:pass@host:port/db",
               "database_url"};
}

}  // namespace

std::string RedactDatabaseUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t start = scheme + 3;
  size_t at = url.find('@', start);
  size_t slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(url);
  size_t colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url) {
  if (url.empty()) return Fail(Invalid(url, "is empty"));
  if (auto rest = StripScheme(url, "sqlite://")) {
    if (rest->empty()) return Fail(Invalid(url, "names no database file"));
    return DatabaseUrl{DatabaseUrl::Kind::kSqlite, std::string(*rest)};
  }
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (StripScheme(url, scheme)) return DatabaseUrl{DatabaseUrl::Kind::kPostgres, std::string(url)};
  }
  return Fail(Invalid(url, "is not supported"));
}

Result<std::unique_ptr<Db>> OpenDatabase(const std::string& url) {
  auto parsed = ParseDatabaseUrl(url);
  if (!parsed) return Fail(parsed.error());
  if (parsed->kind == DatabaseUrl::Kind::kSqlite) {
    auto db = adapters::SqliteDb::Open(parsed->target);
    if (!db) return Fail(db.error());
    return std::unique_ptr<Db>(std::move(*db));
  }
  // libpq takes the scheme in lower case only.
  std::string pg_url = parsed->target;
  size_t scheme_end = pg_url.find("://");
  std::transform(pg_url.begin(), pg_url.begin() + static_cast<std::ptrdiff_t>(scheme_end), pg_url.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto db = adapters::PostgresDb::Create(pg_url);
  if (!db) return Fail(db.error());
  return std::unique_ptr<Db>(std::move(*db));
}

std::string ResolveDatabaseUrl(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv(std::string(kDatabaseUrlEnv).c_str());
  if (env != nullptr && *env != '\0') return env;
  return std::string(kDefaultDatabaseUrl);
}

}  // namespace sentinel::cli
