#include "cli/dashboard.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "http/static_site.h"

namespace sentinel::cli {

std::string ResolveUiDir(const std::string& configured) {
  namespace fs = std::filesystem;
  if (!configured.empty()) return configured;
  std::error_code ec;
  if (fs::is_regular_file("ui/dist/index.html", ec)) return fs::absolute("ui/dist", ec).string();
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
      if (fs::is_regular_file(dir / "ui" / "dist" / "index.html", ec)) return (dir / "ui" / "dist").string();
    }
  }
  return "ui/dist";
}

Result<std::unique_ptr<Dashboard>> Dashboard::Start(const Settings& settings, int api_port) {
  std::unique_ptr<Dashboard> d(new Dashboard());
  d->dir_ = ResolveUiDir(settings.ui_dir);
  http::AddStaticSite(d->router_, {d->dir_, http::UiConfigScript(settings.ui_api_base, api_port)});
  http::ServerOptions options;
  options.bind = settings.bind;
  options.port = settings.ui_port;
  options.threads = 1;
  auto started = http::HttpServer::Start(options, &d->router_);
  if (!started) return Fail(started.error());
  d->server_ = std::move(*started);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::path(d->dir_) / "index.html", ec))
    spdlog::warn("the dashboard is not built ({} has no index.html); run `make build`", d->dir_);
  return d;
}

Dashboard::~Dashboard() { Stop(); }

int Dashboard::port() const { return server_ ? server_->port() : 0; }

void Dashboard::Stop() {
  if (server_) server_->Stop();
}

}  // namespace sentinel::cli
