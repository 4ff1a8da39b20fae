#include "cli/config_loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace sentinel::cli {

void AddCommonFlags(CLI::App* sub, CommonFlags* flags) {
  sub->add_option("--config", flags->config_path, "configuration file (default: ./sentinel.yml if present)");
  struct Flag {
    const char* name;
    const char* key;
    const char* help;
  };
  static const Flag kFlags[] = {
      {"--database-url", "database_url", "store: sqlite://PATH or postgresql://user:pass@host:port/db"},
      {"--queue-url", "queue_url", "queue: embedded or redis://host:port/db"},
      {"--data-dir", "data_dir", "folder for logs, artifacts, workspaces"},
      {"--api-port", "api_port", "API port (default 8000)"},
      {"--ui-port", "ui_port", "UI port (default 3000)"},
      {"--bind", "bind", "bind address (default 127.0.0.1)"},
      {"--workers", "workers", "in-process workers (default 2)"},
      {"--log-format", "log.format", "logs: text, json (one JSON object per line) or auto (text on a terminal)"},
  };
  for (const Flag& f : kFlags) {
    std::string key = f.key;
    // Kept as text: ResolveSettings validates every value and names the key.
    sub->add_option_function<std::string>(
        f.name, [flags, key](const std::string& value) { flags->values[key] = value; }, f.help);
  }
}

SettingMap SentinelEnvironment() {
  SettingMap env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (!entry.starts_with("SENTINEL_")) continue;
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

Result<Settings> LoadSettingsWithEnv(const CommonFlags& flags, const SettingMap& env) {
  std::string path = flags.config_path;
  const bool explicit_path = !path.empty();
  if (!explicit_path) path = "sentinel.yml";
  std::optional<std::string> text;
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in.good() && !in.eof())
      return Fail(ErrorCode::kInvalidArgument, "cannot read the config file " + path, "config");
    text = buf.str();
  } else if (explicit_path) {
    return Fail(ErrorCode::kInvalidArgument, "the config file " + path + " does not exist", "config");
  }
  auto settings = ResolveSettings(flags.values, env, text);
  if (!settings && text && path != "sentinel.yml") {
    // Name the file actually read in place of the default name.
    std::string& msg = settings.error().message;
    for (size_t at = msg.find("sentinel.yml"); at != std::string::npos; at = msg.find("sentinel.yml", at + path.size()))
      msg.replace(at, 12, path);
  }
  return settings;
}

Result<Settings> LoadSettings(const CommonFlags& flags) { return LoadSettingsWithEnv(flags, SentinelEnvironment()); }

}  // namespace sentinel::cli
