#include "fimlsp/server/cli.hpp"
#include <boost/json.hpp>
#include <charconv>

namespace fimlsp::server {

namespace {

constexpr std::string_view kSettingsOptions =
    R"(  --config FILE          settings JSON (the schema of initializationOptions)
  --provider NAME        backend preset: dashscope (default), dashscope-intl, deepseek, mistral,
                         codestral, ollama, llamacpp, openai-compatible
  --base-url URL         endpoint.baseUrl (default https://dashscope.aliyuncs.com/compatible-mode/v1)
  --model NAME           model (default qwen-coder-turbo)
  --api-key-env VAR      environment variable holding the API key (default DASHSCOPE_API_KEY)
  --ca-file PEM          extra CA certificates to trust (endpoint.caFile)
  --log-file FILE        also write the log to FILE
  --log-level LEVEL      error | warn | info | debug (default info)
)";

} // namespace

std::string usage() {
  return std::string(R"(fim-lsp: AI code completions (fill-in-the-middle) for any editor, over LSP.

Usage:
  fim-lsp [--stdio] [options]          run the language server on stdin/stdout
  fim-lsp complete FILE:LINE:COL [options]
                                       print the completion the editor would show there
                                       (see fim-lsp complete --help)
  fim-lsp doctor [options]             check settings, key, network, TLS and one request
                                       (see fim-lsp doctor --help)
  fim-lsp --version | --help

Options (server and complete):
)") + std::string(kSettingsOptions) +
         R"(  --clientProcessId PID  exit when that process is gone
  --stdio                use stdin/stdout (the default; accepted more than once)
)";
}

std::string complete_usage() {
  return std::string(R"(Usage: fim-lsp complete FILE:LINE:COL [options]

Prints the completion at that position of FILE (- reads stdin) exactly as the editor would show it: the same
settings, prompt, stop rules and clean-up as the language server. LINE and COL are 1-based, COL
in characters. Lines are printed as they stream once the clean-up can no longer change them.
Options may come before or after FILE:LINE:COL; `--` ends the options.

Options:
)") + std::string(kSettingsOptions) +
         R"(  --language ID          FILE's LSP languageId (python, cpp, ...; default: by its extension),
                         for the clean-up's language rules
  --path P               the file name of the text read from stdin (FILE is -): its extension
                         and the files it imports
  --json                 print {"text", "usage", "timing"} when the stream ends instead of
                         streaming the text
  --help                 this text

Exit status: 0 a suggestion was printed, 1 nothing to suggest, 2 bad arguments, file, position
or settings, 3 the API key variable is not set, 4 an HTTP error status, 5 a TLS failure,
6 network trouble (connect, timeout, dropped connection, malformed reply).
)";
}

std::string doctor_usage() {
  return std::string(R"(Usage: fim-lsp doctor [options]

Checks, one line each, what a completion needs, with the same settings as the server and
`complete`: the settings, the API key variable (never shown), the proxy, name resolution, the TCP
connection, TLS (protocol, certificate subject, issuer, expiry, host name, where the trust comes
from) and one small completion request (the model's answer, time to first text and to the end,
the usage). A failing step says how to fix it; the steps after it are not run.

Options:
)") + std::string(kSettingsOptions) +
         R"(  --help                 this text

Exit status: 0 every check passed; else the failing step's: 10 settings, 11 API key not set,
12 name resolution, 13 TCP connect, 14 proxy, 15 TLS, 16 key refused (401/403),
17 the completion request (model, HTTP status, timeout, reply).
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
  bool help = false, version = false, options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string v;
    if (options_ended || !a.starts_with("-") || a.starts_with("-:")) { // "-:L:C" is stdin
      // Words: the subcommand, then its position; options may stand before or after either.
      if (!options_ended && a == "complete" && o.mode == CliOptions::Mode::Server)
        o.mode = CliOptions::Mode::Complete;
      else if (!options_ended && a == "doctor" && o.mode == CliOptions::Mode::Server)
        o.mode = CliOptions::Mode::Doctor;
      else if (o.mode == CliOptions::Mode::Complete && o.complete.target.empty())
        o.complete.target = a;
      else
        o.error = "unknown or incomplete argument '" + a + "' (see --help)";
    } else if (a == "--") {
      options_ended = true;
    } else if (a == "--stdio") {
      continue;
    } else if (a == "--version" || a == "-V") {
      version = true;
    } else if (a == "--help" || a == "-h") {
      help = true;
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
    } else if (take_value(args, i, "--language", v)) {
      o.complete.language = v;
    } else if (take_value(args, i, "--path", v)) {
      o.complete.path = v;
    } else if (a == "--json") {
      o.complete.json = true;
    } else if (take_value(args, i, "--provider", v)) {
      o.overrides["provider"] = v;
    } else if (take_value(args, i, "--model", v)) {
      o.overrides["model"] = v;
    } else {
      o.error = "unknown or incomplete argument '" + a + "' (see --help)";
    }
    if (!o.error.empty()) return o;
  }
  const bool complete = o.mode == CliOptions::Mode::Complete;
  if (help)
    o.mode = complete                             ? CliOptions::Mode::CompleteHelp
             : o.mode == CliOptions::Mode::Doctor ? CliOptions::Mode::DoctorHelp
                                                  : CliOptions::Mode::Help;
  else if (version)
    o.mode = CliOptions::Mode::Version;
  else if (complete && o.complete.target.empty())
    o.error = "complete: expected FILE:LINE:COL (see fim-lsp complete --help)";
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
