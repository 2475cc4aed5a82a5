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

// What `complete` is asked, besides the settings.
struct CompleteRequest {
  std::string target;   // FILE:LINE:COL (1-based, COL in characters); FILE "-" is stdin
  std::string language; // --language: FILE's languageId ("" = by its extension)
  std::string path;     // --path: the name stdin's text goes by (its extension, its imports)
  bool json = false;    // --json: {"text", "usage", "timing"} at the end instead of streaming
};

// Streams the completion at the target to stdout (or prints it as JSON); what went wrong goes
// to stderr. Returns the exit code.
int run_complete(const CompleteRequest& request, const fim::Settings& settings);

} // namespace fimlsp::server
