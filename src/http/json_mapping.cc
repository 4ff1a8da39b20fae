#include "http/json_mapping.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "app/repos.h"
#include "core/base/time.h"

namespace sentinel::http {
namespace {

using nlohmann::json;

json Time(EpochMs ms) { return FormatRfc3339(ms); }
json OptTime(const std::optional<EpochMs>& ms) { return ms ? json(FormatRfc3339(*ms)) : json(nullptr); }
template <class T>
json Opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}
json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json Evidence(const std::vector<EvidenceLine>& lines) {
  json out = json::array();
  for (const EvidenceLine& e : lines) out.push_back({{"line", e.line}, {"text", e.text}});
  return out;
}

json StepJson(const Step& s) {
  return {{"index", s.index},
          {"name", s.name},
          {"command", s.command},
          {"status", Name(s.status)},
          {"exit_code", Opt(s.exit_code)},
          {"attempts", s.attempts},
          {"started_at", OptTime(s.started_at)},
          {"finished_at", OptTime(s.finished_at)},
          {"duration_ms", Opt(s.duration_ms)},
          {"warnings", s.warnings}};
}

json TestJson(const TestCaseResult& t) {
  return {{"test_id", t.TestId()},       {"suite", t.suite},
          {"class", t.class_name},       {"name", t.name},
          {"outcome", Name(t.outcome)},  {"duration_ms", t.duration_ms},
          {"message", t.message},        {"attempts", t.attempts},
          {"step_index", t.step_index},  {"file", t.file},
          {"flaky", t.flaky},            {"quarantined", t.quarantined}};
}

json FailureJson(const Failure& f) {
  return {{"id", f.id},
          {"step_index", f.step_index},
          {"category", Name(f.category)},
          {"signature", f.signature},
          {"fingerprint", f.fingerprint},
          {"cluster_id", Opt(f.cluster_id)},
          {"confidence", f.confidence},
          {"title", f.title},
          {"evidence", Evidence(f.evidence)},
          {"hints", f.hints},
          {"remediation", f.remediation},
          {"flaky", f.flaky},
          {"created_at", Time(f.created_at)}};
}

}  // namespace

json ToJson(const Repo& repo) {
  return {{"id", repo.id}, {"name", repo.name}, {"url", repo.url}, {"created_at", Time(repo.created_at)}};
}

json ToJson(const RepoSummary& s) {
  json out = ToJson(s.repo);
  out["last_run"] = s.last_run ? ToJson(*s.last_run) : json(nullptr);
  out["finished_runs"] = s.finished_runs;
  out["succeeded_runs"] = s.succeeded_runs;
  out["success_rate"] = Opt(s.success_rate);
  return out;
}

