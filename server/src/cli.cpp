#include "fimlsp/server/cli.hpp"
#include <boost/json.hpp>
#include <charconv>

namespace fimlsp::server {

std::string usage() {
  return R"(fim-lsp: AI code completions (fill-in-the-middle) for any editor, over LSP.

Usage:
  fim-lsp [--stdio] [options]          run the language server on stdin/stdout
  fim-lsp complete FILE:LINE:COL [options]
                                       stream the completion at that position to stdout
                                       (LINE and COL 1-based, COL in characters)
  fim-lsp --version | --help

Options (server and complete):
  --config FILE          settings JSON (the schema of initializationOptions)
  --base-url URL         endpoint.baseUrl (default https://dashscope.aliyuncs.com/compatible-mode/v1)
  --model NAME           model (default qwen-coder-turbo)
  --api-key-env VAR      environment variable holding the API key (default DASHSCOPE_API_KEY)
  --ca-file PEM          extra CA certificates to trust (endpoint.caFile)
  --log-file FILE        also write the log to FILE
  --log-level LEVEL      error | warn | info | debug (default info)
  --clientProcessId PID  exit when that process is gone
  --stdio                use stdin/stdout (the default; accepted more than once)
)";
}

namespace {

// Accepts "--flag value" and "--flag=value".
bool take_value(const std::vector<std::string>& args, std::size_t& i, std::string_view flag,
                std::string& out) {
  const std::string& a = args[i];
  if (a == flag) {
    if (i + 1 >= args.size()) return false;
    out = args[++i];
    return true;
  }
  if (a.size() > flag.size() && a.starts_with(flag) && a[flag.size()] == '=') {
    out = a.substr(flag.size() + 1);
    return true;
  }
  return false;
}

} // namespace

CliOptions parse_cli(const std::vector<std::string>& args) {
  CliOptions o;
  auto set_endpoint = [&](const char* key, const std::string& v) {
    auto& ep = o.overrides["endpoint"];
    if (!ep.is_object()) ep = boost::json::object();
    ep.as_object()[key] = v;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string v;
    if (a == "--stdio") continue;
    if (a == "--version" || a == "-V") {
      o.mode = CliOptions::Mode::Version;
    } else if (a == "--help" || a == "-h") {
      o.mode = CliOptions::Mode::Help;
    } else if (a == "complete" && o.mode == CliOptions::Mode::Server && o.complete_target.empty()) {
      o.mode = CliOptions::Mode::Complete;
      if (i + 1 >= args.size()) {
        o.error = "complete: expected FILE:LINE:COL";
        return o;
      }
      o.complete_target = args[++i];
    } else if (take_value(args, i, "--log-file", v)) {
      o.log_file = v;
    } else if (take_value(args, i, "--log-level", v)) {
      o.log_level = parse_log_level(v);
      if (!o.log_level) o.error = "--log-level: expected error, warn, info or debug, got '" + v + "'";
    } else if (take_value(args, i, "--clientProcessId", v) || take_value(args, i, "--clientProcessID", v)) {
      long pid = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), pid);
      if (ec != std::errc() || p != v.data() + v.size() || pid <= 0)
        o.error = "--clientProcessId: expected a process id, got '" + v + "'";
      else
        o.client_pid = pid;
    } else if (take_value(args, i, "--config", v)) {
      o.config_file = v;
    } else if (take_value(args, i, "--base-url", v)) {
      set_endpoint("baseUrl", v);
    } else if (take_value(args, i, "--api-key-env", v)) {
      set_endpoint("apiKeyEnv", v);
    } else if (take_value(args, i, "--ca-file", v)) {
      set_endpoint("caFile", v);
    } else if (take_value(args, i, "--model", v)) {
      o.overrides["model"] = v;
    } else {
      o.error = "unknown or incomplete argument '" + a + "' (see --help)";
    }
    if (!o.error.empty()) return o;
  }
  return o;
}

fim::SettingsResult settings_from_cli(const CliOptions& options) {
  fim::SettingsResult r;
  r.settings = fim::Settings{};
  if (options.config_file) {
    r = fim::apply_settings_file(*r.settings, *options.config_file);
    if (!r.settings) return r;
  }
  auto flags = fim::apply_settings(*r.settings, options.overrides);
  flags.warnings.insert(flags.warnings.begin(), r.warnings.begin(), r.warnings.end());
  return flags;
}

} // namespace fimlsp::server
