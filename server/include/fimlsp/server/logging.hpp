#pragma once
// Logs go to stderr and, with --log-file, to a file. Never to stdout: stdout carries LSP only.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::server {

enum class LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 };

std::optional<LogLevel> parse_log_level(std::string_view s);
void set_log_level(LogLevel level);
LogLevel log_level();
// Also write to `path` (appending). Returns false when it cannot be opened.
bool set_log_file(const std::string& path);
void log_line(LogLevel level, std::string_view message);

inline bool log_enabled(LogLevel level) {
  return static_cast<int>(level) <= static_cast<int>(log_level());
}

} // namespace fimlsp::server