namespace {

// A run's fields, written once for both writers below (the tree for nested
// documents, the text writer for the hot list endpoint).
template <class W>
void MapRun(W& w, const Run& run) {
  const bool ended_badly = run.status == RunStatus::kFailed || run.status == RunStatus::kErrored ||
                           run.status == RunStatus::kTimedOut;
  std::optional<std::int64_t> duration;
  if (run.started_at && run.finished_at) duration = *run.finished_at - *run.started_at;
  w.Int("id", run.id);
  w.Int("repo_id", run.repo_id);
  w.Str("repo", run.repo_name);
  w.StrOrNull("ref", run.ref);
  w.StrOrNull("commit", run.commit);
  w.StrOrNull("scenario", run.scenario);
  w.Str("status", Name(run.status));
  w.Int("attempt", run.attempt);
  w.StrOrNull("worker", run.worker);
  w.StrOrNull("reason", run.reason);
  w.StrOrNull("category", ended_badly ? std::string(Name(run.category)) : std::string());
  w.Time("created_at", run.created_at);
  w.OptTime("started_at", run.started_at);
  w.OptTime("finished_at", run.finished_at);
  w.OptInt("duration_ms", duration);
}

// Builds an nlohmann::json object.
struct TreeWriter {
  json& out;
  void Int(const char* k, std::int64_t v) { out[k] = v; }
  void Str(const char* k, std::string_view v) { out[k] = v; }
  void StrOrNull(const char* k, const std::string& v) { out[k] = OrNull(v); }
  void Time(const char* k, EpochMs v) { out[k] = FormatRfc3339(v); }
  void OptTime(const char* k, const std::optional<EpochMs>& v) { out[k] = sentinel::http::OptTime(v); }
  void OptInt(const char* k, const std::optional<std::int64_t>& v) { out[k] = Opt(v); }
};

// Appends the object's text straight to a string: the same bytes a tree would
// dump to (strings that need escaping go through nlohmann's own escaper).
class TextWriter {
 public:
  explicit TextWriter(std::string* out) : out_(*out) { out_.push_back('{'); }
  void Close() { out_.push_back('}'); }
  void Int(const char* k, std::int64_t v) {
    Key(k);
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, end);
  }
  void Str(const char* k, std::string_view v) {
    Key(k);
    String(v);
  }
  void StrOrNull(const char* k, const std::string& v) {
    Key(k);
    if (v.empty()) {
      out_.append("null");
    } else {
      String(v);
    }
  }
  void Time(const char* k, EpochMs v) { Str(k, FormatRfc3339(v)); }
  void OptTime(const char* k, const std::optional<EpochMs>& v) {
    if (v) {
      Time(k, *v);
    } else {
      Key(k);
      out_.append("null");
    }
  }
  void OptInt(const char* k, const std::optional<std::int64_t>& v) {
    if (v) {
      Int(k, *v);
    } else {
      Key(k);
      out_.append("null");
    }
  }

 private:
  void Key(const char* k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(k);  // keys are ASCII identifiers
    out_.append("\":");
  }
  void String(std::string_view v) {
    const bool plain = std::all_of(v.begin(), v.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f && c != '"' && c != '\\';
    });
    if (plain) {
      out_.push_back('"');
      out_.append(v);
      out_.push_back('"');
    } else {
      out_.append(json(std::string(v)).dump(-1, ' ', false, json::error_handler_t::replace));
    }
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace

json ToJson(const Run& run) {
  json out = json::object();
  TreeWriter w{out};
  MapRun(w, run);
  return out;
}

HttpResponse PageResponse(const Page<Run>& page) {
  HttpResponse res;
  std::string& out = res.body;
  out.reserve(64 + page.items.size() * 400);
  out.append("{\"items\":[");
  for (size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) out.push_back(',');
    TextWriter w(&out);
    MapRun(w, page.items[i]);
    w.Close();
  }
  out.append("],\"next_cursor\":");
  out.append(page.next_cursor ? json(*page.next_cursor).dump(-1, ' ', false, json::error_handler_t::replace)
                              : std::string("null"));
  out.push_back('}');
  return res;
}

json ToJson(const RunDetail& d) {
  json out = ToJson(d.run);
  json steps = json::array();
  for (const Step& s : d.steps) steps.push_back(StepJson(s));
  json failed = json::array();
  for (const TestCaseResult& t : d.failed_tests) failed.push_back(TestJson(t));
  json failures = json::array();
  for (const Failure& f : d.failures) failures.push_back(FailureJson(f));
  json events = json::array();
  for (const RunEvent& e : d.events)
    events.push_back({{"at", Time(e.at)}, {"kind", e.kind}, {"message", e.message}, {"attempt", e.attempt}});
  out["steps"] = std::move(steps);
  out["tests"] = {{"total", d.tests.total},   {"passed", d.tests.passed},   {"failed", d.tests.failed},
                  {"errors", d.tests.errors}, {"skipped", d.tests.skipped}, {"flaky", d.tests.flaky},
                  {"quarantined", d.tests.quarantined}, {"failed_cases", std::move(failed)}};
  out["failures"] = std::move(failures);
  out["events"] = std::move(events);
  return out;
}

