#pragma once
// Settings: one JSON schema for initializationOptions, workspace/didChangeConfiguration,
// workspace/configuration (section "fimLsp") and the CLI's --config FILE.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fimlsp::fim {

struct EndpointSettings {
  std::string baseUrl = "https://dashscope.aliyuncs.com/compatible-mode/v1";
  std::string apiKeyEnv = "DASHSCOPE_API_KEY";
  std::string api = "completions"; // the request shape (providers/registry.hpp)
  std::optional<std::string> caFile;
  int timeoutMs = 5000;
  // An http:// proxy URL; "" = none; unset = HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (NO_PROXY applies).
  std::optional<std::string> proxy;
};

struct RequestSettings { // sent only when set
  std::optional<int> maxTokens = 128;
  std::optional<double> temperature; // [0, 2)
  std::optional<double> topP;        // (0, 1]
  std::vector<std::string> stop;
  std::optional<std::int64_t> seed;      // [0, 2^31 - 1]
  std::optional<double> presencePenalty; // [-2, 2]
  bool stream = true;
};

// Globs (relative to the workspace root) of files never read nor sent as context, open or not.
std::vector<std::string> default_context_exclude();

struct ContextSettings {
  std::size_t maxPrefixChars = 8000; // Unicode code points
  std::size_t maxSuffixChars = 2000;
  bool otherFiles = true;           // snippets of other open and imported files
  std::size_t maxOtherChars = 4000; // their budget: paths and snippet text, code points
  std::vector<std::string> exclude = default_context_exclude();
  std::size_t maxFileBytes = 1000000; // larger files are never read
  // Open documents beyond this many bytes in all are kept out of completions (memory bound).
  std::size_t maxOpenBytes = std::size_t{256} << 20;
};

// The keys a `provider` preset fills in, and whether the user set each (then it stays).
struct PresetKeys {
  bool baseUrl = false, api = false, apiKeyEnv = false, model = false, templateName = false;
};

struct Settings {
  EndpointSettings endpoint;
  std::string model = "qwen-coder-turbo";
  std::string templateName = "qwen"; // JSON key "template"
  RequestSettings request;
  ContextSettings context;
  int maxLines = 10; // JSON "suggestion": {"maxLines"}
  // JSON "suggestion": {"prefetch"}: after a suggestion is shown, ask for the one that would follow
  // it. nullopt: on for a loopback endpoint (a local server costs nothing), off for a remote one.
  std::optional<bool> prefetch;
  std::optional<int> debounceMs; // nullopt: "auto"

  // The backend preset (providers/presets.hpp) and which of its keys the user set.
  std::string provider = "dashscope";
  PresetKeys userSet;
};

struct SettingsResult {
  std::optional<Settings> settings; // nullopt: refused, `error` names the key
  std::string error;
  std::vector<std::string> warnings; // e.g. unknown keys, one line each
};

// Applies `json` (an object of the schema; every key optional, null = unset/default) on top of
// `base` and validates the result as a whole.
SettingsResult apply_settings(const Settings& base, const boost::json::value& json);

// Reads a --config FILE and applies it.
SettingsResult apply_settings_file(const Settings& base, const std::string& path);

// The API key named by endpoint.apiKeyEnv, or "" when unset.
std::string read_api_key(const Settings& s);

} // namespace fimlsp::fim
