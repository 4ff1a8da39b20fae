#include "testing/servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace sentinel::testing {
namespace fs = std::filesystem;

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

namespace {

pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_file) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

bool CanConnect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

std::string FindPgBin() {
  for (int v : {17, 16, 15, 14, 13}) {
    std::string dir = "/usr/lib/postgresql/" + std::to_string(v) + "/bin";
    if (fs::exists(dir + "/initdb")) return dir;
  }
  return {};
}

std::string Shell(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

int RunCommand(const std::vector<std::string>& argv, std::string* output) {
  char tmpl[] = "/tmp/sentinel-cmd-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) return -1;
  ::close(fd);
  pid_t pid = Spawn(argv, tmpl);
  int status = 0;
  int rc = -1;
  if (pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) rc = WEXITSTATUS(status);
  if (output) {
    std::ifstream in(tmpl);
    std::stringstream ss;
    ss << in.rdbuf();
    *output = ss.str();
  }
  ::unlink(tmpl);
  return rc;
}

// ---------------------------------------------------------------- PostgreSQL

std::unique_ptr<PostgresServer> PostgresServer::Start(std::string* why) {
  std::string bin = FindPgBin();
  if (bin.empty()) {
    *why = "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)";
    return nullptr;
  }
  std::unique_ptr<PostgresServer> s(new PostgresServer());
  s->bin_dir_ = bin;
  char tmpl[] = "/tmp/sentinel-pg-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    *why = "mkdtemp failed";
    return nullptr;
  }
  s->dir_ = tmpl;
  if (::geteuid() == 0) {
    passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) {
      *why = "running as root but there is no `postgres` user to run PostgreSQL as";
      return nullptr;
    }
    if (::chown(s->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      *why = "cannot chown " + s->dir_ + " to postgres";
      return nullptr;
    }
  }
  std::string out;
  std::vector<std::string> initdb = {bin + "/initdb", "-D", s->dir_ + "/data", "--auth=trust", "-U", "postgres",
                                     "--no-sync", "-E", "UTF8", "--locale=C"};
  if (::geteuid() == 0) initdb.insert(initdb.begin(), {"runuser", "-u", "postgres", "--"});
  if (RunCommand(initdb, &out) != 0) {
    *why = "initdb failed: " + out;
    return nullptr;
  }
  s->port_ = FreePort();
  if (!s->PgCtl("start")) {
    *why = "pg_ctl start failed; see " + s->dir_ + "/server.log";
    return nullptr;
  }
  return s;
}

bool PostgresServer::PgCtl(const std::string& action) {
  std::vector<std::string> cmd = {bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-w", "-t", "30"};
  if (action == "start") {
    cmd.insert(cmd.end(), {"-l", dir_ + "/server.log", "-o",
                           "-p " + std::to_string(port_) + " -k " + dir_ +
                               " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                               " -c full_page_writes=off -c max_connections=200",
                           "start"});
  } else {
    cmd.insert(cmd.end(), {"-m", "fast", "stop"});
  }
  if (::geteuid() == 0) cmd.insert(cmd.begin(), {"runuser", "-u", "postgres", "--"});
  bool ok = RunCommand(cmd) == 0;
  running_ = action == "start" ? ok : false;
  return ok;
}

PostgresServer::~PostgresServer() {
  if (running_) PgCtl("stop");
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string PostgresServer::Url(const std::string& db) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

std::string PostgresServer::CreateDatabase(const std::string& name) {
  RunCommand({bin_dir_ + "/psql", "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "postgres", "-d",
              "postgres", "-v", "ON_ERROR_STOP=1", "-c", "DROP DATABASE IF EXISTS \"" + name + "\"", "-c",
              "CREATE DATABASE \"" + name + "\""});
  return Url(name);
}

std::string UniqueTestDatabaseName(const std::string& suffix) {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "t" + std::to_string(++counter) + "_" + (info != nullptr ? info->name() : "x") + suffix;
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return name.substr(0, 60);
}

std::string PostgresServer::CreateTestDatabase() { return CreateDatabase(UniqueTestDatabaseName()); }

void PostgresServer::Stop() {
  if (running_) PgCtl("stop");
}

bool PostgresServer::Restart() { return running_ || PgCtl("start"); }

// ---------------------------------------------------------------- Redis

std::unique_ptr<RedisServer> RedisServer::Start(std::string* why) {
  if (RunCommand({"redis-server", "--version"}) != 0) {
    *why = "redis-server not found on PATH (apt-get install redis-server)";
    return nullptr;
  }
  std::unique_ptr<RedisServer> s(new RedisServer());
  s->port_ = FreePort();
  if (!s->Launch()) {
    *why = "redis-server did not start on port " + std::to_string(s->port_);
    return nullptr;
  }
  return s;
}

bool RedisServer::Launch() {
  pid_ = Spawn({"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no"},
               "/tmp/sentinel-redis-" + std::to_string(port_) + ".log");
  if (pid_ <= 0) return false;
  for (int i = 0; i < 200; ++i) {
    if (CanConnect(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

void RedisServer::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

bool RedisServer::Restart() {
  Stop();
  return Launch();
}

RedisServer::~RedisServer() {
  Stop();
  ::unlink(("/tmp/sentinel-redis-" + std::to_string(port_) + ".log").c_str());
}

std::string RedisServer::Url(int db) const {
  return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db);
}

// ---------------------------------------------------------------- shared instances

namespace {
template <class T>
T* Shared(std::string* why) {
  static std::string reason;
  static std::unique_ptr<T> server = T::Start(&reason);
  // Static destruction stops the server when the test binary exits.
  if (!server && why) *why = reason;
  return server.get();
}
}  // namespace

PostgresServer* SharedPostgres(std::string* why) { return Shared<PostgresServer>(why); }
RedisServer* SharedRedis(std::string* why) { return Shared<RedisServer>(why); }

}  // namespace sentinel::testing
