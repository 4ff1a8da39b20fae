// The fault suite's disk test: the data directory's file system fills up
// under a running Sentinel (ops_testing::System: the API, the embedded queue,
// a worker with real git and processes, in this process; the database lives
// elsewhere, as a PostgreSQL one would). The data directory is a small tmpfs
// mounted for the test (we run as root). Where mounting is not permitted, the
// test says so and falls back to a file-size limit (RLIMIT_FSIZE) on this
// process, the worker: a log then stops growing as on a full disk, but a
// checkout cannot be starved, so that part is left out (and said).
//   1. space: a run succeeds;
//   2. a step floods its log until the disk is full: the run fails as
//      disk_full, its log ends with a whole line, the server answers;
//   3. the disk full (a filler takes the rest): a run fails as disk_full at
//      its checkout;
//   4. space freed: runs succeed again.
// A second test puts the SQLite database itself on the disk that fills up, as
// `sentinel up` does by default.
// Every run ends in one final state; no step is left pending or running; no
// partial row; every log ends at a line boundary. Bounded in count and time.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ops/system.h"
#include "testing/http_client.h"
#include "testing/scratch_dir.h"

namespace sentinel {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HttpCall;

constexpr std::int64_t kDiskBytes = 4 << 20;

// A small tmpfs on `dir`, or (not permitted, or SENTINEL_DISK_FULL_NO_MOUNT set)
// RLIMIT_FSIZE on this process; undone by the destructor.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& dir) : dir_(dir) {
    fs::create_directories(dir);
    const std::string options = "size=" + std::to_string(kDiskBytes) + ",mode=0755";
    if (std::getenv("SENTINEL_DISK_FULL_NO_MOUNT") == nullptr &&
        ::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
      mounted_ = true;
      std::printf("[ disk ] data directory on a %lld KiB tmpfs (%s)\n", static_cast<long long>(kDiskBytes >> 10),
                  dir.c_str());
      return;
    }
    const std::string why = std::getenv("SENTINEL_DISK_FULL_NO_MOUNT") != nullptr ? "SENTINEL_DISK_FULL_NO_MOUNT is set"
                                                                                  : std::strerror(errno);
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit limit = saved_;
    limit.rlim_cur = static_cast<rlim_t>(kDiskBytes);
    ::setrlimit(RLIMIT_FSIZE, &limit);
    // SIGXFSZ keeps its default action here: the worker's runner must keep a write past the
    // limit from killing this process (it makes the write fail with EFBIG instead).
    std::printf("[ disk ] cannot mount a tmpfs here (%s): falling back to RLIMIT_FSIZE = %lld KiB on this process "
                "(the worker); the full-disk checkout is not exercised\n",
                why.c_str(), static_cast<long long>(kDiskBytes >> 10));
  }
  ~SmallDisk() {
    if (mounted_) {
      ::umount2(dir_.c_str(), MNT_DETACH);
    } else {
      ::setrlimit(RLIMIT_FSIZE, &saved_);
    }
  }
  bool mounted() const { return mounted_; }

  // Takes the space that is left with a file (tmpfs only); its size.
  std::int64_t Fill(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    std::string block(64 << 10, 'x');
    std::int64_t total = 0;
    for (std::size_t n = block.size(); n > 0;) {
      ssize_t w = ::write(fd, block.data(), n);
      if (w > 0) {
        total += w;
      } else if (w < 0 && errno == ENOSPC) {
        n /= 2;  // the last pages too
      } else if (w < 0 && errno != EINTR) {
        break;
      }
    }
    ::close(fd);
    return total;
  }

 private:
  std::string dir_;
  bool mounted_ = false;
  rlimit saved_{};
};

// Every file under dir/logs, and whether it ends at a line boundary (or is empty).
std::vector<std::string> LogsWithAPartialLastLine(const std::string& data) {
  std::vector<std::string> bad;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(data + "/logs", ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::FILE* f = std::fopen(it->path().c_str(), "rb");
    if (f == nullptr) continue;
    int last = '\n';
    if (std::fseek(f, -1, SEEK_END) == 0) last = std::fgetc(f);
    std::fclose(f);
    if (last != '\n') bad.push_back(it->path().string());
  }
  return bad;
}

long Count(Db& db, const std::string& sql) {
  auto r = db.Exec(sql);
  EXPECT_TRUE(r) << sql << ": " << r.error().message;
  return r && !r->rows.empty() ? static_cast<long>(r->rows[0].Int(0)) : -1;
}

