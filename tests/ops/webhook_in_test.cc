// POST /webhooks/git on a running system: push events in the GitHub, Gitea and
// GitLab shapes trigger a run of the pushed commit; signatures are checked
// when a secret is configured (good, bad, missing); malformed payloads are
// 400, unknown repositories 404, and a refused request queues nothing.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "core/crypto/hmac_sha256.h"
#include "system.h"

namespace sentinel {
namespace {

using nlohmann::json;

constexpr char kSecret[] = "s3cret-for-tests";

std::string Sign(const std::string& body, const std::string& secret = kSecret) {
  return "sha256=" + crypto::ToHex(crypto::HmacSha256(secret, body));
}

class WebhookInTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string why;
    system_ = ops_testing::System::Start(&why, [](Settings& s) { s.webhook_secret = kSecret; }).release();
    ASSERT_NE(system_, nullptr) << why;
    system_->MakeRepo("hooked", "steps:\n  - name: hello\n    run: echo pushed\n");
  }
  static void TearDownTestSuite() {
    delete system_;
    system_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(system_, nullptr); }

  static cli::HttpResponse Post(const std::string& body, const std::string& headers) {
    auto r = cli::HttpRequest(system_->base(), "POST", "/webhooks/git", body, 10'000, headers);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : cli::HttpResponse{};
  }

  static std::size_t RunCount() {
    auto r = cli::HttpRequest(system_->base(), "GET", "/runs?repo=hooked&limit=500");
    return r && r->status == 200 ? json::parse(r->body)["items"].size() : 0;
  }

  static std::string GithubPush(const std::string& name, const std::string& after) {
    return json{{"ref", "refs/heads/main"},
                {"before", std::string(40, '0')},
                {"after", after},
                {"repository", {{"name", name}, {"full_name", "acme/" + name}, {"clone_url", "https://forge.example/acme/" + name + ".git"}}},
                {"pusher", {{"name", "dev"}}}}
        .dump();
  }

  static std::string ErrorCode(const cli::HttpResponse& r) {
    json j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  }

  static inline ops_testing::System* system_ = nullptr;
};

TEST_F(WebhookInTest, ASignedGithubPushRunsThePushedCommit) {
  const std::string sha = system_->Sha("hooked");
  ASSERT_EQ(sha.size(), 40u);
  const std::string body = GithubPush("hooked", sha);
  auto r = Post(body, "X-GitHub-Event: push\r\nX-Hub-Signature-256: " + Sign(body) + "\r\n");
  ASSERT_EQ(r.status, 202) << r.body;
  json answer = json::parse(r.body);
  EXPECT_EQ(answer["triggered"], true);
  EXPECT_EQ(answer["run"]["repo"], "hooked");
  EXPECT_EQ(answer["run"]["ref"], sha);
  json run = system_->WaitFinished(answer["run"]["id"].get<std::int64_t>());
  EXPECT_EQ(run.value("status", ""), "succeeded") << run.dump();
  EXPECT_EQ(run.value("commit", ""), sha);
}

TEST_F(WebhookInTest, WrongOrMissingSignaturesAre401AndQueueNothing) {
  const std::string body = GithubPush("hooked", system_->Sha("hooked"));
  const std::size_t before = RunCount();
  struct Case {
    const char* what;
    std::string headers;
  } cases[] = {
      {"missing", "X-GitHub-Event: push\r\n"},
      {"other secret", "X-Hub-Signature-256: " + Sign(body, "not-the-secret") + "\r\n"},
      {"signature of another body", "X-Hub-Signature-256: " + Sign(body + " ") + "\r\n"},
      {"no sha256= prefix", "X-Hub-Signature-256: " + Sign(body).substr(7) + "\r\n"},
      {"truncated", "X-Hub-Signature-256: " + Sign(body).substr(0, 40) + "\r\n"},
      {"not hex", "X-Hub-Signature-256: sha256=" + std::string(64, 'g') + "\r\n"},
      {"wrong gitlab token", "X-Gitlab-Token: nope\r\n"},
      {"wrong gitea signature", "X-Gitea-Signature: " + crypto::ToHex(crypto::HmacSha256("x", body)) + "\r\n"},
  };
  for (const Case& c : cases) {
    auto r = Post(body, c.headers);
    EXPECT_EQ(r.status, 401) << c.what << ": " << r.body;
    EXPECT_EQ(ErrorCode(r), "unauthorized") << c.what;
  }
  // The signature is checked before the body is read: a malformed body without one is 401 too.
  EXPECT_EQ(Post("{not json", "").status, 401);
  EXPECT_EQ(RunCount(), before);
}

TEST_F(WebhookInTest, GitlabAndGiteaShapesAndAuthentication) {
  const std::string sha = system_->Sha("hooked");
  const std::string gitlab =
      json{{"object_kind", "push"},
           {"ref", "refs/heads/main"},
           {"after", sha},
           {"project", {{"name", "hooked"}, {"path_with_namespace", "acme/hooked"}, {"git_http_url", "https://gl/acme/hooked.git"}}}}
          .dump();
  auto r = Post(gitlab, std::string("X-Gitlab-Event: Push Hook\r\nX-Gitlab-Token: ") + kSecret + "\r\n");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(json::parse(r.body)["run"]["ref"], sha);

  const std::string gitea = GithubPush("hooked", sha);
  r = Post(gitea, "X-Gitea-Event: push\r\nX-Gitea-Signature: " + crypto::ToHex(crypto::HmacSha256(kSecret, gitea)) + "\r\n");
  EXPECT_EQ(r.status, 202) << r.body;
}

TEST_F(WebhookInTest, TheRepositoryIsFoundByCloneUrlWhenTheNameDiffers) {
  // The forge calls it "mirror", but its clone URL is the registered repository's (with .git and a slash).
  const std::string body =
      json{{"ref", "refs/heads/main"},
           {"after", system_->Sha("hooked")},
           {"repository", {{"name", "mirror"}, {"clone_url", "file://" + system_->RepoPath("hooked") + ".git/"}}}}
          .dump();
  auto r = Post(body, "X-Hub-Signature-256: " + Sign(body) + "\r\n");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(json::parse(r.body)["run"]["repo"], "hooked");
}

TEST_F(WebhookInTest, MalformedUnknownAndIgnoredEvents) {
  const std::size_t before = RunCount();
  struct Case {
    const char* what;
    std::string body;
    int status;
    std::string message_part;
  } cases[] = {
      {"not JSON", "{\"ref\": ", 400, "not valid JSON"},
      {"not an object", "[1, 2]", 400, "JSON object"},
      {"no repository", R"({"ref": "refs/heads/main", "after": "abc"})", 400, "names no repository"},
      {"repository not an object", R"({"ref": "refs/heads/main", "repository": "hooked"})", 400, "repository must be an object"},
      {"name not a string", R"({"ref": "refs/heads/main", "repository": {"name": 7}})", 400, "repository.name must be a string"},
      {"ref not a string", R"({"ref": 5, "repository": {"name": "hooked"}})", 400, "ref must be a string"},
      {"no ref", R"({"repository": {"name": "hooked"}})", 400, "no ref"},
      {"unknown repository", GithubPush("nobody-knows", std::string(40, 'a')), 404, "nobody-knows"},
  };
  for (const Case& c : cases) {
    auto r = Post(c.body, "X-Hub-Signature-256: " + Sign(c.body) + "\r\n");
    EXPECT_EQ(r.status, c.status) << c.what << ": " << r.body;
    EXPECT_NE(r.body.find(c.message_part), std::string::npos) << c.what << ": " << r.body;
  }
  // A ping, another event type and a deleted branch are answered 200 and queue nothing.
  const std::string ping = R"({"zen": "Keep it simple.", "hook_id": 1})";
  auto p = Post(ping, "X-GitHub-Event: ping\r\nX-Hub-Signature-256: " + Sign(ping) + "\r\n");
  EXPECT_EQ(p.status, 200) << p.body;
  const std::string issue = R"({"action": "opened"})";
  EXPECT_EQ(Post(issue, "X-GitHub-Event: issues\r\nX-Hub-Signature-256: " + Sign(issue) + "\r\n").status, 200);
  json deleted = json::parse(GithubPush("hooked", std::string(40, '0')));
  deleted["deleted"] = true;
  auto d = Post(deleted.dump(), "X-Hub-Signature-256: " + Sign(deleted.dump()) + "\r\n");
  EXPECT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(json::parse(d.body)["triggered"], false);
  EXPECT_EQ(RunCount(), before);
}

TEST(WebhookInUnsignedTest, WithoutASecretAnUnsignedPushIsAccepted) {
  std::string why;
  auto system = ops_testing::System::Start(&why);
  ASSERT_NE(system, nullptr) << why;
  system->MakeRepo("open", "steps:\n  - name: hello\n    run: 'true'\n");
  const std::string body =
      json{{"ref", "refs/heads/main"}, {"after", system->Sha("open")}, {"repository", {{"name", "open"}}}}.dump();
  auto r = cli::HttpRequest(system->base(), "POST", "/webhooks/git", body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(system->WaitFinished(json::parse(r->body)["run"]["id"].get<std::int64_t>()).value("status", ""),
            "succeeded");
  // A branch name without an after-sha runs that branch.
  const std::string by_branch = json{{"ref", "refs/heads/main"}, {"repository", {{"name", "open"}}}}.dump();
  auto b = cli::HttpRequest(system->base(), "POST", "/webhooks/git", by_branch);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->status, 202) << b->body;
  EXPECT_EQ(json::parse(b->body)["run"]["ref"], "main");
}

}  // namespace
}  // namespace sentinel
