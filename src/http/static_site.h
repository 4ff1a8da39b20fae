#pragma once
// The dashboard's static files (the built ui/dist) served over HTTP: the file
// for a path, with its content type and caching headers (hashed files under
// /assets/ are immutable, everything else is revalidated); index.html for a
// client route (a path without a file extension), so a shared link like
// /runs/42 loads the app; /config.js generated from the settings (where the
// UI finds the API). Only GET and HEAD. Paths are resolved inside the root:
// "..", hidden names, NUL bytes and symlinks that leave the root are refused.
// Reads files on each request (a few small files; the kernel caches them).
// Thread-safe: the handler holds only immutable options.

#include <string>

#include "http/message.h"
#include "http/router.h"

namespace sentinel::http {

struct StaticSiteOptions {
  std::string root;       // the folder holding index.html (ui/dist)
  std::string config_js;  // the body of /config.js; empty: served from the root like any file
};

// The answer for one request; never throws.
HttpResponse ServeStatic(const StaticSiteOptions& options, const HttpRequest& request);

// The content type for a file name, by extension ("application/octet-stream" when unknown).
std::string ContentTypeFor(const std::string& file_name);

// The body of /config.js: `window.__SENTINEL_CONFIG__ = {"apiBase": ..., "apiPort": ...};`.
// An empty api_base means "same host as the page, port api_port".
std::string UiConfigScript(const std::string& api_base, int api_port);

// Makes `router` serve the site for every path no route claims.
void AddStaticSite(Router& router, StaticSiteOptions options);

}  // namespace sentinel::http
