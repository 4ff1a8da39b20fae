#pragma once
// The common flags of every server subcommand (api, worker, up, ...) and the
// loading of Settings from them, the SENTINEL_* environment and the config
// file (--config PATH, else ./sentinel.yml when present). Not thread-safe:
// call from main before starting threads.

#include <string>

#include <CLI/CLI.hpp>

#include "core/base/result.h"
#include "core/config/settings.h"

namespace sentinel::cli {

struct CommonFlags {
  std::string config_path;  // --config; "" = ./sentinel.yml when present
  SettingMap values;        // the setting flags given, keyed by setting key
};

// Adds --config, --database-url, --queue-url, --data-dir, --api-port,
// --ui-port, --bind, --workers to `sub`; `flags` must outlive parsing.
void AddCommonFlags(CLI::App* sub, CommonFlags* flags);

// Resolves the settings (flags > env > file > defaults). kInvalidArgument
// naming the key (or "config" for an unreadable --config file).
[[nodiscard]] Result<Settings> LoadSettings(const CommonFlags& flags);

// The same with an explicit environment (tests).
[[nodiscard]] Result<Settings> LoadSettingsWithEnv(const CommonFlags& flags, const SettingMap& env);

// The SENTINEL_* variables of this process.
SettingMap SentinelEnvironment();

}  // namespace sentinel::cli
