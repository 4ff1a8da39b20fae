#include "app/runs.h"

#include <array>
#include <charconv>

#include "app/repos.h"

namespace sentinel::app {
namespace {

constexpr std::array<std::string_view, 6> kScenarios = {"success", "testfail", "flaky", "timeout", "dns", "disk"};

Status ValidateRef(const std::string& ref) {
  if (ref.size() > 255) return Fail(ErrorCode::kInvalidArgument, "ref must be at most 255 characters", "ref");
  for (unsigned char c : ref)
    if (c <= 0x20 || c == 0x7f)
      return Fail(ErrorCode::kInvalidArgument, "ref must not contain spaces or control characters", "ref");
  // A leading '-' would be read as an option by git.
  if (!ref.empty() && ref[0] == '-') return Fail(ErrorCode::kInvalidArgument, "ref must not start with '-'", "ref");
  return Ok();
}

// Resolves an id or a name to a repository; kNotFound names the field "repo".
Result<Repo> ResolveRepo(RepoStore& repos, const std::variant<std::int64_t, std::string>& ref) {
  Result<Repo> repo;
  std::string shown;
  if (const auto* id = std::get_if<std::int64_t>(&ref)) {
    if (*id <= 0) return Fail(ErrorCode::kInvalidArgument, "repo id must be a positive integer", "repo");
    repo = repos.Get(*id);
    shown = "id " + std::to_string(*id);
  } else {
    const std::string& name = std::get<std::string>(ref);
    if (Status st = ValidateRepoName(name, "repo"); !st) return Fail(st.error());
    repo = repos.GetByName(name);
    shown = "name '" + name + "'";
  }
  if (!repo && repo.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kNotFound, "no repository with " + shown, "repo");
  return repo;
}

}  // namespace

bool IsScenario(const std::string& name) {
  for (std::string_view s : kScenarios)
    if (s == name) return true;
  return false;
}

Result<std::int64_t> ParseId(const std::string& text, const std::string& field) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v <= 0)
    return Fail(ErrorCode::kInvalidArgument, field + " must be a positive integer, got '" + text + "'", field);
  return v;
}

Result<Run> SubmitRun(RepoStore& repos, RunStore& runs, const Clock& clock, const SubmitRunRequest& request,
                      const RunDispatcher& dispatch) {
  if (Status st = ValidateRef(request.ref); !st) return Fail(st.error());
  if (!request.scenario.empty() && !IsScenario(request.scenario))
    return Fail(ErrorCode::kInvalidArgument,
                "scenario '" + request.scenario + "' is not one of success, testfail, flaky, timeout, dns, disk",
                "scenario");
  auto repo = ResolveRepo(repos, request.repo);
  if (!repo) return Fail(repo.error());
  auto run = runs.Create(NewRun{repo->id, request.ref, request.scenario}, clock.Now());
  if (!run) return run;
  if (dispatch) (void)dispatch(*run);  // see the header: the run is queued either way
  return run;
}

Result<Page<Run>> ListRuns(RepoStore& repos, RunStore& runs, const ListRunsRequest& request) {
  if (Status st = ValidatePage(request.page); !st) return Fail(st.error());
  RunFilter filter;
  filter.page = request.page;
  if (request.status) {
    filter.status = ParseRunStatus(*request.status);
    if (!filter.status)
      return Fail(ErrorCode::kInvalidArgument,
                  "status '" + *request.status +
                      "' is not one of queued, running, succeeded, failed, timed_out, errored, cancelled",
                  "status");
  }
  if (request.since) {
    filter.since = ParseRfc3339(*request.since);
    if (!filter.since)
      return Fail(ErrorCode::kInvalidArgument, "since '" + *request.since + "' is not an RFC 3339 time", "since");
  }
  if (request.repo) {
    const std::string& r = *request.repo;
    const bool numeric = !r.empty() && r.find_first_not_of("0123456789") == std::string::npos;
    std::variant<std::int64_t, std::string> ref = r;
    if (numeric) {
      auto id = ParseId(r, "repo");
      if (!id) return Fail(id.error());
      ref = *id;
    }
    auto repo = ResolveRepo(repos, ref);
    if (!repo) return Fail(repo.error());
    filter.repo_id = repo->id;
  }
  return runs.List(filter);
}

Result<RunDetail> GetRun(RunStore& runs, std::int64_t id) {
  auto detail = runs.GetDetail(id);
  if (!detail && detail.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kNotFound, "no run with id " + std::to_string(id), "id");
  return detail;
}

}  // namespace sentinel::app
