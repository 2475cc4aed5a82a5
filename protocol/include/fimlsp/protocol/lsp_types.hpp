#pragma once
// The LSP types fim-lsp reads, as plain structs, with hand-written JSON conversions that name
// the failing field (Boost 1.81's Describe conversion rejects messages with extra keys).
#include "fimlsp/protocol/jsonrpc.hpp"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fimlsp::protocol {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
};
struct Range {
  Position start;
  Position end;
};

struct InitializeParams {
  std::optional<std::int64_t> processId;
  std::string clientName;                     // clientInfo.name, "" when absent
  std::vector<std::string> positionEncodings; // capabilities.general.positionEncodings
  bool configurationSupport = false;          // capabilities.workspace.configuration
  bool workDoneProgress = false;              // capabilities.window.workDoneProgress
  json::value initializationOptions;          // null when absent
};

struct TextDocumentItem {
  std::string uri;
  std::string languageId;
  std::int64_t version = 0;
  std::string text;
};
struct DidOpenTextDocumentParams {
  TextDocumentItem textDocument;
};
struct TextDocumentContentChangeEvent {
  std::optional<Range> range; // absent: the text replaces the whole document
  std::string text;
};
struct DidChangeTextDocumentParams {
  std::string uri;
  std::optional<std::int64_t> version;
  std::vector<TextDocumentContentChangeEvent> contentChanges;
};
struct DidCloseTextDocumentParams {
  std::string uri;
};

struct SelectedCompletionInfo {
  Range range;
  std::string text;
};
struct InlineCompletionParams {
  std::string uri;
  Position position;
  int triggerKind = 2; // 1 Invoked, 2 Automatic
  std::optional<SelectedCompletionInfo> selectedCompletionInfo;
};
struct CompletionParams {
  std::string uri;
  Position position;
  int triggerKind = 1; // 1 Invoked, 2 TriggerCharacter, 3 TriggerForIncompleteCompletions
  std::optional<std::string> triggerCharacter;
};
struct CancelParams {
  Id id;
};
struct DidChangeConfigurationParams {
  json::value settings;
};

// Reads `params` into T. On failure returns nullopt and sets `error` to a message naming the
// field's path, e.g. "textDocument.position.line: expected an unsigned integer".
// Unknown fields are ignored; missing optional fields take their defaults.
template <class T> std::optional<T> parse_params(const json::value& params, std::string& error);

json::value to_json(const Position& p);
json::value to_json(const Range& r);

} // namespace fimlsp::protocol
