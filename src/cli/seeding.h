#pragma once
// Seeding from the command line and from `sentinel up`: wires the store and git
// adapters to app/seed.h and reports what it did.

#include <ostream>
#include <string>

#include "core/base/result.h"
#include "ports/db.h"

namespace sentinel::cli {

// Where the sample projects are: the flag, else $SENTINEL_SAMPLE_REPOS, else ./sample_repos,
// else sample_repos beside or above the running binary. "" when none exists.
std::string ResolveSamplesDir(const std::string& flag);

// Registers the sample repos under data_dir/repos and, with history, queues the demo history.
// The schema must be migrated. Prints one line per effect on out.
[[nodiscard]] Status SeedAll(Db& db, const std::string& data_dir, const std::string& samples_dir, bool history,
                             std::ostream& out);

}  // namespace sentinel::cli
