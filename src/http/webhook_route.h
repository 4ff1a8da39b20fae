#pragma once
// POST /webhooks/git: a forge push event (GitHub, Gitea, GitLab; the common
// shape: repository name or clone URL, ref, after-sha) triggers a run of the
// registered repository (app/webhooks.h). With a secret configured
// (webhooks.secret) the request must be signed: X-Hub-Signature-256:
// sha256=<hex HMAC-SHA256 of the body> (GitHub, Gitea), X-Gitea-Signature:
// <hex>, or X-Gitlab-Token: <the secret>; compared in constant time; 401
// otherwise. 400 for a malformed payload, 404 for an unknown repository, 202
// with the queued run, 200 for an event that queues nothing (ping, a deleted
// branch, another event type). Registration only; pointers must outlive the router.

#include <string>

#include "app/runs.h"
#include "http/router.h"
#include "ports/clock.h"
#include "ports/repo_store.h"
#include "ports/run_store.h"

namespace sentinel::http {

struct WebhookContext {
  RepoStore* repos = nullptr;
  RunStore* runs = nullptr;
  const Clock* clock = nullptr;
  app::RunDispatcher dispatch;
  std::string secret;  // "" = no signature required
};

void AddWebhookRoute(Router& router, const WebhookContext& context);

}  // namespace sentinel::http
