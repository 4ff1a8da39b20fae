#pragma once
// Use cases for runs: submit (queue a run of a repository), list with
// filters, get the detail. Thin over RepoStore/RunStore; requests carry the
// raw client values so that validation (and the field named in an error) is
// the same whatever the transport. Thread-safe as the stores are.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "core/base/result.h"
#include "ports/clock.h"
#include "ports/repo_store.h"
#include "ports/run_store.h"

namespace sentinel::app {

// The demo scenarios of CONTRACT.md section 1, the only accepted `scenario` values.
bool IsScenario(const std::string& name);

struct SubmitRunRequest {
  std::variant<std::int64_t, std::string> repo;  // id, or name
  std::string ref;       // branch or commit; "" = the default branch
  std::string scenario;  // "" or one of the demo scenarios
};

// Called once the queued run is stored, to hand it to the queue. May be empty.
using RunDispatcher = std::function<Status(const Run&)>;

// Creates a queued run, then hands it to `dispatch`. kInvalidArgument (field
// "repo", "ref" or "scenario") on a malformed value; kNotFound (field "repo")
// for a well-formed reference to no repository; nothing is written on error.
// A failing `dispatch` does not fail the submission: the run is durably
// queued in the store (the source of truth) and the reconciler re-enqueues
// queued runs the queue does not hold (ports/job_queue.h); the dispatcher
// reports its own failure (the CLI's logs it).
[[nodiscard]] Result<Run> SubmitRun(RepoStore& repos, RunStore& runs, const Clock& clock,
                                    const SubmitRunRequest& request, const RunDispatcher& dispatch = {});

// Filters as the client gave them: repo is an id or a name, status a run
// status name, since an RFC 3339 time.
struct ListRunsRequest {
  std::optional<std::string> repo;
  std::optional<std::string> status;
  std::optional<std::string> since;
  ListQuery page;
};

// Newest first. kInvalidArgument naming the field for a bad filter or limit;
// an unknown repository gives kNotFound (field "repo").
[[nodiscard]] Result<Page<Run>> ListRuns(RepoStore& repos, RunStore& runs, const ListRunsRequest& request);

// kNotFound (field "id") when absent.
[[nodiscard]] Result<RunDetail> GetRun(RunStore& runs, std::int64_t id);

// Parses a positive decimal id; kInvalidArgument naming `field` otherwise.
[[nodiscard]] Result<std::int64_t> ParseId(const std::string& text, const std::string& field);

}  // namespace sentinel::app
