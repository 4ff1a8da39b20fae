#include "api_backends.h"

#include <unistd.h>

#include <atomic>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "cli/db_factory.h"
#include "ports/clock.h"
#include "testing/fake_stores.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::http {
namespace {

class FakeBackend : public ApiBackend {
 public:
  RepoStore* repos() override { return &repos_; }
  RunStore* runs() override { return &runs_; }
  Db* db() override { return &db_; }
  bool CanStopDatabase() override { return true; }
  void StopDatabase() override { db_.SetDown(true); }
  bool RestartDatabase() override {
    db_.SetDown(false);
    return true;
  }

 private:
  sentinel::testing::FakeRepoStore repos_;
  sentinel::testing::FakeRunStore runs_{&repos_};
  sentinel::testing::FakeDb db_;
};

// The real stores over a freshly migrated database.
class SqlBackend : public ApiBackend {
 public:
  static std::unique_ptr<SqlBackend> Open(const std::string& url, sentinel::testing::PostgresServer* pg,
                                          std::string* why) {
    auto db = cli::OpenDatabase(url);
    if (!db) {
      *why = db.error().message;
      return nullptr;
    }
    if (Status st = sqlstore::Migrate(**db, SystemClock().Now()); !st) {
      *why = st.error().message;
      return nullptr;
    }
    return std::unique_ptr<SqlBackend>(new SqlBackend(std::move(*db), pg));
  }
  RepoStore* repos() override { return &repos_; }
  RunStore* runs() override { return &runs_; }
  Db* db() override { return db_.get(); }
  // Keeps the SQLite file's folder until the backend (and its Db) is gone.
  void Own(std::unique_ptr<sentinel::testing::ScratchDir> dir) { dir_ = std::move(dir); }
  bool CanStopDatabase() override { return pg_ != nullptr; }
  void StopDatabase() override { pg_->Stop(); }
  bool RestartDatabase() override { return pg_->Restart(); }

 private:
  SqlBackend(std::unique_ptr<Db> db, sentinel::testing::PostgresServer* pg)
      : db_(std::move(db)), repos_(*db_), runs_(*db_), pg_(pg) {}
  std::unique_ptr<sentinel::testing::ScratchDir> dir_;  // destroyed last
  std::unique_ptr<Db> db_;
  sqlstore::SqlRepoStore repos_;
  sqlstore::SqlRunStore runs_;
  sentinel::testing::PostgresServer* pg_;
};

std::string UniqueName() {
  static std::atomic<int> n{0};
  return "api_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
}

}  // namespace

std::vector<std::string> ApiBackendNames() { return {"fake", "sqlite", "postgres"}; }

std::unique_ptr<ApiBackend> MakeApiBackend(const std::string& name, std::string* why) {
  if (name == "fake") return std::make_unique<FakeBackend>();
  if (name == "sqlite") {
    auto dir = std::make_unique<sentinel::testing::ScratchDir>();
    auto backend = SqlBackend::Open("sqlite://" + dir->Sub("api.db"), nullptr, why);
    if (backend) backend->Own(std::move(dir));
    return backend;
  }
  if (name == "postgres") {
    sentinel::testing::PostgresServer* pg = sentinel::testing::SharedPostgres(why);
    if (pg == nullptr) return nullptr;
    return SqlBackend::Open(pg->CreateDatabase(UniqueName()), pg, why);
  }
  *why = "unknown backend " + name;
  return nullptr;
}

}  // namespace sentinel::http
