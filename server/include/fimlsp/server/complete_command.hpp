#pragma once
// `fim-lsp complete FILE:LINE:COL`: the main job from a terminal.
#include "fimlsp/fim/settings.hpp"
#include <string>

namespace fimlsp::server {

// Exit codes of `complete`.
enum CompleteExit : int {
  kCompleted = 0,    // a suggestion was printed
  kNoSuggestion = 1, // the model had nothing worth showing
  kUsage = 2,        // bad arguments, file, position or settings
  kNoKey = 3,        // the API key variable is not set
  kHttpStatus = 4,   // the endpoint answered with an error status (401, 429, 5xx...)
  kTls = 5,          // TLS handshake or certificate verification failed
  kNetwork = 6,      // connect, timeout, dropped connection, malformed reply
};

// Streams the completion at `target` (FILE:LINE:COL, 1-based, COL in characters) to stdout;
// what went wrong goes to stderr. Returns the exit code.
int run_complete(const std::string& target, const std::string& language, const fim::Settings& settings);

} // namespace fimlsp::server