TEST(DiskFullTest, RunsFailAsDiskFullTheServerStaysUpNothingIsHalfWrittenAndFreeingSpaceHeals) {
  testing::ScratchDir scratch;
  const std::string data = scratch.Sub("data");
  fs::create_directories(scratch.Sub("db"));
  SmallDisk disk(data);
  std::string why;
  auto sys = ops_testing::System::Start(&why, [&](Settings& s) {
    s.data_dir = data;
    s.database_url = "sqlite://" + scratch.Sub("db/sentinel.db");  // the store is not on the full disk
    s.max_retries = 0;
  });
  ASSERT_NE(sys, nullptr) << why;
  const int port = sys->port();
  auto healthy = [&] { return HttpCall(port, "GET", "/health").status == 200; };
  ASSERT_TRUE(sys->MakeRepo("small", "steps:\n  - name: a\n    run: echo hello\n  - name: b\n    run: echo done\n"));
  // About 20 MB of output into a 4 MiB disk.
  ASSERT_TRUE(sys->MakeRepo("loud", "steps:\n  - name: spew\n    run: seq 1 3000000\n  - name: after\n    run: echo after\n"));
  std::vector<std::int64_t> ids;
  auto run = [&](const std::string& repo) {
    const std::int64_t id = sys->Submit(repo);
    ids.push_back(id);
    return sys->WaitFinished(id, 120'000);
  };

  // 1. Space: a run succeeds.
  json ok = run("small");
  EXPECT_EQ(ok.value("status", ""), "succeeded") << ok.dump();

  // 2. A step fills the disk with its log: disk_full, a clean log, the server up.
  json loud = run("loud");
  EXPECT_EQ(loud.value("category", ""), "disk_full") << loud.dump();
  EXPECT_TRUE(loud.value("status", "") == "errored" || loud.value("status", "") == "failed") << loud.dump();
  ASSERT_TRUE(loud.contains("steps") && loud["steps"].size() == 2u) << loud.dump();
  EXPECT_EQ(loud["steps"][0].value("status", ""), "errored") << loud.dump();
  const std::string spew = loud["steps"][0].dump();
  EXPECT_TRUE(spew.find("No space left on device") != std::string::npos ||
              spew.find("File too large") != std::string::npos)
      << "the step says why its log is incomplete: " << spew;
  EXPECT_NE(loud["steps"][1].value("status", ""), "succeeded");  // nothing ran after it
  ASSERT_TRUE(loud.contains("failures") && loud["failures"].size() == 1u) << loud.dump();
  EXPECT_EQ(loud["failures"][0].value("category", ""), "disk_full");
  auto log = HttpCall(port, "GET", "/runs/" + std::to_string(ids.back()) + "/steps/0/log");
  EXPECT_EQ(log.status, 200);
  ASSERT_FALSE(log.body.empty());
  EXPECT_EQ(log.body.back(), '\n');
  EXPECT_EQ(log.body.substr(0, 8), "1\n2\n3\n4\n");
  EXPECT_TRUE(healthy());

  // 3. The disk full: a run fails as disk_full at its checkout.
  if (disk.mounted()) {
    const std::int64_t filler = disk.Fill(data + "/filler");
    std::printf("[ disk ] filler took the last %lld KiB\n", static_cast<long long>(filler >> 10));
    json starved = run("small");
    EXPECT_EQ(starved.value("category", ""), "disk_full") << starved.dump();
    EXPECT_EQ(starved.value("status", ""), "errored") << starved.dump();
    EXPECT_TRUE(healthy());
    // Nothing of the failed checkout is left behind.
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(data + "/workspaces", ec)) {
      ADD_FAILURE() << "left behind: " << entry.path();
    }
    fs::remove(data + "/filler", ec);
  }

  // 4. Space freed (the flooded log removed): runs succeed again.
  std::error_code ec;
  fs::remove_all(data + "/logs/run-" + std::to_string(ids[1]), ec);
  for (int i = 0; i < 2; ++i) {
    json healed = run("small");
    EXPECT_EQ(healed.value("status", ""), "succeeded") << healed.dump();
  }

  // Nothing lost, nothing half-written.
  Db& db = sys->db();
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM runs"), static_cast<long>(ids.size()));
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM runs WHERE status IN ('queued', 'running') OR finished_at IS NULL"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM steps WHERE status IN ('pending', 'running')"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM runs WHERE status <> 'succeeded' AND category <> 'disk_full'"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM runs WHERE attempt <> 1"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM (SELECT run_id FROM failures GROUP BY run_id, step_idx "
                      "HAVING COUNT(*) > 1) d"),
            0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM runs r WHERE r.status <> 'succeeded' AND NOT EXISTS "
                      "(SELECT 1 FROM failures f WHERE f.run_id = r.id AND f.category = 'disk_full')"),
            0);
  EXPECT_EQ(LogsWithAPartialLastLine(data), std::vector<std::string>{});
  EXPECT_TRUE(healthy());
  sys.reset();  // stops the worker before the disk goes away
}

