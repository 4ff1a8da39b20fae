#pragma once
// The stores the API tests run against: "fake" (in-memory, always), and
// "sqlite" / "postgres" (the real stores, when the build has them). Not
// thread-safe: one backend per test.

#include <memory>
#include <string>
#include <vector>

#include "ports/db.h"
#include "ports/repo_store.h"
#include "ports/run_store.h"

namespace sentinel::http {

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;
  virtual RepoStore* repos() = 0;
  virtual RunStore* runs() = 0;
  virtual Db* db() = 0;
  // Whether the database can be taken down and brought back (PostgreSQL; the fake simulates it).
  virtual bool CanStopDatabase() { return false; }
  virtual void StopDatabase() {}
  virtual bool RestartDatabase() { return false; }
};

std::vector<std::string> ApiBackendNames();

// nullptr and *why when the backend cannot be set up (e.g. no PostgreSQL installed).
std::unique_ptr<ApiBackend> MakeApiBackend(const std::string& name, std::string* why);

}  // namespace sentinel::http
