// The fault suite's input test: more than 10,000 malformed, oversized,
// truncated and hostile requests against the API as `sentinel api` composes it
// (ApiRuntime over SQLite) — bad JSON, wrong types, huge numbers, deep nesting,
// invalid UTF-8, traversal in every path and body field that names a file or a
// URL, garbage on the wire, header floods, slow and stalled clients — and then:
// no 5xx, the server still answers, no partial row (every stored repo and run is
// whole and came from a request that was answered 201/202), and nothing outside
// the data directory was read (a planted secret never appears) or written.
// Deterministic (fixed seed); bounded in count and time.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/api_runtime.h"
#include "testing/http_client.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::http {
namespace {

using nlohmann::json;
using sentinel::testing::ClientResponse;
using sentinel::testing::HttpCall;
using sentinel::testing::HttpConnection;
namespace fs = std::filesystem;

constexpr const char* kSecret = "TOPSECRET-7f3a9";

std::set<std::string> FilesUnder(const fs::path& root, const fs::path& skip) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (it->path() == skip) {
      it.disable_recursion_pending();
      continue;
    }
    out.insert(it->path().string());
  }
  return out;
}

class Hostile {
 public:
  explicit Hostile(int port) : port_(port), rng_(20261205) {}

  // One request on the kept-alive connection (reconnecting when the server closed it).
  void Send(const std::string& method, const std::string& target, const std::string& body = "",
            const std::string& headers = "") {
    if (!conn_ || !conn_->connected()) conn_ = std::make_unique<HttpConnection>(port_);
    ClientResponse r = conn_->Send(method, target, body, headers);
    Record(r, method + " " + target);
    if (r.status == 0 || r.headers["connection"] == "close") conn_.reset();
  }
  // Raw bytes on a fresh connection; the server may answer 4xx or just close.
  void Raw(const std::string& bytes) {
    HttpConnection c(port_);
    ClientResponse r = c.Raw(bytes);
    Record(r, "raw " + bytes.substr(0, 40));
  }

  std::string Junk(size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng_() & 0xff);
    return s;
  }
  size_t Pick(size_t n) { return rng_() % n; }

  int sent = 0, answered = 0, server_errors = 0;
  int created_repos = 0, created_runs = 0;
  std::vector<std::string> bodies_with_secret, five_xx;

 private:
  void Record(const ClientResponse& r, const std::string& what) {
    ++sent;
    if (r.status != 0) ++answered;
    if (r.status >= 500) {
      ++server_errors;
      if (five_xx.size() < 5) five_xx.push_back(what + " -> " + std::to_string(r.status) + " " + r.body.substr(0, 200));
    }
    if (r.status == 201 && what == "POST /repos") ++created_repos;
    if (r.status == 202 && what == "POST /runs") ++created_runs;
    if (r.body.find(kSecret) != std::string::npos) bodies_with_secret.push_back(what);
  }
  int port_;
  std::mt19937 rng_;
  std::unique_ptr<HttpConnection> conn_;
};

