#include "http/webhook_route.h"

#include <memory>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/webhooks.h"
#include "core/crypto/hmac_sha256.h"
#include "http/errors.h"
#include "http/json_mapping.h"

namespace sentinel::http {
namespace {

using nlohmann::json;

// "" when the request carries a valid signature for the secret, else why not.
std::string CheckSignature(const std::string& secret, const HttpRequest& req) {
  if (const std::string sig = req.Header("x-hub-signature-256"); !sig.empty()) {
    if (sig.rfind("sha256=", 0) != 0) return "X-Hub-Signature-256 must be sha256=<hex>";
    return crypto::VerifyHmacSha256Hex(secret, req.body, sig.substr(7))
               ? ""
               : "the X-Hub-Signature-256 signature does not match the body (check webhooks.secret)";
  }
  if (const std::string sig = req.Header("x-gitea-signature"); !sig.empty()) {
    return crypto::VerifyHmacSha256Hex(secret, req.body, sig)
               ? ""
               : "the X-Gitea-Signature signature does not match the body (check webhooks.secret)";
  }
  if (const std::string token = req.Header("x-gitlab-token"); !token.empty())
    return crypto::ConstantTimeEquals(token, secret) ? "" : "the X-Gitlab-Token does not match webhooks.secret";
  return "this server requires signed webhooks: send X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>";
}

// The forge's event name from its header, "" when none is given.
std::string EventName(const HttpRequest& req) {
  for (const char* h : {"x-github-event", "x-gitea-event", "x-gogs-event", "x-gitlab-event"})
    if (std::string v = req.Header(h); !v.empty()) return v;
  return "";
}

bool IsPushEvent(const std::string& event) {
  return event.empty() || event == "push" || event == "Push Hook" || event == "Tag Push Hook";
}

// Reads a string member; a present member of another type is an error naming it.
Status Take(const json& object, const char* key, const std::string& where, std::vector<std::string>* out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return Ok();
  if (!it->is_string()) return Fail(ErrorCode::kInvalidArgument, where + key + " must be a string", where + key);
  out->push_back(it->get<std::string>());
  return Ok();
}

Result<app::PushEvent> ParsePush(const std::string& body) {
  auto parsed = ParseJsonObject(body);
  if (!parsed) return Fail(parsed.error());
  const json& j = *parsed;
  app::PushEvent e;
  std::vector<std::string> ref, after;
  if (Status st = Take(j, "ref", "", &ref); !st) return Fail(st.error());
  if (Status st = Take(j, "after", "", &after); !st) return Fail(st.error());
  if (!ref.empty()) e.ref = ref[0];
  if (!after.empty()) e.after = after[0];
  if (auto d = j.find("deleted"); d != j.end() && !d->is_null()) {
    if (!d->is_boolean()) return Fail(ErrorCode::kInvalidArgument, "deleted must be a boolean", "deleted");
    e.deleted = d->get<bool>();
  }
  // GitHub and Gitea: repository{full_name, name, clone_url, ...}; GitLab: project{path_with_namespace, ...}.
  for (const char* holder : {"repository", "project"}) {
    auto it = j.find(holder);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_object())
      return Fail(ErrorCode::kInvalidArgument, std::string(holder) + " must be an object", holder);
    const std::string where = std::string(holder) + ".";
    for (const char* key : {"full_name", "path_with_namespace", "name"})
      if (Status st = Take(*it, key, where, &e.names); !st) return Fail(st.error());
    for (const char* key : {"clone_url", "git_http_url", "ssh_url", "git_ssh_url", "git_url", "html_url", "web_url",
                            "url", "homepage"})
      if (Status st = Take(*it, key, where, &e.urls); !st) return Fail(st.error());
  }
  return e;
}

HttpResponse Handle(const WebhookContext& ctx, const HttpRequest& req) {
  if (!ctx.secret.empty()) {
    if (std::string why = CheckSignature(ctx.secret, req); !why.empty()) {
      spdlog::warn("webhook refused: {}", why);
      return ErrorResponse(401, "unauthorized", why);
    }
  }
  const std::string event = EventName(req);
  if (event == "ping")
    return JsonResponse(200, {{"triggered", false}, {"reason", "ping received; push events trigger runs"}});
  if (!IsPushEvent(event))
    return JsonResponse(200, {{"triggered", false}, {"reason", "event '" + event + "' is not a push; ignored"}});
  auto push = ParsePush(req.body);
  if (!push) return ErrorResponse(push.error());
  auto outcome = app::TriggerFromPush(*ctx.repos, *ctx.runs, *ctx.clock, *push, ctx.dispatch);
  if (!outcome) return ErrorResponse(outcome.error());
  if (!outcome->triggered) return JsonResponse(200, {{"triggered", false}, {"reason", outcome->reason}});
  spdlog::info("webhook: push to {} {} queued run {}", outcome->run.repo_name, push->ref, outcome->run.id);
  return JsonResponse(202, {{"triggered", true}, {"run", ToJson(outcome->run)}});
}

}  // namespace

void AddWebhookRoute(Router& router, const WebhookContext& context) {
  auto ctx = std::make_shared<const WebhookContext>(context);
  router.Add("POST", "/webhooks/git", [ctx](const HttpRequest& req) { return Handle(*ctx, req); });
}

}  // namespace sentinel::http
