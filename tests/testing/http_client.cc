#include "testing/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace sentinel::testing {

HttpConnection::HttpConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  timeval tv{10, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) ::close(fd_);
}

ClientResponse HttpConnection::Send(const std::string& method, const std::string& target, const std::string& body,
                                    const std::string& extra_headers) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT")
    req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  return Raw(req);
}

ClientResponse HttpConnection::Raw(const std::string& bytes) {
  head_request_ = bytes.rfind("HEAD ", 0) == 0;  // its answer has a Content-Length but no body
  ClientResponse failed;
  if (fd_ < 0) {
    failed.error = "not connected";
    return failed;
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and stop reading: still read what it said
    sent += static_cast<size_t>(n);
  }
  return ReadResponse();
}

bool HttpConnection::ClosedByPeer() {
  if (fd_ < 0) return true;
  char c;
  const ssize_t n = ::recv(fd_, &c, 1, 0);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

ClientResponse HttpConnection::ReadResponse() {
  ClientResponse res;
  std::string& buf = pending_;
  auto fill = [&]() -> bool {
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t header_end;
  while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      res.error = "connection closed before a full response header (" + std::string(std::strerror(errno)) + ")";
      return res;
    }
  }
  const std::string head = buf.substr(0, header_end);
  buf.erase(0, header_end + 4);
  size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) {
    res.error = "bad status line: " + status_line;
    return res;
  }
  const int status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    const std::string line = head.substr(pos, end - pos);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      res.headers[name] = line.substr(v);
    }
    pos = end + 2;
  }
  if (status == 100) return ReadResponse();  // 100 Continue: the real answer follows
  size_t length = 0;
  if (auto it = res.headers.find("content-length"); it != res.headers.end() && !head_request_)
    length = std::stoul(it->second);
  while (buf.size() < length) {
    if (!fill()) {
      res.error = "connection closed inside the body";
      return res;
    }
  }
  res.body = buf.substr(0, length);
  buf.erase(0, length);
  res.status = status;
  return res;
}

ClientResponse HttpCall(int port, const std::string& method, const std::string& target, const std::string& body,
                        const std::string& extra_headers) {
  HttpConnection conn(port);
  if (!conn.connected()) {
    ClientResponse r;
    r.error = "cannot connect to port " + std::to_string(port);
    return r;
  }
  return conn.Send(method, target, body, extra_headers);
}

}  // namespace sentinel::testing
