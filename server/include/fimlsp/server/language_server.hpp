#pragma once
// The LSP server: lifecycle, documents, settings, and the completion handlers joining LSP to fim/.
#include "fimlsp/fim/backend_stream.hpp"
#include "fimlsp/fim/engine.hpp"
#include "fimlsp/server/dispatcher.hpp"
#include "fimlsp/server/documents.hpp"
#include "fimlsp/server/logging.hpp"
#include "fimlsp/server/other_files_context.hpp"
#include "fimlsp/server/status_notifier.hpp"
#include <boost/asio/steady_timer.hpp>
#include <unordered_set>

namespace fimlsp::server {

class LanguageServer {
public:
  // `base` is defaults → --config → flags; initializationOptions and configuration changes apply on top.
  LanguageServer(boost::asio::any_io_executor ex, Dispatcher::Send send, Dispatcher::Exit exit,
                 fim::Settings base);

  void handle(std::string_view body) { dispatcher_.handle(body); }
  void input_closed();                      // stdin reached EOF: exit promptly
  void output_gone(const std::string& why); // stdout closed or not read: exit as `exit` does
  void signalled(int signal);               // SIGTERM or SIGINT: exit as the `exit` notification does
  // Exit when process `pid` is gone (--clientProcessId, initialize's processId).
  void watch_process(long pid);

private:
  void initialize(protocol::InitializeParams params, Reply reply);
  void initialized(const json::value&);
  void did_open(protocol::DidOpenTextDocumentParams params);
  void did_change(protocol::DidChangeTextDocumentParams params);
  void did_close(protocol::DidCloseTextDocumentParams params);
  void did_save(const json::value& params);
  void did_change_watched_files(const json::value& params);
  void did_change_configuration(protocol::DidChangeConfigurationParams params);
  void inline_completion(protocol::InlineCompletionParams params, Reply reply);
  void completion(protocol::CompletionParams params, Reply reply);

  // Settings from the client: refused ones are reported and the old ones stay.
  void apply_client_settings(const json::value& settings, std::string_view source);
  void pull_configuration();
  // Asks the client to report changes to the source files other files' context may read.
  void watch_files();
  void show_message(int type, const std::string& message);
  // Logs `why` and ends as the `exit` notification does.
  void exit_because(LogLevel level, const std::string& why);
  // Cuts the document at `position` and asks the engine; `answer` gets the document (null when
  // it was closed meanwhile, then the suggestion is ""), the cursor's byte offset and the
  // suggestion. Answers -32602 itself when the document or position is bad.
  // `selected`: the popup item the client has selected, completed as if it were accepted.
  using Answer = std::function<void(const Document* doc, std::size_t cursor, std::string suggestion)>;
  void ask_engine(const Reply& reply, const std::string& uri, protocol::Position position,
                  const protocol::SelectedCompletionInfo* selected, Answer answer);
  // Once the other files it needs are indexed (ask_engine waits for that).
  void ask_engine_now(const Reply& reply, const std::string& uri, protocol::Position position,
                      const protocol::SelectedCompletionInfo* selected, Answer answer);

  boost::asio::any_io_executor ex_;
  Dispatcher dispatcher_;
  DocumentStore documents_;
  // The suggestion last shown in each document, which its prefetch follows: an edit that does not
  // accept it (or more of it) aborts the prefetch.
  struct Prefetched {
    std::size_t cursor = 0; // where it was shown
    std::string suggestion;
    std::size_t accepted = 0; // bytes of it inserted since
  };
  void prefetch_after(const std::string& uri, const Document& doc, std::size_t cursor, std::uint32_t line,
                      const std::string& suggestion);
  bool follows_suggestion(Prefetched& p, const protocol::DidChangeTextDocumentParams& params) const;
  std::unordered_map<std::string, Prefetched> prefetched_;
  // Opened past context.maxOpenBytes: not kept, answered with no suggestion (told once).
  std::unordered_set<std::string> kept_out_;
  bool told_kept_out_ = false;
  fim::BackendStream backend_; // before engine_, which uses them
  fim::AsioClock clock_;
  StatusNotifier status_; // before engine_, which reports to it
  fim::Engine engine_;
  OtherFilesContext other_files_;
  fim::Settings settings_;
  bool configuration_support_ = false;
  bool watched_files_registration_ = false;
  boost::asio::steady_timer process_watch_;
};

} // namespace fimlsp::server
