#include "api_backends.h"

#include "testing/fake_stores.h"

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

}  // namespace

std::vector<std::string> ApiBackendNames() { return {"fake"}; }

std::unique_ptr<ApiBackend> MakeApiBackend(const std::string& name, std::string* why) {
  if (name == "fake") return std::make_unique<FakeBackend>();
  *why = "unknown backend " + name;
  return nullptr;
}

}  // namespace sentinel::http
