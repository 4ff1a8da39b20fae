#include "app/tests.h"

#include "app/repos.h"
#include "app/runs.h"

namespace sentinel::app {
namespace {

Result<Repo> RepoOf(RepoStore& repos, const std::string& text) {
  const bool numeric = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  Result<Repo> repo;
  std::string shown;
  if (numeric) {
    auto id = ParseId(text, "repo");
    if (!id) return Fail(id.error());
    repo = repos.Get(*id);
    shown = "id " + text;
  } else {
    if (Status st = ValidateRepoName(text, "repo"); !st) return Fail(st.error());
    repo = repos.GetByName(text);
    shown = "name '" + text + "'";
  }
  if (!repo && repo.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kNotFound, "no repository with " + shown, "repo");
  return repo;
}

Result<std::int64_t> TestIdOf(RepoStore& repos, TestHistoryStore& tests, const std::string& id,
                              const std::optional<std::string>& repo) {
  const bool numeric = !id.empty() && id.find_first_not_of("0123456789") == std::string::npos;
  if (numeric && !repo) return ParseId(id, "id");
  if (!repo)
    return Fail(ErrorCode::kInvalidArgument,
                "'" + id + "' is not a numeric test id; give the repository too (?repo=ID or NAME) to look a test up "
                "by its test id",
                "repo");
  auto r = RepoOf(repos, *repo);
  if (!r) return Fail(r.error());
  auto v = tests.Find(r->id, id);
  if (!v) {
    if (v.error().code == ErrorCode::kNotFound)
      return Fail(ErrorCode::kNotFound, "repository " + r->name + " has no test '" + id + "'", "id");
    return Fail(v.error());
  }
  return v->id;
}

}  // namespace

Result<Page<StoredVerdict>> ListTests(RepoStore& repos, TestHistoryStore& tests, const ListTestsRequest& request) {
  if (Status st = ValidatePage(request.page); !st) return Fail(st.error());
  TestFilter filter;
  filter.page = request.page;
  if (request.classification) {
    filter.classification = flaky::ParseClassification(*request.classification);
    if (!filter.classification)
      return Fail(ErrorCode::kInvalidArgument,
                  "classification '" + *request.classification + "' is not one of flaky, failing, stable, insufficient",
                  "classification");
  }
  if (request.repo) {
    auto repo = RepoOf(repos, *request.repo);
    if (!repo) return Fail(repo.error());
    filter.repo_id = repo->id;
  }
  return tests.List(filter);
}

Result<TestDetail> GetTest(RepoStore& repos, TestHistoryStore& tests, const std::string& id,
                           const std::optional<std::string>& repo) {
  auto n = TestIdOf(repos, tests, id, repo);
  if (!n) return Fail(n.error());
  return tests.Get(*n);
}

Result<TestDetail> ChangeQuarantine(RepoStore& repos, TestHistoryStore& tests, const Clock& clock,
                                    const std::string& id, const std::optional<std::string>& repo,
                                    const QuarantineRequest& request, bool lift) {
  std::string signature;
  if (request.all) {
    if (request.signature && *request.signature != kAllSignatures)
      return Fail(ErrorCode::kInvalidArgument, "give either a signature or all: true, not both", "signature");
    signature = kAllSignatures;
  } else if (request.signature && !request.signature->empty()) {
    signature = *request.signature;
    if (signature.size() > 200)
      return Fail(ErrorCode::kInvalidArgument, "signature is longer than 200 bytes", "signature");
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "signature is required (a failure signature of the test, or \"*\"), or all: true", "signature");
  }
  if (request.who.empty() || request.who.size() > 200)
    return Fail(ErrorCode::kInvalidArgument, "who is required (who makes the change, at most 200 bytes)", "who");
  if (request.reason.empty() || request.reason.size() > 2000)
    return Fail(ErrorCode::kInvalidArgument, "reason is required (why, at most 2000 bytes)", "reason");
  auto n = TestIdOf(repos, tests, id, repo);
  if (!n) return Fail(n.error());
  if (lift) {
    if (Status st = tests.LiftQuarantine(*n, signature, request.who, request.reason, clock.Now()); !st)
      return Fail(st.error());
  } else {
    auto q = tests.AddQuarantine(*n, signature, request.who, request.reason, clock.Now());
    if (!q) return Fail(q.error());
  }
  return tests.Get(*n);
}

}  // namespace sentinel::app
