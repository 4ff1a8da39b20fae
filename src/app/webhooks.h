#pragma once
// Webhooks in: a forge's push event (GitHub, Gitea, GitLab) triggers a run of
// the registered repository it names. The transport (http/) parses the JSON
// and checks the signature; this finds the repository and submits the run.
// Thread-safe as the stores are.

#include <string>
#include <vector>

#include "app/runs.h"
#include "core/base/result.h"
#include "ports/clock.h"
#include "ports/repo_store.h"
#include "ports/run_store.h"

namespace sentinel::app {

struct PushEvent {
  std::vector<std::string> names;  // as the forge names the repository, most specific first ("org/repo", "repo")
  std::vector<std::string> urls;   // its clone and web URLs
  std::string ref;                 // "refs/heads/main", "refs/tags/v1"
  std::string after;               // the pushed commit; "" or all zeros when the ref was deleted
  bool deleted = false;
};

struct PushOutcome {
  bool triggered = false;
  Run run;             // when triggered
  std::string reason;  // when not: why nothing was queued
};

// The registered repository whose name equals one of event.names (in order),
// else whose URL equals one of event.urls (ignoring a trailing "/" or ".git").
// kNotFound (field "repository") naming what the event called it.
[[nodiscard]] Result<Repo> FindPushedRepo(RepoStore& repos, const PushEvent& event);

// Queues a run of the pushed commit (the after-sha; the branch or tag name when
// the event has none). A deleted ref queues nothing. kInvalidArgument for an
// event that names no repository or no ref; kNotFound for an unknown repository.
[[nodiscard]] Result<PushOutcome> TriggerFromPush(RepoStore& repos, RunStore& runs, const Clock& clock,
                                                  const PushEvent& event, const RunDispatcher& dispatch = {});

}  // namespace sentinel::app
