#pragma once
// A tiny blocking HTTP/1.1 client over a raw loopback socket, for tests that
// drive the API server in-process. Reads responses by Content-Length, so one
// connection can carry several requests (keep-alive). Every socket operation
// times out (10 s). Not thread-safe: one connection per thread.

#include <map>
#include <string>

namespace sentinel::testing {

struct ClientResponse {
  int status = 0;                              // 0 when the exchange failed
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string error;  // why status is 0
};

class HttpConnection {
 public:
  explicit HttpConnection(int port);  // connects to 127.0.0.1:port
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends one request (Content-Length set from body; extra_headers are "Name: value\r\n" lines) and reads the answer.
  ClientResponse Send(const std::string& method, const std::string& target, const std::string& body = "",
                      const std::string& extra_headers = "");
  // Sends raw bytes, then reads one response.
  ClientResponse Raw(const std::string& bytes);
  // True when the server has closed the connection (a read returns EOF).
  bool ClosedByPeer();

 private:
  ClientResponse ReadResponse();
  int fd_ = -1;
  std::string pending_;  // bytes read past the previous response
  bool head_request_ = false;  // the request being answered is a HEAD
};

// One request on a fresh connection.
ClientResponse HttpCall(int port, const std::string& method, const std::string& target, const std::string& body = "",
                        const std::string& extra_headers = "");

}  // namespace sentinel::testing
