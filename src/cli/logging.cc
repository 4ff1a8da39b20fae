#include "cli/logging.h"

#include <unistd.h>

#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>
#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

namespace sentinel::cli {
namespace {

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const EpochMs at =
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line = JsonLogLine(at, std::string_view(level.data(), level.size()),
                                         std::string_view(msg.payload.data(), msg.payload.size()),
                                         app::CurrentLogFields());
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

std::string ResolveLogFormat(const std::string& format, bool stdout_is_tty) {
  if (format == "auto") return stdout_is_tty ? "text" : "json";
  return format;
}

std::string JsonLogLine(EpochMs at, std::string_view level, std::string_view message, const app::LogFields& fields) {
  nlohmann::ordered_json j;
  j["ts"] = FormatRfc3339(at);
  j["level"] = std::string(level);
  j["msg"] = std::string(message);
  if (fields.run_id != 0) j["run_id"] = fields.run_id;
  if (fields.attempt != 0) j["attempt"] = fields.attempt;
  if (!fields.worker.empty()) j["worker"] = fields.worker;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::unique_ptr<spdlog::formatter> MakeJsonFormatter() { return std::make_unique<JsonFormatter>(); }

void ConfigureLogging(const std::string& format) {
  if (ResolveLogFormat(format, ::isatty(STDOUT_FILENO) == 1) == "json") spdlog::set_formatter(MakeJsonFormatter());
}

}  // namespace sentinel::cli
