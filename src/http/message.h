#pragma once
// The protocol-agnostic request and response that handlers see. No Beast
// here: only server.cc converts to and from the wire. Values; not shared.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sentinel::http {

struct HttpRequest {
  std::string method;                             // "GET", "POST", ...
  std::string path;                               // decoded path, without the query
  std::map<std::string, std::string> query;       // decoded; the first of repeated keys wins
  std::map<std::string, std::string> params;      // {name} segments of the matched route
  std::map<std::string, std::string> headers;     // names lower-cased
  std::string body;

  // The header's value, or "" when absent (name lower-case).
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// Splits "/a/b?x=1&y=%20" into a percent-decoded path and query map.
// Returns false on a malformed percent escape.
bool ParseTarget(const std::string& target, std::string* path, std::map<std::string, std::string>* query);

}  // namespace sentinel::http
