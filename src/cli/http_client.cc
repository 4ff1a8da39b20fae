#include "cli/http_client.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace sentinel::cli {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool WaitFor(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, timeout_ms) == 1;
}

}  // namespace

Result<HttpResponse> HttpRequest(const std::string& base_url, const std::string& method, const std::string& path,
                                 const std::string& json_body, int timeout_ms, const std::string& extra_headers) {
  const std::string prefix = "http://";
  if (base_url.rfind(prefix, 0) != 0)
    return Fail(ErrorCode::kInvalidArgument, "API URL must start with http://: " + base_url, "api");
  std::string hostport = base_url.substr(prefix.size());
  while (!hostport.empty() && hostport.back() == '/') hostport.pop_back();
  const auto colon = hostport.rfind(':');
  const std::string host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return Fail(ErrorCode::kUnavailable, "cannot resolve " + host + ": " + ::gai_strerror(rc));
  Fd sock;
  int last_errno = 0;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      sock.fd = fd;
      break;
    }
    last_errno = errno;
    ::close(fd);
  }
  ::freeaddrinfo(res);
  if (sock.fd < 0)
    return Fail(ErrorCode::kUnavailable, "cannot connect to " + base_url + ": " + std::strerror(last_errno));

  std::string request = method + " " + path + " HTTP/1.1\r\nHost: " + hostport +
                        "\r\nConnection: close\r\nAccept: application/json\r\n" + extra_headers;
  if (!json_body.empty() || method == "POST" || method == "PATCH")
    request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(json_body.size()) + "\r\n";
  request += "\r\n" + json_body;
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(sock.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return Fail(ErrorCode::kUnavailable, "sending to " + base_url + " failed");
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[16384];
  for (;;) {
    if (!WaitFor(sock.fd, POLLIN, timeout_ms))
      return Fail(ErrorCode::kUnavailable, "no answer from " + base_url + " within " + std::to_string(timeout_ms) + " ms");
    ssize_t n = ::recv(sock.fd, buf, sizeof buf, 0);
    if (n < 0) return Fail(ErrorCode::kUnavailable, "reading from " + base_url + " failed");
    if (n == 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  const auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos || raw.size() < 12)
    return Fail(ErrorCode::kUnavailable, "malformed HTTP answer from " + base_url);
  HttpResponse out;
  out.status = std::atoi(raw.c_str() + 9);
  out.body = raw.substr(head_end + 4);
  for (size_t pos = raw.find("\r\n"); pos != std::string::npos && pos < head_end;) {
    const size_t start = pos + 2;
    size_t end = raw.find("\r\n", start);
    if (end == std::string::npos || end > head_end) end = head_end;
    const std::string line = raw.substr(start, end - start);
    if (const size_t colon = line.find(':'); colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      out.headers[name] = line.substr(v);
    }
    pos = end == head_end ? std::string::npos : end;
  }
  return out;
}

Result<HttpResponse> HttpRequestUrl(const std::string& method, const std::string& url, const std::string& body,
                                    int timeout_ms, const std::string& extra_headers) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0)
    return Fail(ErrorCode::kInvalidArgument, "URL must start with http://: " + url, "url");
  const size_t slash = url.find('/', prefix.size());
  const std::string base = slash == std::string::npos ? url : url.substr(0, slash);
  const std::string path = slash == std::string::npos ? "/" : url.substr(slash);
  return HttpRequest(base, method, path, body, timeout_ms, extra_headers);
}

}  // namespace sentinel::cli