TEST(HostileInputTest, TenThousandBadRequestsGetNo5xxLeaveNoPartialRowAndStayInsideTheDataDir) {
  sentinel::testing::ScratchDir dir;
  const fs::path root = dir.path();
  const fs::path data = root / "data";
  fs::create_directories(data);
  {
    std::ofstream(root / "secret.txt") << kSecret << "\n";
    fs::create_directories(root / "outside");
    std::ofstream(root / "outside" / "0.log") << kSecret << "\n";
  }
  Settings settings;
  settings.database_url = "sqlite://" + (data / "sentinel.db").string();
  settings.data_dir = data.string();
  settings.api_port = sentinel::testing::FreePort();
  auto api = cli::ApiRuntime::Start(settings);
  ASSERT_TRUE(api.has_value()) << api.error().message;
  const int port = (*api)->port();
  const std::set<std::string> outside_before = FilesUnder(root, data);

  Hostile h(port);
  // A few whole repositories and runs, so the hostile requests have something to aim at.
  h.Send("POST", "/repos", R"({"name": "good", "url": "/srv/good"})");
  ASSERT_EQ(h.created_repos, 1);
  h.Send("POST", "/runs", R"({"repo": "good"})");
  ASSERT_EQ(h.created_runs, 1);

  const std::vector<std::string> hostile_strings = {
      "../../secret.txt", "..%2f..%2fsecret.txt", "/etc/passwd", "file:///etc/shadow", "ext::sh -c touch% /tmp/x",
      "--upload-pack=touch /tmp/pwned", "-oProxyCommand=x", "\xff\xfe\xfd", "\xc3\x28", "a\x00" "b",
      std::string(5000, 'A'), "..", ".", "", " ", "\t", "%00", "\xed\xa0\x80", "😀", "\\\\server\\share",
      (root / "outside").string(), "../outside/0.log", "http://127.0.0.1:1/x.git", "ssh://evil/x"};
  const std::vector<std::string> hostile_values = {
      "null", "true", "1", "-1", "0", "1e999999", "-1e999999", "123456789012345678901234567890",
      "9223372036854775808", "-9223372036854775809", "1.5", "[]", "{}", "[1,2,3]", R"({"a":1})", "\"\"",
      std::string(100000, '[') + std::string(100000, ']'), std::string(50000, '{') , "NaN", "Infinity",
      "\"\\ud800\"", "\"\\u0000\"", "\"\\uZZZZ\""};
  auto quoted = [](const std::string& s) { return json(s).dump(-1, ' ', false, json::error_handler_t::replace); };

  // 1. Bodies: bad JSON, wrong types, huge numbers, deep nesting, invalid UTF-8, traversal in url/name/ref.
  for (int i = 0; i < 2400; ++i) {
    std::string body;
    switch (i % 8) {
      case 0: body = h.Junk(1 + h.Pick(300)); break;
      case 1: body = std::string(R"({"name": "x", "url": "/srv/x")").substr(0, h.Pick(28)); break;  // truncated
      case 2: body = R"({"name": )" + hostile_values[h.Pick(hostile_values.size())] + R"(, "url": "/x"})"; break;
      case 3: body = R"({"name": "n)" + std::to_string(i) + R"(", "url": )" +
                     hostile_values[h.Pick(hostile_values.size())] + "}"; break;
      case 4: body = R"({"name": )" + quoted(hostile_strings[h.Pick(hostile_strings.size())]) + R"(, "url": "/x"})"; break;
      case 5: body = R"({"name": "h)" + std::to_string(i) + R"(", "url": )" +
                     quoted(hostile_strings[h.Pick(hostile_strings.size())]) + "}"; break;
      case 6: body = hostile_values[h.Pick(hostile_values.size())]; break;
      case 7: body = R"({"name": "raw)" + std::to_string(i) + R"(", "url": "/x)" + h.Junk(8) + R"("})"; break;
    }
    h.Send("POST", "/repos", body);
  }
  for (int i = 0; i < 2400; ++i) {
    std::string body;
    switch (i % 6) {
      case 0: body = h.Junk(1 + h.Pick(200)); break;
      case 1: body = R"({"repo": )" + hostile_values[h.Pick(hostile_values.size())] + "}"; break;
      case 2: body = R"({"repo": )" + quoted(hostile_strings[h.Pick(hostile_strings.size())]) + "}"; break;
      case 3: body = R"({"repo": "good", "ref": )" + quoted(hostile_strings[h.Pick(hostile_strings.size())]) + "}"; break;
      case 4: body = R"({"repo": "good", "scenario": )" + hostile_values[h.Pick(hostile_values.size())] + "}"; break;
      case 5: body = R"({"repo": 1, "ref": )" + hostile_values[h.Pick(hostile_values.size())] + "}"; break;
    }
    h.Send("POST", "/runs", body);
  }
  // 2. Paths and queries: traversal into the log endpoint, bad ids, bad escapes, hostile filters.
  const std::vector<std::string> segments = {
      "1", "0", "-1", "99999999999999999999", "..", "..%2f..%2fsecret.txt", "%2e%2e", "%zz", "%", "%00",
      "1%2f..%2f..%2f..%2fsecret.txt", "abc", "1.0", "%ff%fe", "..%5c..%5csecret.txt", "0x1", " 1", "1 "};
  for (int i = 0; i < 2400; ++i) {
    const std::string& a = segments[h.Pick(segments.size())];
    const std::string& b = segments[h.Pick(segments.size())];
    switch (i % 8) {
      case 0: h.Send("GET", "/runs/" + a + "/steps/" + b + "/log"); break;
      case 1: h.Send("GET", "/runs/1/steps/0/log?offset=" + b); break;
      case 2: h.Send("GET", "/runs/" + a); break;
      case 3: h.Send("GET", "/repos/" + a); break;
      case 4: h.Send("GET", "/runs?limit=" + a + "&status=" + b + "&since=" + a + "&repo=" + b); break;
      case 5: h.Send("GET", "/runs?cursor=" + a + b + "&limit=" + b); break;
      case 6: h.Send("POST", "/runs/" + a + "/cancel", h.Junk(h.Pick(50))); break;
      case 7: h.Send("GET", "/../../" + a + "/" + b); break;
    }
  }
  // 3. Methods, headers and sizes.
  const std::vector<std::string> methods = {"PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "FOO"};
  for (int i = 0; i < 1600; ++i) {
    switch (i % 4) {
      case 0: h.Send(methods[h.Pick(methods.size())], "/runs"); break;
      case 1: h.Send("POST", "/repos", "{}", "Content-Type: text/x" + std::to_string(i) + "\r\n"); break;
      case 2: h.Send("GET", "/health", "", "X-Junk: " + std::string(1000 + h.Pick(2000), 'x') + "\r\n"); break;
      case 3: h.Send("POST", "/repos", R"({"name":"big","url":")" + std::string(2100 + h.Pick(3000), 'u') + R"("})"); break;
    }
  }
  // 4. The wire: garbage, bad request lines, header floods, conflicting lengths, bad chunks, truncation.
  std::string flood = "GET /health HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5000; ++i) flood += "X-H" + std::to_string(i) + ": v\r\n";
  flood += "\r\n";
  const std::vector<std::string> wire = {
      "GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "POST /repos HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}",
      "POST /repos HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
      "POST /repos HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
      "POST /repos HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n{",
      "POST /repos HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n{",
      "GET /h\x00ealth HTTP/1.1\r\n\r\n", "GET /health HTTP/1.1\r\nBad Header\r\n\r\n",
      "GET /health HTTP/1.1\r\n: novalue\r\n\r\n", std::string(70000, 'G'), flood,
      "GET /health HTTP/1.1\r\nHost: " + std::string(80000, 'h') + "\r\n\r\n"};
  for (int i = 0; i < 1200; ++i) {
    if (i % 3 == 0) {
      h.Raw(h.Junk(1 + h.Pick(500)) + "\r\n\r\n");
    } else {
      h.Raw(wire[h.Pick(wire.size())]);
    }
  }
  // 5. Slow and stalled clients: a byte at a time still gets its answer; stalled ones hold
  //    no thread (the requests above and below are served while they hang).
  std::vector<int> stalled;
  for (int i = 0; i < 40; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      const std::string part = "POST /repos HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"na";
      (void)!::send(fd, part.data(), part.size(), MSG_NOSIGNAL);
      stalled.push_back(fd);
    } else {
      ::close(fd);
    }
  }
  for (int i = 0; i < 5; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string req = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (char c : req) {
      (void)!::send(fd, &c, 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::string got;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<size_t>(n));
    ::close(fd);
    EXPECT_EQ(got.rfind("HTTP/1.1 200", 0), 0u) << got.substr(0, 100);
  }
  EXPECT_EQ(HttpCall(port, "GET", "/health").status, 200) << "stalled clients must not hold the server";
  for (int fd : stalled) ::close(fd);

  std::printf("[ hostile ] %d requests, %d answered, %d 5xx, %d repos and %d runs created\n", h.sent, h.answered,
              h.server_errors, h.created_repos, h.created_runs);
  EXPECT_GE(h.sent, 10000);
  EXPECT_EQ(h.server_errors, 0) << ::testing::PrintToString(h.five_xx);
  EXPECT_TRUE(h.bodies_with_secret.empty()) << ::testing::PrintToString(h.bodies_with_secret);

  // Still serving, and every stored row is whole and was acknowledged.
  ASSERT_EQ(HttpCall(port, "GET", "/health").status, 200);
  Db& db = (*api)->db();
  auto count = [&](const std::string& sql) -> int {
    auto r = db.Exec(sql);
    EXPECT_TRUE(r.has_value()) << sql;
    return r ? static_cast<int>(r->rows.at(0).Int(0)) : -1;
  };
  EXPECT_EQ(count("SELECT COUNT(*) FROM repos"), h.created_repos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM repos WHERE name = '' OR url = ''"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs"), h.created_runs);
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs r LEFT JOIN repos p ON p.id = r.repo_id WHERE p.id IS NULL"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs WHERE status NOT IN ('queued', 'cancelled')"), 0);
  // Nothing outside the data directory appeared.
  EXPECT_EQ(FilesUnder(root, data), outside_before);
  EXPECT_FALSE(fs::exists("/tmp/pwned"));
  (*api)->Stop();
}

}  // namespace
}  // namespace sentinel::http
