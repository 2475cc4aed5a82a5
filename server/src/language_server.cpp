#include "fimlsp/server/language_server.hpp"
#include "fimlsp/server/file_uri.hpp"
#include "fimlsp/server/logging.hpp"
#include <boost/json.hpp>
#include <csignal>

namespace fimlsp::server {

namespace {

LogLevel to_level(fim::Severity s) {
  switch (s) {
  case fim::Severity::Error:
    return LogLevel::Error;
  case fim::Severity::Warn:
    return LogLevel::Warn;
  case fim::Severity::Info:
    return LogLevel::Info;
  case fim::Severity::Debug:
    return LogLevel::Debug;
  }
  return LogLevel::Info;
}

} // namespace

LanguageServer::LanguageServer(boost::asio::any_io_executor ex, Dispatcher::Send send, Dispatcher::Exit exit,
                               fim::Settings base)
    : ex_(ex), dispatcher_(std::move(send), std::move(exit)),
      backend_(ex,
               fim::Reporter{[](fim::Severity s, std::string_view line) { log_line(to_level(s), line); }}),
      clock_(ex), status_(ex, [this](const json::value& p) { dispatcher_.notify("fimLsp/status", p); }),
      engine_(ex,
              fim::Reporter{[](fim::Severity s, std::string_view line) { log_line(to_level(s), line); },
                            [this](std::string_view message) { show_message(1, std::string(message)); },
                            [this](const fim::EngineStatus& s) { status_.update(s); }},
              backend_, clock_),
      other_files_(ex), settings_(std::move(base)), process_watch_(ex) {
  auto& d = dispatcher_;
  d.on_request("initialize", this, &LanguageServer::initialize);
  d.on_notification_raw("initialized", [this](const json::value& p) { initialized(p); });
  d.on_request_raw("shutdown", [](Reply reply, const json::value&) { reply.result(nullptr); });
  d.on_notification("textDocument/didOpen", this, &LanguageServer::did_open);
  d.on_notification("textDocument/didChange", this, &LanguageServer::did_change);
  d.on_notification("textDocument/didClose", this, &LanguageServer::did_close);
  d.on_notification_raw("textDocument/didSave", [this](const json::value& p) { did_save(p); });
  d.on_notification_raw("workspace/didChangeWatchedFiles",
                        [this](const json::value& p) { did_change_watched_files(p); });
  d.on_notification("workspace/didChangeConfiguration", this, &LanguageServer::did_change_configuration);
  d.on_request("textDocument/inlineCompletion", this, &LanguageServer::inline_completion);
  d.on_request("textDocument/completion", this, &LanguageServer::completion);
}

void LanguageServer::show_message(int type, const std::string& message) {
  log_line(type == 1 ? LogLevel::Error : LogLevel::Warn, message);
  dispatcher_.notify("window/showMessage", protocol::to_json(protocol::ShowMessageParams{type, message}));
}

void LanguageServer::initialize(protocol::InitializeParams params, Reply reply) {
  const auto encoding = negotiate_position_encoding(params.positionEncodings);
  documents_.set_encoding(encoding);
  configuration_support_ = params.configurationSupport;
  if (params.statusNotifications) status_.enable();
  watched_files_registration_ = params.watchedFilesRegistration;
  if (params.processId) watch_process(static_cast<long>(*params.processId));
  log_line(LogLevel::Info, "client " +
                               (params.clientName.empty() ? std::string("(unnamed)") : params.clientName) +
                               ", position encoding " + std::string(to_string(encoding)));
  if (!params.initializationOptions.is_null()) {
    auto r = fim::apply_settings(settings_, params.initializationOptions);
    for (auto& w : r.warnings)
      log_line(LogLevel::Warn, "initializationOptions: " + w);
    if (r.settings)
      settings_ = *r.settings;
    else
      show_message(1,
                   "fim-lsp: initializationOptions refused: " + r.error + " (using the previous settings)");
  }
  // The workspace root the other files' paths are relative to.
  std::vector<std::string> roots;
  for (auto& folder : params.workspaceFolders)
    if (auto path = path_of_uri(folder)) roots.push_back(*path);
  if (roots.empty())
    if (auto path = path_of_uri(params.rootUri)) roots.push_back(*path);
  if (roots.empty() && params.rootPath.starts_with('/')) roots.push_back(params.rootPath);
  other_files_.set_roots(roots);
  other_files_.configure(settings_.context, settings_.templateName);
  json::object capabilities{
      {"positionEncoding", to_string(encoding)},
      {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"inlineCompletionProvider", true},
      // Popup completion for clients without inline completion (Helix, eglot, Neovim < 0.12).
      {"completionProvider",
       {{"resolveProvider", false}, {"triggerCharacters", json::array{".", "(", "[", "{", ",", "=", ":"}}}},
  };
  reply.result({{"capabilities", std::move(capabilities)},
                {"serverInfo", {{"name", "fim-lsp"}, {"version", FIM_LSP_VERSION}}}});
  // After the reply: loading the trust store and warming the connection take tens of ms.
  engine_.configure(settings_, fim::read_api_key(settings_));
}

void LanguageServer::initialized(const json::value&) {
  pull_configuration();
  watch_files();
}

void LanguageServer::watch_files() {
  if (!watched_files_registration_) return;
  // The languages whose imports are followed, and go.mod (the module path).
  json::object watcher{
      {"globPattern", "**/*.{py,js,jsx,ts,tsx,mjs,cjs,go,rs,c,h,cc,cpp,cxx,hpp,hh,hxx,java,mod}"}};
  json::object registration{{"id", "fim-lsp-watched-files"},
                            {"method", "workspace/didChangeWatchedFiles"},
                            {"registerOptions", {{"watchers", json::array{watcher}}}}};
  dispatcher_.request("client/registerCapability", {{"registrations", json::array{registration}}},
                      [](const json::value&, const json::value& error) {
                        if (!error.is_null())
                          log_line(LogLevel::Info, "client/registerCapability refused: files changed on "
                                                   "disk are noticed by their mtime only");
                      });
}

void LanguageServer::pull_configuration() {
  if (!configuration_support_) return;
  json::object item{{"section", "fimLsp"}};
  dispatcher_.request("workspace/configuration", {{"items", json::array{item}}},
                      [this](const json::value& result, const json::value& error) {
                        if (!error.is_null())
                          return log_line(LogLevel::Warn, "workspace/configuration failed");
                        auto* items = result.if_array();
                        if (items && !items->empty() && (*items)[0].is_object())
                          apply_client_settings((*items)[0], "workspace/configuration");
                      });
}

void LanguageServer::apply_client_settings(const json::value& settings, std::string_view source) {
  auto r = fim::apply_settings(settings_, settings);
  for (auto& w : r.warnings)
    log_line(LogLevel::Warn, std::string(source) + ": " + w);
  if (!r.settings)
    return show_message(1,
                        "fim-lsp: settings refused: " + r.error + " (the previous settings stay in force)");
  settings_ = *r.settings;
  other_files_.configure(settings_.context, settings_.templateName);
  engine_.configure(settings_, fim::read_api_key(settings_));
}

void LanguageServer::did_change_configuration(protocol::DidChangeConfigurationParams params) {
  const json::value* settings = &params.settings;
  if (auto* o = settings->if_object(); o && o->contains("fimLsp")) settings = &o->at("fimLsp");
  auto* o = settings->if_object();
  if (o && !o->empty()) return apply_client_settings(*settings, "workspace/didChangeConfiguration");
  pull_configuration(); // "something changed": ask for our section
}

void LanguageServer::did_open(protocol::DidOpenTextDocumentParams params) {
  const std::string& uri = params.textDocument.uri;
  engine_.document_changed(uri);
  const Document* open = documents_.find(uri);
  const std::size_t others = documents_.total_bytes() - (open ? open->text.size() : 0);
  if (others + params.textDocument.text.size() > settings_.context.maxOpenBytes) {
    if (open) did_close({uri});
    kept_out_.insert(uri);
    const std::string why = uri +
                            " is kept out of completions: open documents would pass context.maxOpenBytes (" +
                            std::to_string(settings_.context.maxOpenBytes) + " bytes)";
    log_line(LogLevel::Warn, why);
    if (!std::exchange(told_kept_out_, true)) show_message(2, "fim-lsp: " + why);
    return;
  }
  kept_out_.erase(uri);
  documents_.open(params.textDocument);
  engine_.prewarm(); // a request is likely soon
  other_files_.touched(params.textDocument.uri, true);
  // What it imports is read now, in the background, rather than at its first request.
  other_files_.prepare(documents_, params.textDocument.uri, [] {});
}

void LanguageServer::did_change(protocol::DidChangeTextDocumentParams params) {
  if (kept_out_.contains(params.uri)) return;
  if (auto it = prefetched_.find(params.uri);
      it != prefetched_.end() && !follows_suggestion(it->second, params)) {
    engine_.cancel_prefetch(params.uri);
    prefetched_.erase(it);
  }
  engine_.document_changed(params.uri);
  if (auto error = documents_.change(params)) return log_line(LogLevel::Warn, "didChange ignored: " + *error);
  other_files_.touched(params.uri, true);
}

void LanguageServer::did_close(protocol::DidCloseTextDocumentParams params) {
  if (kept_out_.erase(params.uri)) return;
  prefetched_.erase(params.uri);
  engine_.document_closed(params.uri);
  other_files_.closed(params.uri);
  if (!documents_.close(params.uri))
    log_line(LogLevel::Warn, "didClose for a document not open: " + params.uri);
}

void LanguageServer::did_save(const json::value& params) {
  auto* p = params.if_object();
  auto* doc = p && p->contains("textDocument") ? p->at("textDocument").if_object() : nullptr;
  if (doc && doc->contains("uri") && doc->at("uri").is_string())
    other_files_.file_changed(std::string(doc->at("uri").get_string()), false);
}

void LanguageServer::did_change_watched_files(const json::value& params) {
  auto* p = params.if_object();
  auto* changes = p && p->contains("changes") ? p->at("changes").if_array() : nullptr;
  if (!changes) return log_line(LogLevel::Warn, "workspace/didChangeWatchedFiles without changes ignored");
  for (auto& c : *changes) {
    auto* o = c.if_object();
    if (!o || !o->contains("uri") || !o->at("uri").is_string()) continue;
    // FileChangeType: 1 created, 2 changed, 3 deleted. A new or removed file may change what an
    // import resolves to; a changed one only needs reading again.
    const bool changed = o->contains("type") && o->at("type") == 2;
    other_files_.file_changed(std::string(o->at("uri").get_string()), !changed);
  }
}

void LanguageServer::exit_because(LogLevel level, const std::string& why) {
  log_line(level, why + ", exiting");
  dispatcher_.handle(R"({"jsonrpc":"2.0","method":"exit"})");
}

void LanguageServer::input_closed() {
  exit_because(LogLevel::Info, "stdin closed");
}

void LanguageServer::output_gone(const std::string& why) {
  exit_because(LogLevel::Warn, why);
}

void LanguageServer::signalled(int signal) {
  exit_because(LogLevel::Info, std::string(signal == SIGINT ? "SIGINT" : "SIGTERM") + " received");
}

void LanguageServer::watch_process(long pid) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
    return exit_because(LogLevel::Info, "client process " + std::to_string(pid) + " is gone");
  }
  process_watch_.expires_after(std::chrono::seconds(1));
  process_watch_.async_wait([this, pid](boost::system::error_code ec) {
    if (!ec) watch_process(pid);
  });
}

} // namespace fimlsp::server