// As `sentinel up` has it by default: the SQLite database in the data
// directory, on the disk that fills up. Writes the store cannot take answer 503
// (never 413 or 500); reads go on; whatever was accepted reaches a final state;
// once space is freed, runs are accepted and succeed again, with no restart.
TEST(DiskFullTest, TheEmbeddedStoreOnTheFullDiskAnswers503AndRecoversWhenSpaceIsFreed) {
  testing::ScratchDir scratch;
  const std::string data = scratch.Sub("data");
  SmallDisk disk(data);
  if (!disk.mounted()) GTEST_SKIP() << "needs a tmpfs to fill (mount is not permitted here)";
  std::string why;
  auto sys = ops_testing::System::Start(&why, [&](Settings& s) {
    s.data_dir = data;
    s.database_url = "sqlite://" + data + "/sentinel.db";
    s.max_retries = 0;
  });
  ASSERT_NE(sys, nullptr) << why;
  const int port = sys->port();
  ASSERT_TRUE(sys->MakeRepo("small", "steps:\n  - name: a\n    run: echo hello\n"));
  std::vector<std::int64_t> accepted;
  const std::int64_t first = sys->Submit("small");
  accepted.push_back(first);
  EXPECT_EQ(sys->WaitFinished(first).value("status", ""), "succeeded");

  const std::int64_t filler = disk.Fill(data + "/filler");
  std::printf("[ disk ] filler took the last %lld KiB under the database\n", static_cast<long long>(filler >> 10));
  std::map<int, int> answers;
  for (int i = 0; i < 5; ++i) {
    auto r = HttpCall(port, "POST", "/runs", R"({"repo": "small"})");
    answers[r.status]++;
    // SQLite may still find room in its own files for a row; else the store is unavailable.
    EXPECT_TRUE(r.status == 202 || r.status == 503) << r.status << " " << r.error << r.body;
    if (r.status == 202) accepted.push_back(json::parse(r.body).at("id").get<std::int64_t>());
    if (r.status == 503) {
      EXPECT_NE(r.body.find("\"error\""), std::string::npos) << r.body;
    }
    EXPECT_EQ(HttpCall(port, "GET", "/runs?limit=5").status, 200);  // reads go on
  }
  std::string seen;
  for (const auto& [status, n] : answers) seen += " " + std::to_string(status) + "x" + std::to_string(n);
  std::printf("[ disk ] POST /runs with the database's disk full:%s\n", seen.c_str());

  std::error_code ec;
  fs::remove(data + "/filler", ec);
  const std::int64_t healed = sys->Submit("small");
  ASSERT_GT(healed, 0);
  EXPECT_EQ(sys->WaitFinished(healed).value("status", ""), "succeeded");
  accepted.push_back(healed);
  // Every accepted run reaches one final state (the ones accepted while full may fail as disk_full
  // or, their worker unable to write, be recovered by the reconciler).
  for (std::int64_t id : accepted) {
    json r = sys->WaitFinished(id, 120'000);
    EXPECT_TRUE(r.value("status", "") == "succeeded" || r.value("category", "") == "disk_full" ||
                r.value("reason", "") == "worker_lost")
        << r.dump();
  }
  Db& db = sys->db();
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM runs"), static_cast<long>(accepted.size()));
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM runs WHERE status IN ('queued', 'running') OR finished_at IS NULL"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM steps WHERE status IN ('pending', 'running')"), 0);
  EXPECT_EQ(LogsWithAPartialLastLine(data), std::vector<std::string>{});
  sys.reset();
}

}  // namespace
}  // namespace sentinel
