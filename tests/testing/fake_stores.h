#pragma once
// In-memory fakes of RepoStore, RunStore and Db for tests of app/ and http/
// without a database. Header-only (so that linking them needs nothing beyond
// ports). Thread-safe (one mutex) because the HTTP server calls them from its
// threads. Cursors are the last id of a page; lists are newest (highest id) first.

#include <algorithm>
#include <map>
#include <mutex>
#include <string>

#include "core/base/result.h"
#include "ports/clock.h"
#include "ports/db.h"
#include "ports/repo_store.h"
#include "ports/run_store.h"

namespace sentinel::testing {

class FakeClock : public Clock {
 public:
  explicit FakeClock(EpochMs now = 1'780'000'000'000) : now_(now) {}
  EpochMs Now() const override { return now_; }
  void Advance(EpochMs ms) { now_ += ms; }

 private:
  EpochMs now_;
};

// Pages a newest-first id-keyed map.
template <class T, class F>
Result<Page<T>> FakePage(const std::map<std::int64_t, T>& all, const ListQuery& q, F keep) {
  std::int64_t below = INT64_MAX;
  if (q.cursor) {
    try {
      below = std::stoll(*q.cursor);
    } catch (...) {
      return Fail(ErrorCode::kInvalidArgument, "cursor is not valid", "cursor");
    }
  }
  Page<T> page;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->first >= below || !keep(it->second)) continue;
    page.items.push_back(it->second);
    if (static_cast<int>(page.items.size()) > q.limit) {
      page.items.pop_back();
      page.next_cursor = std::to_string(page.items.back().Key());
      break;
    }
  }
  return page;
}

class FakeRepoStore : public RepoStore {
 public:
  Result<Repo> Create(const std::string& name, const std::string& url, EpochMs now) override {
    std::lock_guard lock(mu_);
    for (auto& [id, r] : repos_)
      if (r.repo.name == name) return Fail(ErrorCode::kAlreadyExists, "name taken", "name");
    Item item{Repo{next_id_, name, url, now}};
    repos_[next_id_++] = item;
    return item.repo;
  }
  Result<Repo> Get(std::int64_t id) override {
    std::lock_guard lock(mu_);
    auto it = repos_.find(id);
    if (it == repos_.end()) return Fail(ErrorCode::kNotFound, "no repo", "id");
    return it->second.repo;
  }
  Result<Repo> GetByName(const std::string& name) override {
    std::lock_guard lock(mu_);
    for (auto& [id, r] : repos_)
      if (r.repo.name == name) return r.repo;
    return Fail(ErrorCode::kNotFound, "no repo", "name");
  }
  Result<RepoSummary> Summary(std::int64_t id) override {
    auto repo = Get(id);
    if (!repo) return Fail(repo.error());
    RepoSummary rs;
    rs.repo = *repo;
    return rs;
  }
  Result<Page<RepoSummary>> List(const ListQuery& q) override {
    std::lock_guard lock(mu_);
    auto page = FakePage(repos_, q, [](const Item&) { return true; });
    if (!page) return Fail(page.error());
    Page<RepoSummary> out{{}, page->next_cursor};
    for (const Item& i : page->items) { RepoSummary rs; rs.repo = i.repo; out.items.push_back(rs); }
    return out;
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return repos_.size();
  }

 private:
  struct Item {
    Repo repo;
    std::int64_t Key() const { return repo.id; }
  };
  std::mutex mu_;
  std::map<std::int64_t, Item> repos_;
  std::int64_t next_id_ = 1;
};

class FakeRunStore : public RunStore {
 public:
  explicit FakeRunStore(RepoStore* repos) : repos_(repos) {}
  Result<Run> Create(const NewRun& nr, EpochMs now) override {
    auto repo = repos_->Get(nr.repo_id);
    if (!repo) return Fail(repo.error());
    std::lock_guard lock(mu_);
    Run run;
    run.id = next_id_++;
    run.repo_id = nr.repo_id;
    run.repo_name = repo->name;
    run.ref = nr.ref;
    run.scenario = nr.scenario;
    run.created_at = now;
    RunDetail detail;
    detail.run = run;
    runs_[run.id] = Item{detail};
    return run;
  }
  Result<Run> Get(std::int64_t id) override {
    auto d = GetDetail(id);
    if (!d) return Fail(d.error());
    return d->run;
  }
  Result<RunDetail> GetDetail(std::int64_t id) override {
    std::lock_guard lock(mu_);
    auto it = runs_.find(id);
    if (it == runs_.end()) return Fail(ErrorCode::kNotFound, "no run", "id");
    return it->second.detail;
  }
  Result<Page<Run>> List(const RunFilter& f) override {
    std::lock_guard lock(mu_);
    auto page = FakePage(runs_, f.page, [&f](const Item& i) {
      const Run& r = i.detail.run;
      return (!f.repo_id || r.repo_id == *f.repo_id) && (!f.status || r.status == *f.status) &&
             (!f.since || r.created_at >= *f.since);
    });
    if (!page) return Fail(page.error());
    Page<Run> out{{}, page->next_cursor};
    for (const Item& i : page->items) out.items.push_back(i.detail.run);
    return out;
  }
  // Test hook: replaces a stored detail (steps, failures ...).
  void Put(const RunDetail& d) {
    std::lock_guard lock(mu_);
    runs_[d.run.id] = Item{d};
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return runs_.size();
  }

 private:
  struct Item {
    RunDetail detail;
    std::int64_t Key() const { return detail.run.id; }
  };
  RepoStore* repos_;
  std::mutex mu_;
  std::map<std::int64_t, Item> runs_;
  std::int64_t next_id_ = 1;
};

// A Db whose Ping answers what the test says; Exec/Transact are not used by the API.
class FakeDb : public Db {
 public:
  std::string_view Dialect() const override { return "fake"; }
  Result<SqlResult> Exec(std::string_view, const SqlParams&) override {
    return Fail(ErrorCode::kUnimplemented, "FakeDb runs no SQL");
  }
  Status Transact(const std::function<Status(SqlSession&)>& fn) override { return fn(*this); }
  Status Ping() override {
    std::lock_guard lock(mu_);
    if (down_) return Fail(ErrorCode::kUnavailable, "database is down (fake)");
    return Ok();
  }
  void SetDown(bool down) {
    std::lock_guard lock(mu_);
    down_ = down;
  }

 private:
  std::mutex mu_;
  bool down_ = false;
};

}  // namespace sentinel::testing
