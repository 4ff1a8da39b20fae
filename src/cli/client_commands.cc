#include "cli/client_commands.h"

#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/client_output.h"
#include "cli/http_client.h"

namespace sentinel::cli {
namespace {

using nlohmann::json;

struct CommonClientFlags {
  std::string api;
  bool json = false;
};

// One invocation: where the API is and how to print.
struct Ctx {
  std::string command;  // "runs", "trigger", ... for messages
  std::string api;
  bool json = false;
  ClientIo io;

  std::ostream& out() const { return *io.out; }
  std::ostream& err() const { return *io.err; }
};

std::string DefaultApi() {
  if (const char* api = std::getenv("SENTINEL_API"); api != nullptr && *api != '\0') return api;
  const char* port = std::getenv("SENTINEL_API_PORT");
  return std::string("http://127.0.0.1:") + (port != nullptr && *port != '\0' ? port : "8000");
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// "?a=1&b=2" from the non-empty pairs.
std::string Query(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string q;
  for (const auto& [k, v] : pairs) {
    if (v.empty()) continue;
    q += (q.empty() ? "?" : "&") + k + "=" + UrlEncode(v);
  }
  return q;
}

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// The outcome of one API call: the answer, or the exit code after the reason was printed.
struct Answer {
  std::optional<HttpResponse> response;
  int exit_code = kExitOk;
  bool ok() const { return response.has_value(); }
};

bool IsNoRoute(const HttpResponse& r) {
  if (r.status != 404) return false;
  json j = json::parse(r.body, nullptr, false);
  return !j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object() &&
         j["error"].value("message", "").rfind("no such path", 0) == 0;
}

// Prints why a call failed: a transport error, or a non-2xx answer with the API's own
// error message; returns the exit code. `feature` names the endpoint family for the
// "this API has no ..." message when the server has no such route.
int ReportTransport(const Ctx& ctx, const Error& error) {
  if (error.code == ErrorCode::kInvalidArgument) {
    ctx.err() << "sentinel " << ctx.command << ": " << error.message << "\n";
    return kExitUsage;
  }
  ctx.err() << "sentinel " << ctx.command << ": cannot reach the Sentinel API at " << ctx.api << " (" << error.message
            << "); is it running? (`make up`, or pass --api URL / set SENTINEL_API)\n";
  return kExitUnreachable;
}

int ReportAnswer(const Ctx& ctx, const HttpResponse& r, const std::string& path, const std::string& feature) {
  if (IsNoRoute(r)) {
    ctx.err() << "sentinel " << ctx.command << ": this API (" << ctx.api << ") has no "
              << (feature.empty() ? path.substr(0, path.find('?')) : feature)
              << " endpoint; it is an older or partial server\n";
    return kExitApiError;
  }
  json j = json::parse(r.body, nullptr, false);
  std::string message;
  if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object()) {
    message = j["error"].value("message", "");
    const std::string code = j["error"].value("code", "");
    if (!code.empty()) message += " [" + code + "]";
  }
  if (message.empty()) message = r.body.substr(0, 300);
  ctx.err() << "sentinel " << ctx.command << ": the API answered " << r.status << ": " << message << "\n";
  return kExitApiError;
}

bool Is2xx(const HttpResponse& r) { return r.status >= 200 && r.status < 300; }

Answer Call(const Ctx& ctx, const std::string& method, const std::string& path, const std::string& body = {},
            const std::string& feature = {}) {
  Answer a;
  auto r = HttpRequest(ctx.api, method, path, body);
  if (!r) {
    a.exit_code = ReportTransport(ctx, r.error());
  } else if (!Is2xx(*r)) {
    a.exit_code = ReportAnswer(ctx, *r, path, feature);
  } else {
    a.response = std::move(*r);
  }
  return a;
}

// A JSON answer; a body that is not JSON is an error.
std::optional<json> CallJson(const Ctx& ctx, int* exit_code, const std::string& method, const std::string& path,
                             const std::string& body = {}, const std::string& feature = {}) {
  Answer a = Call(ctx, method, path, body, feature);
  if (!a.ok()) {
    *exit_code = a.exit_code;
    return std::nullopt;
  }
  json j = json::parse(a.response->body, nullptr, false);
  if (j.is_discarded()) {
    ctx.err() << "sentinel " << ctx.command << ": the API's answer to " << method << " " << path
              << " is not JSON\n";
    *exit_code = kExitApiError;
    return std::nullopt;
  }
  *exit_code = kExitOk;
  return j;
}

Cell Status(const json& status) {
  const std::string s = CellText(status);
  return {s, StatusColor(s)};
}

std::string Id(const json& v) { return v.is_null() ? "-" : CellText(v); }

void PrintMore(const Ctx& ctx, const json& page) {
  if (page.contains("next_cursor") && page["next_cursor"].is_string())
    ctx.out() << "(more: --cursor " << page["next_cursor"].get<std::string>() << ")\n";
}

std::string Duration(const json& ms) { return ms.is_number() ? FormatDurationMs(ms.get<std::int64_t>()) : "-"; }

std::string ShortSha(const json& v) { return v.is_string() ? v.get<std::string>().substr(0, 10) : "-"; }

// ---- runs

void PrintRunsTable(const Ctx& ctx, const json& page) {
  std::vector<std::vector<Cell>> rows;
  for (const json& r : page.value("items", json::array())) {
    rows.push_back({{Id(r.value("id", json()))},
                    {CellText(r.value("repo", json()))},
                    Status(r.value("status", json())),
                    {CellText(r.value("ref", json()))},
                    {ShortSha(r.value("commit", json()))},
                    {CellText(r.value("category", json()))},
                    {ShortTime(r.value("created_at", json()))},
                    {Duration(r.value("duration_ms", json()))}});
  }
  if (rows.empty()) {
    ctx.out() << "no runs\n";
    return;
  }
  PrintTable(ctx.out(), {"ID", "REPO", "STATUS", "REF", "COMMIT", "CATEGORY", "CREATED", "DURATION"}, rows,
             ctx.io.color);
  PrintMore(ctx, page);
}

void PrintRunDetail(const Ctx& ctx, const json& run) {
  std::ostream& out = ctx.out();
  const bool c = ctx.io.color;
  const std::string status = run.value("status", "");
  out << Paint("run " + Id(run.value("id", json())), "1", c) << "  " << CellText(run.value("repo", json())) << "  "
      << Paint(status, StatusColor(status), c);
  if (run.value("category", json()).is_string()) out << " (" << run["category"].get<std::string>() << ")";
  out << "\n";
  out << "  ref " << CellText(run.value("ref", json())) << "  commit " << ShortSha(run.value("commit", json()))
      << "  attempt " << CellText(run.value("attempt", json())) << "  worker " << CellText(run.value("worker", json()))
      << "\n";
  out << "  created " << ShortTime(run.value("created_at", json())) << "  started "
      << ShortTime(run.value("started_at", json())) << "  duration " << Duration(run.value("duration_ms", json()))
      << "\n";
  if (run.value("reason", json()).is_string()) out << "  reason " << run["reason"].get<std::string>() << "\n";

  const json steps = run.value("steps", json::array());
  if (!steps.empty()) {
    out << Paint("steps", "1", c) << "\n";
    std::vector<std::vector<Cell>> rows;
    for (const json& s : steps) {
      rows.push_back({{CellText(s.value("index", json()))},
                      {CellText(s.value("name", json()))},
                      Status(s.value("status", json())),
                      {CellText(s.value("exit_code", json()))},
                      {CellText(s.value("attempts", json()))},
                      {Duration(s.value("duration_ms", json()))}});
    }
    PrintTable(out, {"#", "NAME", "STATUS", "EXIT", "ATTEMPTS", "DURATION"}, rows, c);
  }
  const json tests = run.value("tests", json::object());
  if (tests.is_object() && tests.value("total", 0) > 0) {
    out << Paint("tests", "1", c) << "  total " << tests.value("total", 0) << "  passed " << tests.value("passed", 0)
        << "  failed " << tests.value("failed", 0) << "  errors " << tests.value("errors", 0) << "  skipped "
        << tests.value("skipped", 0) << "\n";
    for (const json& t : tests.value("failed_cases", json::array())) {
      out << "  " << Paint(t.value("outcome", "failed"), "31", c) << " " << t.value("test_id", "");
      const std::string msg = t.value("message", "");
      if (!msg.empty()) out << ": " << msg.substr(0, msg.find('\n'));
      out << "\n";
    }
  }
  const json failures = run.value("failures", json::array());
  if (!failures.empty()) {
    out << Paint("failures", "1", c) << "\n";
    for (const json& f : failures) {
      out << "  [" << Paint(f.value("category", ""), "31", c) << "] " << f.value("signature", "") << " (confidence "
          << CellText(f.value("confidence", json())) << ", step " << CellText(f.value("step_index", json()));
      if (f.value("cluster_id", json()).is_number()) out << ", cluster " << f["cluster_id"].dump();
      out << "): " << f.value("title", "") << "\n";
      for (const json& e : f.value("evidence", json::array()))
        out << "      " << Paint("L" + CellText(e.value("line", json())), "90", c) << "  " << e.value("text", "")
            << "\n";
      for (const json& h : f.value("hints", json::array())) out << "    hint: " << CellText(h) << "\n";
      for (const json& r : f.value("remediation", json::array())) out << "    fix:  " << CellText(r) << "\n";
    }
  }
}

// ---- trigger --wait

bool IsTerminal(const std::string& status) { return !status.empty() && status != "queued" && status != "running"; }

std::string Progress(const json& run, std::int64_t elapsed_ms) {
  std::string line = "run " + Id(run.value("id", json())) + " (" + CellText(run.value("repo", json())) + "): " +
                     run.value("status", "?");
  const json steps = run.value("steps", json::array());
  for (const json& s : steps) {
    if (s.value("status", "") == "running") {
      line += " — step " + std::to_string(s.value("index", 0) + 1) + "/" + std::to_string(steps.size()) + " " +
              s.value("name", "");
      break;
    }
  }
  return line + " — " + FormatDurationMs(elapsed_ms / 1000 * 1000);
}

// ---- registration helpers

void AddClientFlags(CLI::App* sub, CommonClientFlags* f) {
  sub->add_option("--api", f->api, "API base URL (default: $SENTINEL_API, else http://127.0.0.1:8000)");
  sub->add_flag("--json", f->json, "print the API's JSON instead of a table");
}

Ctx MakeCtx(const std::string& command, const CommonClientFlags& f, const ClientIo& io) {
  Ctx ctx;
  ctx.command = command;
  ctx.api = f.api.empty() ? DefaultApi() : f.api;
  while (!ctx.api.empty() && ctx.api.back() == '/') ctx.api.pop_back();
  ctx.json = f.json;
  ctx.io = io;
  return ctx;
}

// A path id must be a positive integer: say so instead of asking the API.
bool CheckId(const Ctx& ctx, const std::string& what, const std::string& value, int* exit_code) {
  const bool ok = !value.empty() && value.size() <= 18 &&
                  value.find_first_not_of("0123456789") == std::string::npos;
  if (!ok) {
    ctx.err() << "sentinel " << ctx.command << ": " << what << " must be a number, got '" << value << "'\n";
    *exit_code = kExitUsage;
  }
  return ok;
}

// Lists: the table of `columns` (title, value of an item), or the JSON page.
using Column = std::pair<std::string, std::function<Cell(const json&)>>;

void PrintList(const Ctx& ctx, const json& page, const std::vector<Column>& columns, const std::string& empty) {
  if (ctx.json) {
    ctx.out() << Dump(page) << "\n";
    return;
  }
  const json items = page.is_object() ? page.value("items", json::array()) : page;
  if (!items.is_array() || items.empty()) {
    ctx.out() << empty << "\n";
    return;
  }
  std::vector<std::string> headers;
  for (const auto& col : columns) headers.push_back(col.first);
  std::vector<std::vector<Cell>> rows;
  for (const json& item : items) {
    std::vector<Cell> row;
    for (const auto& col : columns) row.push_back(col.second(item));
    rows.push_back(std::move(row));
  }
  PrintTable(ctx.out(), headers, rows, ctx.io.color);
  if (page.is_object()) PrintMore(ctx, page);
}

Column Col(const std::string& title, std::vector<std::string> keys) {
  return {title, [keys](const json& item) { return Cell{CellText(FirstOf(item, keys))}; }};
}
Column StatusCol(const std::string& title, std::vector<std::string> keys) {
  return {title, [keys](const json& item) { return Status(FirstOf(item, keys)); }};
}
Column TimeCol(const std::string& title, std::vector<std::string> keys) {
  return {title, [keys](const json& item) { return Cell{ShortTime(FirstOf(item, keys))}; }};
}

}  // namespace

ClientIo StdClientIo() {
  ClientIo io;
  io.out = &std::cout;
  io.err = &std::cerr;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  io.color = ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0') &&
             !(term != nullptr && std::string(term) == "dumb");
  io.err_is_tty = ::isatty(STDERR_FILENO) == 1;
  return io;
}

int ExitCodeForRun(const std::string& status) {
  if (status == "succeeded") return kExitOk;
  if (status == "timed_out") return kExitRunTimedOut;
  if (status == "errored") return kExitRunErrored;
  if (status == "cancelled") return kExitRunCancelled;
  return kExitRunFailed;
}

void RegisterClientCommands(CLI::App& app, int* exit_code, ClientIo io) {
  // sentinel runs [--repo R] [--status S] [--since T] [--limit N] [--cursor C]
  {
    struct F : CommonClientFlags {
      std::string repo, status, since, limit, cursor;
    };
    auto f = std::make_shared<F>();
    CLI::App* sub = app.add_subcommand("runs", "list runs of a running API (newest first)");
    AddClientFlags(sub, f.get());
    sub->add_option("--repo", f->repo, "repository id or name");
    sub->add_option("--status", f->status, "queued, running, succeeded, failed, timed_out, errored or cancelled");
    sub->add_option("--since", f->since, "only runs created at or after this RFC 3339 time");
    sub->add_option("--limit", f->limit, "page size (default 50, max 500)");
    sub->add_option("--cursor", f->cursor, "the next page (as printed after a full page)");
    sub->callback([f, exit_code, io] {
      Ctx ctx = MakeCtx("runs", *f, io);
      auto page = CallJson(ctx, exit_code, "GET",
                           "/runs" + Query({{"repo", f->repo},
                                            {"status", f->status},
                                            {"since", f->since},
                                            {"limit", f->limit},
                                            {"cursor", f->cursor}}));
      if (!page) return;
      if (ctx.json) ctx.out() << Dump(*page) << "\n";
      else PrintRunsTable(ctx, *page);
    });
  }
  // sentinel run ID
  {
    struct F : CommonClientFlags {
      std::string id;
    };
    auto f = std::make_shared<F>();
    CLI::App* sub = app.add_subcommand("run", "show one run: steps, tests, failures and their evidence");
    AddClientFlags(sub, f.get());
    sub->add_option("id", f->id, "run id")->required();
    sub->callback([f, exit_code, io] {
      Ctx ctx = MakeCtx("run", *f, io);
      if (!CheckId(ctx, "the run id", f->id, exit_code)) return;
      auto run = CallJson(ctx, exit_code, "GET", "/runs/" + f->id);
      if (!run) return;
      if (ctx.json) ctx.out() << Dump(*run) << "\n";
      else PrintRunDetail(ctx, *run);
    });
  }
  // sentinel logs RUN STEP [--follow]
  {
    struct F : CommonClientFlags {
      std::string run, step;
      bool follow = false;
      double timeout_s = 0;
    };
    auto f = std::make_shared<F>();
    CLI::App* sub = app.add_subcommand("logs", "print a step's log; --follow tails it until the step ends");
    AddClientFlags(sub, f.get());
    sub->add_option("run", f->run, "run id")->required();
    sub->add_option("step", f->step, "step index (0, 1, ...)")->required();
    sub->add_flag("-f,--follow", f->follow, "keep printing as the step writes, until it ends");
    sub->add_option("--timeout", f->timeout_s, "with --follow: give up after this many seconds (default: never)");
    sub->callback([f, exit_code, io] {
      Ctx ctx = MakeCtx("logs", *f, io);
      if (!CheckId(ctx, "the run id", f->run, exit_code) || !CheckId(ctx, "the step index", f->step, exit_code)) return;
      const std::string path = "/runs/" + f->run + "/steps/" + f->step + "/log";
      const auto started = std::chrono::steady_clock::now();
      std::int64_t offset = 0;
      for (;;) {
        const std::string target = path + "?offset=" + std::to_string(offset);
        auto r = HttpRequest(ctx.api, "GET", target);
        if (!r) {
          *exit_code = ReportTransport(ctx, r.error());
          return;
        }
        if (r->status == 404 && f->follow && !IsNoRoute(*r)) {
          // The step may not have started yet: keep waiting while the run is still going.
          auto run = CallJson(ctx, exit_code, "GET", "/runs/" + f->run);
          if (!run) return;
          if (IsTerminal(run->value("status", ""))) {
            *exit_code = ReportAnswer(ctx, *r, target, "");
            return;
          }
        } else if (!Is2xx(*r)) {
          *exit_code = ReportAnswer(ctx, *r, target, "");
          return;
        } else {
          ctx.out() << r->body << std::flush;
          const std::string next = r->Header("x-next-offset");
          offset = next.empty() ? offset + static_cast<std::int64_t>(r->body.size()) : std::atoll(next.c_str());
          if (!f->follow || r->Header("x-log-complete") != "false") break;
        }
        if (f->timeout_s > 0 &&
            std::chrono::steady_clock::now() - started > std::chrono::duration<double>(f->timeout_s)) {
          ctx.err() << "sentinel logs: stopped following after " << f->timeout_s << " s; the step is still running\n";
          *exit_code = kExitWaitTimeout;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(io.poll_ms));
      }
      *exit_code = kExitOk;
    });
  }
  // sentinel trigger REPO [--ref REF] [--scenario S] [--wait [--timeout S]]
  {
    struct F : CommonClientFlags {
      std::string repo, ref, scenario;
      bool wait = false;
      double timeout_s = 0;
    };
    auto f = std::make_shared<F>();
    CLI::App* sub = app.add_subcommand(
        "trigger", "queue a run of a repository; with --wait, wait and exit with the run's outcome");
    AddClientFlags(sub, f.get());
    sub->add_option("repo", f->repo, "repository name or id")->required();
    sub->add_option("--ref", f->ref, "branch, tag or commit (default: the repository's default branch)");
    sub->add_option("--scenario", f->scenario, "a demo scenario: success, testfail, flaky, timeout, dns, disk");
    sub->add_flag("--wait", f->wait,
                  "wait for the run to finish; exit 0 succeeded, 1 failed, 6 timed out, 7 errored, 8 cancelled");
    sub->add_option("--timeout", f->timeout_s, "with --wait: give up (exit 5) after this many seconds (default: never)");
    sub->callback([f, exit_code, io] {
      Ctx ctx = MakeCtx("trigger", *f, io);
      json body = {{"repo", f->repo}};
      if (!f->repo.empty() && f->repo.size() <= 18 && f->repo.find_first_not_of("0123456789") == std::string::npos)
        body["repo"] = std::stoll(f->repo);
      if (!f->ref.empty()) body["ref"] = f->ref;
      if (!f->scenario.empty()) body["scenario"] = f->scenario;
      auto run = CallJson(ctx, exit_code, "POST", "/runs", body.dump());
      if (!run) return;
      const std::string id = Id(run->value("id", json()));
      if (!f->wait) {
        if (ctx.json) ctx.out() << Dump(*run) << "\n";
        else ctx.out() << "run " << id << " queued (" << CellText(run->value("repo", json())) << ")\n";
        return;
      }
      const auto started = std::chrono::steady_clock::now();
      std::string last_line;
      json current = *run;
      for (;;) {
        auto now = CallJson(ctx, exit_code, "GET", "/runs/" + id);
        if (!now) {
          if (io.err_is_tty && !last_line.empty()) ctx.err() << "\n";
          return;
        }
        current = std::move(*now);
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        const std::string line = Progress(current, elapsed);
        if (io.err_is_tty) {
          ctx.err() << "\r\033[K" << line << std::flush;
        } else if (line.substr(0, line.rfind(" — ")) != last_line.substr(0, last_line.rfind(" — "))) {
          ctx.err() << line << "\n";  // not a terminal: one line per change, not per poll
        }
        last_line = line;
        if (IsTerminal(current.value("status", ""))) break;
        if (f->timeout_s > 0 && elapsed > static_cast<std::int64_t>(f->timeout_s * 1000)) {
          if (io.err_is_tty) ctx.err() << "\n";
          ctx.err() << "sentinel trigger: run " << id << " is still " << current.value("status", "") << " after "
                    << f->timeout_s << " s; stopped waiting (the run goes on)\n";
          *exit_code = kExitWaitTimeout;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(io.poll_ms));
      }
      if (io.err_is_tty) ctx.err() << "\n";
      if (ctx.json) ctx.out() << Dump(current) << "\n";
      else PrintRunDetail(ctx, current);
      *exit_code = ExitCodeForRun(current.value("status", ""));
    });
  }
  // sentinel clusters [--category C] [--repo R]
  {
    struct F : CommonClientFlags {
      std::string category, repo, limit, cursor;
    };
    auto f = std::make_shared<F>();
    CLI::App* sub = app.add_subcommand("clusters", "list failure clusters (same fingerprint across runs)");
    AddClientFlags(sub, f.get());
    sub->add_option("--category", f->category, "a failure category (test_failure, network_dns, ...)");
    sub->add_option("--repo", f->repo, "repository id");
    sub->add_option("--limit", f->limit, "page size (default 50, max 500)");
    sub->add_option("--cursor", f->cursor, "the next page");
    sub->callback([f, exit_code, io] {
      Ctx ctx = MakeCtx("clusters", *f, io);
      auto page = CallJson(ctx, exit_code, "GET",
                           "/clusters" + Query({{"category", f->category},
                                                {"repo", f->repo},
                                                {"limit", f->limit},
                                                {"cursor", f->cursor}}),
                           {}, "/clusters");
      if (!page) return;
      PrintList(ctx, *page,
                {Col("ID", {"id"}), Col("CATEGORY", {"category"}), Col("COUNT", {"occurrences"}),
                 Col("RUNS", {"affected_runs"}), Col("REPOS", {"affected_repos"}), TimeCol("LAST SEEN", {"last_seen"}),
                 Col("TITLE", {"title"})},
                "no clusters");
    });
  }
  // sentinel tests [--flaky] [--repo R]
  {
    struct F : CommonClientFlags {
      bool flaky = false;
      std::string repo, limit, cursor;
    };
    auto f = std::make_shared<F>();
    CLI::App* sub = app.add_subcommand("tests", "tests by flakiness (score, failure ratio, flips, classification)");
    AddClientFlags(sub, f.get());
    sub->add_flag("--flaky", f->flaky, "only tests classified flaky");
    sub->add_option("--repo", f->repo, "repository id or name");
    sub->add_option("--limit", f->limit, "page size (default 50, max 500)");
    sub->add_option("--cursor", f->cursor, "the next page");
    sub->callback([f, exit_code, io] {
      Ctx ctx = MakeCtx("tests", *f, io);
      // GET /tests/flaky lists scored tests; ?classification=flaky narrows it to the flaky ones.
      auto page = CallJson(ctx, exit_code, "GET",
                           "/tests/flaky" + Query({{"classification", f->flaky ? "flaky" : ""},
                                                   {"repo", f->repo},
                                                   {"limit", f->limit},
                                                   {"cursor", f->cursor}}),
                           {}, "/tests");
      if (!page) return;
      if (f->flaky && page->is_object() && page->contains("items") && (*page)["items"].is_array()) {
        // Whatever the server's default filter, --flaky shows only flaky ones.
        json kept = json::array();
        for (const json& t : (*page)["items"])
          if (!t.contains("classification") || t["classification"] == "flaky") kept.push_back(t);
        (*page)["items"] = std::move(kept);
      }
      PrintList(ctx, *page,
                {Col("ID", {"id"}), Col("REPO", {"repo", "repo_name", "repo_id"}), Col("TEST", {"test_id", "name"}),
                 StatusCol("CLASS", {"classification"}), Col("SCORE", {"score"}), Col("FAIL RATIO", {"failure_ratio"}),
                 Col("RUNS", {"runs"}), Col("FAILS", {"failures"}), Col("FLIPS", {"flips"}),
                 Col("LAST FAILING RUN", {"last_failing_run_id", "last_failing_run"})},
                f->flaky ? "no flaky tests" : "no scored tests");
    });
  }
  // sentinel incidents [--status S]
  {
    struct F : CommonClientFlags {
      std::string status, limit, cursor;
    };
    auto f = std::make_shared<F>();
    CLI::App* sub = app.add_subcommand("incidents", "list incidents (open, mitigating, resolved)");
    AddClientFlags(sub, f.get());
    sub->add_option("--status", f->status, "open, mitigating or resolved");
    sub->add_option("--limit", f->limit, "page size (default 50, max 500)");
    sub->add_option("--cursor", f->cursor, "the next page");
    sub->callback([f, exit_code, io] {
      Ctx ctx = MakeCtx("incidents", *f, io);
      auto page = CallJson(ctx, exit_code, "GET",
                           "/incidents" + Query({{"status", f->status}, {"limit", f->limit}, {"cursor", f->cursor}}),
                           {}, "/incidents");
      if (!page) return;
      PrintList(ctx, *page,
                {Col("ID", {"id"}), StatusCol("STATUS", {"status"}), StatusCol("SEVERITY", {"severity"}),
                 TimeCol("OPENED", {"opened_at"}), TimeCol("RESOLVED", {"resolved_at"}), Col("TITLE", {"title"})},
                "no incidents");
    });
  }
  // sentinel incident ID [--status S] [--note N]
  {
    struct F : CommonClientFlags {
      std::string id, status, note;
    };
    auto f = std::make_shared<F>();
    CLI::App* sub = app.add_subcommand("incident", "show an incident (timeline, impact, root cause); --status changes it");
    AddClientFlags(sub, f.get());
    sub->add_option("id", f->id, "incident id")->required();
    sub->add_option("--status", f->status, "new status: open, mitigating or resolved");
    sub->add_option("--note", f->note, "a note recorded on the incident's timeline");
    sub->callback([f, exit_code, io] {
      Ctx ctx = MakeCtx("incident", *f, io);
      if (!CheckId(ctx, "the incident id", f->id, exit_code)) return;
      if (!f->status.empty() || !f->note.empty()) {
        json body = json::object();
        if (!f->status.empty()) body["status"] = f->status;
        if (!f->note.empty()) body["note"] = f->note;
        auto changed = CallJson(ctx, exit_code, "PATCH", "/incidents/" + f->id, body.dump(), "/incidents");
        if (!changed) return;
        if (!ctx.json) ctx.out() << "incident " << f->id << " is now " << changed->value("status", "?") << "\n";
      }
      auto inc = CallJson(ctx, exit_code, "GET", "/incidents/" + f->id, {}, "/incidents");
      if (!inc) return;
      if (ctx.json) {
        ctx.out() << Dump(*inc) << "\n";
        return;
      }
      std::ostream& out = ctx.out();
      const bool c = io.color;
      const std::string status = inc->value("status", "");
      const std::string severity = CellText(inc->value("severity", json()));
      out << Paint("incident " + Id(inc->value("id", json())), "1", c) << "  " << Paint(status, StatusColor(status), c)
          << "  " << Paint(severity, StatusColor(severity), c) << "  " << inc->value("title", "") << "\n";
      out << "  opened " << ShortTime(inc->value("opened_at", json())) << "  resolved "
          << ShortTime(inc->value("resolved_at", json())) << "  cluster " << CellText(inc->value("cluster_id", json()))
          << "  repo " << CellText(inc->value("repo_id", json())) << "\n";
      if (const json impact = inc->value("impact", json()); impact.is_object()) {
        out << Paint("impact", "1", c);
        for (const auto& [k, v] : impact.items()) out << "  " << k << " " << CellText(v);
        out << "\n";
      }
      if (const json cause = inc->value("suspected_root_cause", json()); !cause.is_null()) {
        out << Paint("suspected root cause", "1", c) << "  ";
        if (cause.is_object()) {
          out << CellText(FirstOf(cause, {"summary", "text", "title", "cause", "signature", "category"}));
          if (cause.contains("confidence")) out << " (confidence " << CellText(cause["confidence"]) << ")";
        } else {
          out << CellText(cause);
        }
        out << "\n";
      }
      if (const json timeline = inc->value("timeline", json::array()); timeline.is_array() && !timeline.empty()) {
        out << Paint("timeline", "1", c) << "\n";
        std::vector<std::vector<Cell>> rows;
        for (const json& e : timeline)
          rows.push_back({{ShortTime(e.value("at", json()))},
                          {CellText(e.value("kind", json()))},
                          {CellText(e.value("run_id", json()))},
                          {CellText(e.value("message", json()))}});
        PrintTable(out, {"AT", "KIND", "RUN", "MESSAGE"}, rows, c, 100);
      }
      if (const json related = inc->value("related_runs", json::array()); related.is_array() && !related.empty()) {
        out << Paint("related runs", "1", c) << " ";
        for (const json& r : related) out << " " << (r.is_object() ? Id(r.value("id", json())) : CellText(r));
        out << "\n";
      }
    });
  }
}

}  // namespace sentinel::cli
