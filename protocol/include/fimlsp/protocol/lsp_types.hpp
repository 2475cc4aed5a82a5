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
  bool watchedFilesRegistration = false; // capabilities.workspace.didChangeWatchedFiles.dynamicRegistration
  bool workDoneProgress = false;         // capabilities.window.workDoneProgress
  bool statusNotifications = false;      // capabilities.experimental.fimLspStatus
  json::value initializationOptions;     // null when absent
  std::vector<std::string> workspaceFolders; // their uris, in order
  std::string rootUri;                       // "" when absent or null
  std::string rootPath;                      // (deprecated) "" when absent or null
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

// What fim-lsp sends: plain structs with to_json.
struct TextEdit {
  Range range;
  std::string newText;
};
struct InlineCompletionItem {
  std::string insertText;
  std::optional<Range> range; // one line; absent: at the cursor
};
struct InlineCompletionList {
  std::vector<InlineCompletionItem> items;
};
struct CompletionItem {
  std::string label;
  int kind = 1; // Text
  std::string detail;
  std::string documentation;             // plain text
  std::optional<std::string> filterText; // sent even when empty
  std::string sortText;
  bool preselect = false;
  std::string insertText; // insertTextFormat 1: plain text
  std::optional<TextEdit> textEdit;
};
struct CompletionList {
  bool isIncomplete = false;
  std::vector<CompletionItem> items;
};
struct ShowMessageParams {
  int type = 3; // 1 Error, 2 Warning, 3 Info, 4 Log
  std::string message;
};

json::value to_json(const Position& p);
json::value to_json(const Range& r);
json::value to_json(const TextEdit& e);
json::value to_json(const InlineCompletionItem& item);
json::value to_json(const InlineCompletionList& list);
json::value to_json(const CompletionItem& item);
json::value to_json(const CompletionList& list);
json::value to_json(const ShowMessageParams& p);

} // namespace fimlsp::protocol
