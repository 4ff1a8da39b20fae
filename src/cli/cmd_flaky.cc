// `sentinel flaky HISTORY`: offline flaky-test detection over a history of test
// outcomes (JSON lines; `-` reads stdin). Prints one JSON object per test, or,
// when any line is bad, nothing on stdout and every bad line (by number) on stderr.
#include "cli/cmd_flaky.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/config_loader.h"
#include "http/flaky_json.h"

namespace sentinel::cli {
namespace {

using nlohmann::json;

Status Bad(std::int64_t line_number, const std::string& field, const std::string& why) {
  return Fail(ErrorCode::kInvalidArgument, "line " + std::to_string(line_number) + ": " + why, field);
}

}  // namespace

Status FlakyHistory::Feed(std::string_view line, std::int64_t n) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return Ok();
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded()) return Bad(n, "line", "not valid JSON");
  if (!j.is_object()) return Bad(n, "line", "not a JSON object");
  std::string fields[3];
  const char* names[3] = {"repo", "test", "commit"};
  for (int i = 0; i < 3; ++i) {
    auto it = j.find(names[i]);
    if (it == j.end()) return Bad(n, names[i], std::string("\"") + names[i] + "\" is missing");
    if (!it->is_string()) return Bad(n, names[i], std::string("\"") + names[i] + "\" must be a string");
    fields[i] = it->get<std::string>();
  }
  if (fields[0].empty()) return Bad(n, "repo", "\"repo\" is empty");
  if (fields[1].empty()) return Bad(n, "test", "\"test\" is empty");
  std::string run;
  auto r = j.find("run");
  if (r == j.end()) return Bad(n, "run", "\"run\" is missing");
  if (r->is_string()) run = r->get<std::string>();
  else if (r->is_number_integer()) run = std::to_string(r->get<std::int64_t>());
  else return Bad(n, "run", "\"run\" must be a string or an integer");
  if (run.empty()) return Bad(n, "run", "\"run\" is empty");
  auto o = j.find("outcome");
  if (o == j.end()) return Bad(n, "outcome", "\"outcome\" is missing");
  std::optional<TestOutcome> outcome = o->is_string() ? ParseTestOutcome(o->get<std::string>()) : std::nullopt;
  if (!outcome) return Bad(n, "outcome", "\"outcome\" must be one of passed, failed, skipped, error");
  int attempt = 1;
  if (auto a = j.find("attempt"); a != j.end() && !a->is_null()) {
    if (!a->is_number_integer() || a->get<std::int64_t>() < 1 || a->get<std::int64_t>() > 1000)
      return Bad(n, "attempt", "\"attempt\" must be an integer from 1 to 1000");
    attempt = static_cast<int>(a->get<std::int64_t>());
  }
  std::string signature;
  if (auto s = j.find("signature"); s != j.end() && !s->is_null()) {
    if (!s->is_string()) return Bad(n, "signature", "\"signature\" must be a string");
    signature = s->get<std::string>();
  }
  FailureCategory category = FailureCategory::kTestFailure;
  if (auto c = j.find("category"); c != j.end() && !c->is_null()) {
    std::optional<FailureCategory> parsed =
        c->is_string() ? ParseFailureCategory(c->get<std::string>()) : std::nullopt;
    if (!parsed) return Bad(n, "category", "\"category\" is not a failure category of CONTRACT.md section 4");
    category = *parsed;
  }
  std::optional<std::int64_t> at;
  if (auto t = j.find("at"); t != j.end() && !t->is_null()) {
    if (t->is_number_integer()) at = t->get<std::int64_t>();
    else if (t->is_string()) at = ParseRfc3339(t->get<std::string>());
    if (!at) return Bad(n, "at", "\"at\" must be an RFC 3339 time or epoch milliseconds");
  }
  if (*outcome == TestOutcome::kSkipped) return Ok();  // not a run of the test

  const std::string test = flaky::NormalizeTestId("", "", fields[1]);
  std::string key = fields[0];
  key += '\0';
  key += test;
  auto [it, inserted] = index_.try_emplace(key, tests_.size());
  if (inserted) tests_.push_back({fields[0], test, flaky::TestWindow(config_.window)});
  const std::size_t id = it->second;

  std::string run_key = fields[0];
  run_key += '\0';
  run_key += run;
  if (run_key != run_key_) {
    FlushRun();
    run_key_ = std::move(run_key);
  }
  const bool failed = *outcome == TestOutcome::kFailed || *outcome == TestOutcome::kError;
  auto p = pending_index_.find(id);
  if (p == pending_index_.end()) {
    flaky::RunResult res;
    res.run = run;
    res.commit = fields[2];
    res.failed = failed;
    res.attempts = attempt;
    if (failed) {
      res.signature = signature;
      res.category = category;
    }
    res.at = at;
    pending_index_.emplace(id, pending_.size());
    pending_.push_back({id, std::move(res)});
  } else {
    flaky::FoldAttempt(pending_[p->second].result, failed, 1, signature, category);
  }
  return Ok();
}

