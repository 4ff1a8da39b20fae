#include "http/static_site.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/errors.h"

namespace sentinel::http {
namespace {

namespace fs = std::filesystem;

constexpr const char* kImmutable = "public, max-age=31536000, immutable";
constexpr const char* kRevalidate = "no-cache";

// The decoded path's segments, or false when one could escape the root or name a hidden file.
bool SafeSegments(const std::string& path, std::vector<std::string>* out) {
  if (path.empty() || path[0] != '/') return false;
  if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) return false;
  std::stringstream in(path);
  std::string seg;
  while (std::getline(in, seg, '/')) {
    if (seg.empty()) continue;
    if (seg[0] == '.') return false;  // "..", "." and dotfiles
    out->push_back(seg);
  }
  return true;
}

bool Within(const fs::path& root, const fs::path& p) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (r->empty()) continue;  // a trailing separator
    if (q == p.end() || *q != *r) return false;
  }
  return true;
}

bool ReadFile(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return false;
  *out = buf.str();
  return true;
}

std::string ETagFor(const fs::path& p, std::uintmax_t size) {
  std::error_code ec;
  const auto mtime = fs::last_write_time(p, ec);
  const auto ticks = ec ? 0 : mtime.time_since_epoch().count();
  std::ostringstream tag;
  tag << "W/\"" << std::hex << size << "-" << ticks << "\"";
  return tag.str();
}

HttpResponse TextPage(int status, const std::string& text) {
  HttpResponse res;
  res.status = status;
  res.content_type = "text/plain; charset=utf-8";
  res.body = text;
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

HttpResponse FileResponse(const HttpRequest& request, const fs::path& file, const std::string& cache_control) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return TextPage(404, "not found\n");
  const std::string etag = ETagFor(file, size);
  HttpResponse res;
  res.content_type = ContentTypeFor(file.filename().string());
  res.headers.emplace_back("Cache-Control", cache_control);
  res.headers.emplace_back("ETag", etag);
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (request.Header("if-none-match") == etag) {
    res.status = 304;
    res.content_type.clear();
    return res;
  }
  if (!ReadFile(file, &res.body)) return TextPage(500, "cannot read " + file.filename().string() + "\n");
  return res;
}

}  // namespace

std::string ContentTypeFor(const std::string& file_name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  const size_t dot = file_name.rfind('.');
  if (dot == std::string::npos) return "application/octet-stream";
  std::string ext = file_name.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [e, type] : kTypes)
    if (ext == e) return type;
  return "application/octet-stream";
}

std::string UiConfigScript(const std::string& api_base, int api_port) {
  nlohmann::json config = {{"apiBase", api_base.empty() ? nlohmann::json(nullptr) : nlohmann::json(api_base)},
                           {"apiPort", api_port}};
  // "</" cannot close a script element when the JSON is inlined somewhere.
  std::string text = config.dump();
  for (size_t i = text.find("</"); i != std::string::npos; i = text.find("</", i + 2)) text.replace(i, 2, "<\\/");
  return "window.__SENTINEL_CONFIG__ = " + text + ";\n";
}

HttpResponse ServeStatic(const StaticSiteOptions& options, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse res = ErrorResponse(405, "method_not_allowed", request.method + " is not allowed on the dashboard");
    res.headers.emplace_back("Allow", "GET, HEAD");
    return res;
  }
  std::vector<std::string> segments;
  if (!SafeSegments(request.path, &segments)) return TextPage(400, "bad path\n");

  if (!options.config_js.empty() && segments.size() == 1 && segments[0] == "config.js") {
    HttpResponse res;
    res.content_type = "text/javascript; charset=utf-8";
    res.headers.emplace_back("Cache-Control", kRevalidate);
    res.headers.emplace_back("X-Content-Type-Options", "nosniff");
    res.body = options.config_js;
    return res;
  }

  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::path(options.root), ec);
  const fs::path index = root / "index.html";
  if (ec || !fs::is_regular_file(index, ec))
    return TextPage(503,
                    "The dashboard is not built: no index.html in " + options.root +
                        ".\nBuild it with `make build` (runs npm ci and npm run build in ui/).\n");

  fs::path file = root;
  for (const std::string& s : segments) file /= s;
  if (!segments.empty()) {
    const fs::path real = fs::weakly_canonical(file, ec);
    if (ec || !Within(root, real)) return TextPage(404, "not found\n");
    if (fs::is_regular_file(real, ec)) {
      const bool hashed = segments.size() >= 2 && segments[0] == "assets";
      return FileResponse(request, real, segments.back() == "index.html" || !hashed ? kRevalidate : kImmutable);
    }
    // A missing file (a name with an extension, or under /assets/) is a 404, not the app:
    // a stale page asking for an old bundle must fail visibly, not parse HTML as JavaScript.
    if (segments[0] == "assets" || segments.back().find('.') != std::string::npos) return TextPage(404, "not found\n");
  }
  return FileResponse(request, index, kRevalidate);  // "/" and client routes
}

void AddStaticSite(Router& router, StaticSiteOptions options) {
  auto shared = std::make_shared<const StaticSiteOptions>(std::move(options));
  router.SetFallback([shared](const HttpRequest& request) { return ServeStatic(*shared, request); });
}

}  // namespace sentinel::http
