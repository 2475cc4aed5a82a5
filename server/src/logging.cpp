#include "fimlsp/server/logging.hpp"
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace fimlsp::server {
namespace {

LogLevel g_level = LogLevel::Info;
std::FILE* g_file = nullptr;
std::mutex g_mutex; // the stdin reader thread logs framing errors too

const char* level_name(LogLevel l) {
  switch (l) {
  case LogLevel::Error:
    return "E";
  case LogLevel::Warn:
    return "W";
  case LogLevel::Info:
    return "I";
  case LogLevel::Debug:
    return "D";
  }
  return "?";
}

} // namespace

std::optional<LogLevel> parse_log_level(std::string_view s) {
  if (s == "error") return LogLevel::Error;
  if (s == "warn" || s == "warning") return LogLevel::Warn;
  if (s == "info") return LogLevel::Info;
  if (s == "debug") return LogLevel::Debug;
  return std::nullopt;
}

void set_log_level(LogLevel level) {
  g_level = level;
}
LogLevel log_level() {
  return g_level;
}

bool set_log_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return false;
  std::lock_guard lock(g_mutex);
  if (g_file) std::fclose(g_file);
  g_file = f;
  return true;
}

void log_line(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&t, &tm);
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms));
  std::lock_guard lock(g_mutex);
  for (std::FILE* f : {stderr, g_file}) {
    if (!f) continue;
    std::fprintf(f, "%s %s fim-lsp: %.*s\n", level_name(level), stamp, static_cast<int>(message.size()),
                 message.data());
    std::fflush(f);
  }
}

} // namespace fimlsp::server