void FlakyHistory::FlushRun() {
  int failed = 0;
  for (const Pending& p : pending_) failed += p.result.failed ? 1 : 0;
  const bool mass = flaky::IsMassFailure(failed, static_cast<int>(pending_.size()), config_);
  for (Pending& p : pending_) {
    p.result.mass_failure = mass;
    tests_[p.test].window.Add(std::move(p.result));
  }
  pending_.clear();
  pending_index_.clear();
}

std::vector<json> FlakyHistory::Finish() {
  FlushRun();
  std::vector<json> out;
  out.reserve(tests_.size());
  for (const Test& t : tests_) {
    json v = http::TestVerdictJson(flaky::ClassifyTest(t.window.Results(), config_));
    json line = {{"repo", t.repo}, {"test", t.test}};
    line.update(v);
    out.push_back(std::move(line));
  }
  return out;
}

void RegisterFlakyCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand(
      "flaky", "offline flaky-test detection over a history of test outcomes (JSON lines; - for stdin)");
  struct Flags {
    std::string history;
    CommonFlags common;
    std::vector<std::string> sets;
  };
  auto f = std::make_shared<Flags>();
  sub->add_option("history", f->history, "the history file (JSON lines in run order), or - for stdin")->required();
  sub->add_option("--config", f->common.config_path,
                  "sentinel.yml with the flaky.* thresholds (default: ./sentinel.yml when present)");
  sub->add_option("--set", f->sets, "a threshold for this run, e.g. --set flaky.window=50 (repeatable)");
  sub->callback([f, exit_code] {
    for (const std::string& kv : f->sets) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "sentinel flaky: --set " << kv << ": expected KEY=VALUE\n";
        *exit_code = 2;
        return;
      }
      f->common.values[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    auto settings = LoadSettings(f->common);
    if (!settings) {
      std::cerr << "sentinel flaky: " << settings.error().message << "\n";
      *exit_code = 2;
      return;
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (f->history != "-") {
      file.open(f->history, std::ios::binary);
      if (!file) {
        std::cerr << "sentinel flaky: cannot open " << f->history << "\n";
        *exit_code = 2;
        return;
      }
      in = &file;
    }
    std::ios::sync_with_stdio(false);
    FlakyHistory history(flaky::ConfigFromSettings(*settings));
    std::string line;
    std::int64_t n = 0, bad = 0;
    constexpr int kMaxReported = 20;
    while (std::getline(*in, line)) {
      ++n;
      if (Status st = history.Feed(line, n); !st) {
        if (++bad <= kMaxReported) std::cerr << "sentinel flaky: " << st.error().message << "\n";
      }
    }
    if (in->bad()) {
      std::cerr << "sentinel flaky: error reading " << f->history << "\n";
      *exit_code = 1;
      return;
    }
    if (bad > 0) {
      if (bad > kMaxReported) std::cerr << "sentinel flaky: ... and " << (bad - kMaxReported) << " more bad lines\n";
      std::cerr << "sentinel flaky: " << bad << " bad line(s) of " << n << "; nothing printed\n";
      *exit_code = 1;
      return;
    }
    std::string out;
    for (const json& v : history.Finish()) {
      out += v.dump(-1, ' ', false, json::error_handler_t::replace);
      out += '\n';
      if (out.size() >= (1 << 16)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  });
}

}  // namespace sentinel::cli
