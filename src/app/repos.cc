#include "app/repos.h"

namespace sentinel::app {
namespace {

bool HasControlChar(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

Status ValidateRepoName(const std::string& name, const std::string& field) {
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, field + " is required and must not be empty", field);
  if (name.size() > 100)
    return Fail(ErrorCode::kInvalidArgument, field + " must be at most 100 characters", field);
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok)
      return Fail(ErrorCode::kInvalidArgument,
                  field + " '" + name + "' may only contain letters, digits, '.', '_' and '-'", field);
  }
  return Ok();
}

Status ValidatePage(const ListQuery& query) {
  if (query.limit < 1 || query.limit > kMaxPageSize)
    return Fail(ErrorCode::kInvalidArgument,
                "limit must be between 1 and " + std::to_string(kMaxPageSize) + ", got " + std::to_string(query.limit),
                "limit");
  return Ok();
}

Result<Repo> CreateRepo(RepoStore& repos, const Clock& clock, const std::string& name, const std::string& url) {
  if (Status st = ValidateRepoName(name); !st) return Fail(st.error());
  if (url.empty()) return Fail(ErrorCode::kInvalidArgument, "url is required and must not be empty", "url");
  if (url.size() > 2048) return Fail(ErrorCode::kInvalidArgument, "url must be at most 2048 characters", "url");
  if (HasControlChar(url)) return Fail(ErrorCode::kInvalidArgument, "url must not contain control characters", "url");
  // A leading '-' would be read as an option by git.
  if (url[0] == '-') return Fail(ErrorCode::kInvalidArgument, "url must not start with '-'", "url");
  auto repo = repos.Create(name, url, clock.Now());
  if (!repo && repo.error().code == ErrorCode::kAlreadyExists)
    return Fail(ErrorCode::kAlreadyExists, "a repository named '" + name + "' already exists", "name");
  return repo;
}

Result<Page<RepoSummary>> ListRepos(RepoStore& repos, const ListQuery& query) {
  if (Status st = ValidatePage(query); !st) return Fail(st.error());
  return repos.List(query);
}

Result<RepoSummary> GetRepo(RepoStore& repos, std::int64_t id) {
  auto summary = repos.Summary(id);
  if (!summary && summary.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kNotFound, "no repository with id " + std::to_string(id), "id");
  return summary;
}

}  // namespace sentinel::app
