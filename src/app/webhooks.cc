#include "app/webhooks.h"

#include <algorithm>

namespace sentinel::app {
namespace {

std::string NormalizeUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.size() > 4 && url.compare(url.size() - 4, 4, ".git") == 0) url.resize(url.size() - 4);
  if (url.rfind("file://", 0) == 0) url = url.substr(7);
  return url;
}

bool IsHexSha(const std::string& s) {
  return (s.size() == 40 || s.size() == 64) &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool AllZeros(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

}  // namespace

Result<Repo> FindPushedRepo(RepoStore& repos, const PushEvent& event) {
  for (const std::string& name : event.names) {
    if (name.empty()) continue;
    auto repo = repos.GetByName(name);
    if (repo) return repo;
    if (repo.error().code != ErrorCode::kNotFound && repo.error().code != ErrorCode::kInvalidArgument)
      return Fail(repo.error());
  }
  std::vector<std::string> wanted;
  for (const std::string& url : event.urls)
    if (!url.empty()) wanted.push_back(NormalizeUrl(url));
  if (!wanted.empty()) {
    ListQuery q;
    q.limit = 500;
    for (;;) {
      auto page = repos.List(q);
      if (!page) return Fail(page.error());
      for (const RepoSummary& s : page->items)
        if (std::find(wanted.begin(), wanted.end(), NormalizeUrl(s.repo.url)) != wanted.end()) return s.repo;
      if (!page->next_cursor) break;
      q.cursor = page->next_cursor;
    }
  }
  std::string shown;
  for (const std::string& n : event.names)
    if (!n.empty()) shown += (shown.empty() ? "" : ", ") + std::string("'") + n + "'";
  for (const std::string& u : event.urls)
    if (!u.empty()) shown += (shown.empty() ? "" : ", ") + std::string("'") + u + "'";
  return Fail(ErrorCode::kNotFound, "no registered repository matches the pushed repository (" + shown + ")",
              "repository");
}

Result<PushOutcome> TriggerFromPush(RepoStore& repos, RunStore& runs, const Clock& clock, const PushEvent& event,
                                    const RunDispatcher& dispatch) {
  const bool named = std::any_of(event.names.begin(), event.names.end(), [](const auto& s) { return !s.empty(); }) ||
                     std::any_of(event.urls.begin(), event.urls.end(), [](const auto& s) { return !s.empty(); });
  if (!named)
    return Fail(ErrorCode::kInvalidArgument, "the push event names no repository (repository.name or a clone URL)",
                "repository");
  if (event.ref.empty() && event.after.empty())
    return Fail(ErrorCode::kInvalidArgument, "the push event has no ref and no after commit", "ref");
  auto repo = FindPushedRepo(repos, event);
  if (!repo) return Fail(repo.error());
  PushOutcome out;
  if (event.deleted || AllZeros(event.after)) {
    out.reason = "the push deleted " + event.ref + "; nothing to run";
    return out;
  }
  SubmitRunRequest request;
  request.repo = repo->id;
  if (IsHexSha(event.after)) {
    request.ref = event.after;
  } else {
    std::string ref = event.ref;
    for (const char* prefix : {"refs/heads/", "refs/tags/"})
      if (ref.rfind(prefix, 0) == 0) ref = ref.substr(std::string(prefix).size());
    request.ref = ref;
  }
  auto run = SubmitRun(repos, runs, clock, request, dispatch);
  if (!run) return Fail(run.error());
  out.triggered = true;
  out.run = *run;
  return out;
}

}  // namespace sentinel::app
