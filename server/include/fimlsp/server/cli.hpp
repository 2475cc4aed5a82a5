#pragma once
// Command line: the server (`fim-lsp [--stdio] ...`), `fim-lsp complete FILE:LINE:COL` and
// `fim-lsp doctor`.
#include "fimlsp/fim/settings.hpp"
#include "fimlsp/server/complete_command.hpp"
#include "fimlsp/server/logging.hpp"
#include <optional>
#include <string>
#include <vector>

namespace fimlsp::server {

struct CliOptions {
  enum class Mode { Server, Complete, Doctor, Version, Help, CompleteHelp, DoctorHelp } mode = Mode::Server;
  std::optional<std::string> log_file;
  std::optional<LogLevel> log_level;
  std::optional<long> client_pid;
  std::optional<std::string> config_file;
  boost::json::object overrides; // --base-url, --model, ... in the settings schema
  CompleteRequest
      complete;      // FILE:LINE:COL (options may stand before or after it), --language, --path, --json
  std::string error; // non-empty: bad command line
};

CliOptions parse_cli(const std::vector<std::string>& args);
std::string usage();
std::string complete_usage(); // fim-lsp complete --help
std::string doctor_usage();   // fim-lsp doctor --help

// defaults → --config FILE → flags.
fim::SettingsResult settings_from_cli(const CliOptions& options);

} // namespace fimlsp::server
