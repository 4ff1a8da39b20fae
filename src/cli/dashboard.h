#pragma once
// The dashboard server: the built UI (ui/dist) as static files on ui_port, with /config.js
// telling the page where the API is (ui.api_base, else the page's host on the API's port).
// `sentinel up` always serves it (unless --no-ui); `sentinel api` serves it when ui.dir is set
// (the Compose stack's api container: SENTINEL_UI_DIR=/usr/share/sentinel/ui).
#include <memory>
#include <string>

#include "core/base/result.h"
#include "core/config/settings.h"
#include "http/router.h"
#include "http/server.h"

namespace sentinel::cli {

// The built dashboard: `configured` when set, else ui/dist in the working directory or in a
// folder above the binary (build/sentinel and build-asan/src/cli/sentinel sit in the checkout),
// else "ui/dist" (not built: the UI port answers with how to build it).
std::string ResolveUiDir(const std::string& configured);

class Dashboard {
 public:
  // Serves the dashboard on settings.bind:settings.ui_port (1 thread). kUnavailable when the
  // port cannot be bound. Logs a warning when the folder holds no index.html.
  [[nodiscard]] static Result<std::unique_ptr<Dashboard>> Start(const Settings& settings, int api_port);
  ~Dashboard();
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;

  int port() const;
  const std::string& dir() const { return dir_; }
  void Stop();  // idempotent

 private:
  Dashboard() = default;
  std::string dir_;
  http::Router router_;  // outlives server_ (declared before it)
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace sentinel::cli