json ToJson(const app::HealthReport& r) {
  return {{"status", r.ok() ? "ok" : "degraded"},
          {"database", r.database_ok ? "ok" : "down"},
          {"queue", r.queue_ok ? "ok" : "down"},
          {"workers", r.workers},
          {"stale_writes", r.stale_writes},
          {"version", r.version}};
}

HttpResponse JsonResponse(int status, const json& body) {
  HttpResponse res;
  res.status = status;
  res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return res;
}

namespace {
// How deep the body's arrays and objects nest (brackets inside strings do not
// count). Scanned before parsing, so a megabyte of '[' costs a pass over the
// bytes instead of half a million nested values.
int NestingDepth(std::string_view text, int stop_at) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size() && deepest <= stop_at; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}
constexpr int kMaxBodyDepth = 32;
}  // namespace

Result<json> ParseJsonObject(const std::string& body) {
  if (NestingDepth(body, kMaxBodyDepth) > kMaxBodyDepth)
    return Fail(ErrorCode::kInvalidArgument,
                "the request body nests deeper than " + std::to_string(kMaxBodyDepth) + " levels", "body");
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded())
    return Fail(ErrorCode::kInvalidArgument, "the request body is not valid JSON", "body");
  if (!parsed.is_object())
    return Fail(ErrorCode::kInvalidArgument, "the request body must be a JSON object", "body");
  return parsed;
}

Result<std::string> RequiredString(const json& object, const std::string& field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null())
    return Fail(ErrorCode::kInvalidArgument, field + " is required", field);
  if (!it->is_string()) return Fail(ErrorCode::kInvalidArgument, field + " must be a string", field);
  return it->get<std::string>();
}

Result<std::optional<std::string>> OptionalString(const json& object, const std::string& field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Fail(ErrorCode::kInvalidArgument, field + " must be a string", field);
  return std::optional<std::string>(it->get<std::string>());
}

std::optional<std::string> QueryParam(const HttpRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  if (it == request.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<ListQuery> ParseListQuery(const HttpRequest& request) {
  ListQuery q;
  q.limit = app::kDefaultPageSize;
  if (auto limit = QueryParam(request, "limit"); limit && !limit->empty()) {
    int v = 0;
    auto [p, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), v);
    if (ec != std::errc() || p != limit->data() + limit->size())
      return Fail(ErrorCode::kInvalidArgument,
                  "limit must be an integer between 1 and " + std::to_string(app::kMaxPageSize) + ", got '" +
                      *limit + "'",
                  "limit");
    q.limit = v;
  }
  if (auto cursor = QueryParam(request, "cursor"); cursor && !cursor->empty()) q.cursor = *cursor;
  return q;
}

json ToJson(const ClusterSummary& s) {
  const Cluster& c = s.cluster;
  return {{"id", c.id},
          {"fingerprint", c.fingerprint},
          {"category", Name(c.category)},
          {"signature", c.signature},
          {"title", c.title},
          {"template", c.template_text},
          {"occurrences", c.occurrences},
          {"affected_runs", c.affected_runs},
          {"affected_repos", c.affected_repos},
          {"first_seen", Time(c.first_seen)},
          {"last_seen", Time(c.last_seen)},
          {"excerpt", Evidence(c.excerpt)},
          {"hint", c.hint},
          {"representative_run_id", Opt(s.representative_run_id)}};
}

json ToJson(const ClusterDetail& d) {
  json out = ToJson(d.summary);
  json runs = json::array();
  for (const ClusterRun& r : d.runs) {
    runs.push_back({{"id", r.run_id},
                    {"repo_id", r.repo_id},
                    {"repo_name", r.repo_name},
                    {"status", Name(r.status)},
                    {"created_at", Time(r.created_at)}});
  }
  out["runs"] = std::move(runs);
  return out;
}

}  // namespace sentinel::http
