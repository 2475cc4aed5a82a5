#pragma once
// The completion engine: typed-ahead cache, in-flight reuse, supersede and cancellation,
// debounce, backoff — everything between "a request at this cursor" and "the HTTP stream".
#include "fimlsp/fim/completion_stream.hpp"
#include "fimlsp/fim/engine_clock.hpp"
#include "fimlsp/fim/log.hpp"
#include "fimlsp/fim/settings.hpp"
#include "fimlsp/fim/suggest/postprocess.hpp"
#include "fimlsp/fim/suggest/suggestion_cache.hpp"
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fimlsp::fim {

// Why a completion holds what it holds. Every reason but `suggested` comes with empty text.
enum class Reason {
  suggested,  // text is the suggestion to insert at the cursor
  nothing,    // the model had nothing, or the clean-up removed all of it
  superseded, // a newer request for the same document arrived first
  cancelled,  // the document changed or closed, or the stream was aborted, before an answer
  backoff,    // not sent: the endpoint asked to wait (an earlier 429, or 503 with Retry-After)
  timeout,    // the request's deadline (arrival + timeoutMs − margin) passed
  failure,    // the stream failed (network, TLS, HTTP status incl. the 429 itself, malformed reply)
  no_key,     // a remote endpoint and no API key
  config,     // the endpoint's configuration is unusable (bad URL, unreadable CA file)
};
std::string_view to_string(Reason reason);

struct Completion {
  std::string text;
  Reason reason = Reason::nothing;
};

class Engine {
public:
  using Ticket = std::uint64_t;
  using Done = std::function<void(Completion)>;

  // `backend` and `clock` outlive the engine.
  Engine(boost::asio::any_io_executor ex, Reporter reporter, CompletionStream& backend, EngineClock& clock);
  // Pending requests are dropped unanswered; running streams are aborted.
  ~Engine();

  // Applies settings (already validated) and the key read for them (fim::read_api_key), and
  // warms a connection to the endpoint once one is wanted (see prewarm).
  void configure(const Settings& settings, std::string api_key);
  // A request is likely soon (a document was opened): keep a connection ready from now on, so
  // that the first request does not wait for a handshake. Until then a server nobody asks yet
  // holds no connection and no TLS state.
  void prewarm();
  const Settings& settings() const { return settings_; }

  // `done` is called exactly once (at once for a typed-ahead hit, i.e. before this returns),
  // unless the ticket is cancelled or the engine destroyed first (then never).
  Ticket complete(CompletionInput input, Done done);
  void cancel(Ticket ticket);
  // The document changed or closed: its pending requests are answered `cancelled` at once.
  void document_changed(const std::string& document);
  void document_closed(const std::string& document);

  // Prefetch (suggestion.prefetch): starts the stream that a request at `input` would start,
  // before it is made — the cursor right after a suggestion just shown, as if it were accepted.
  // Its result goes where that request finds it (the typed-ahead cache, or the running stream
  // it attaches to). At most one per document: a newer one replaces it; none during a backoff,
  // nor when the cache or a running stream already answers `input`.
  void prefetch(CompletionInput input);
  // The user went another way (an edit that is not the suggestion): its prefetch is aborted. A
  // request that the prefetch cannot serve aborts it too.
  void cancel_prefetch(const std::string& document);
  bool prefetch_enabled() const;

private:
  struct Flight;
  struct Pending {
    CompletionInput input;
    Done done;
    Clock::time_point arrived;
    Clock::time_point deadline;     // what the request's own stream is given; answered by then
    std::shared_ptr<Flight> flight; // attached stream, if any
    std::string typed;              // text typed since the flight's cursor
    Clock::time_point not_before;   // arrival + debounce: no stream of its own before then
    EngineClock::Alarm debounce = 0;
  };

  void finish(Ticket ticket, Completion completion);
  void drop_pending(const std::string& document, Reason reason);
  void detach(Ticket ticket, Pending& p);
  void leave_flight(Ticket ticket, Pending& p);
  // Starts the request's own stream at not_before (at once when that has passed); answers
  // `timeout` instead once the deadline has passed.
  void start_when_due(Ticket ticket);
  void schedule_orphan_check();
  void abort_orphans();
  void abort_flight(const std::shared_ptr<Flight>& f);
  bool try_reuse(Ticket ticket, Pending& p);
  std::chrono::milliseconds debounce_delay(const std::string& document, Clock::time_point now);
  void start_flight(Ticket ticket);
  bool on_text(const std::shared_ptr<Flight>& f, std::string_view piece);
  // `alive` expires with the engine: the coroutine may resume after it is gone.
  boost::asio::awaitable<void> run_flight(std::shared_ptr<Flight> f, CompletionPlan plan, std::string api_key,
                                          Clock::time_point deadline, std::weak_ptr<void> alive);
  void end_flight(const std::shared_ptr<Flight>& f, const StreamOutcome& outcome);
  void report_failure(const StreamOutcome& outcome);
  void tell_once(const std::string& kind, const std::string& message);
  // Sets the status's state (the usage counts are kept) and reports it when it changed (or
  // always, when `force`: after a configuration).
  void set_state(EngineStatus::State state, std::string message = {},
                 std::optional<Clock::time_point> until = std::nullopt, bool force = false);

  boost::asio::any_io_executor ex_;
  Reporter reporter_;
  CompletionStream& backend_;
  EngineClock& clock_;
  std::shared_ptr<void> alive_ = std::make_shared<char>();
  Settings settings_;
  std::string api_key_;
  bool endpoint_ok_ = false;
  bool key_required_ = true;
  bool warm_wanted_ = false; // prewarm() was called
  SuggestionCache cache_;
  Ticket next_ticket_ = 1;
  std::unordered_map<Ticket, Pending> pending_;
  std::vector<std::shared_ptr<Flight>> flights_; // streams still running
  EngineClock::Alarm orphan_check_ = 0;
  struct Typing {
    Clock::time_point last{};
    std::chrono::milliseconds gap{0};
  };
  std::unordered_map<std::string, Typing> typing_;
  Clock::time_point backoff_until_{};
  bool backoff_logged_ = false;
  std::set<std::string> told_; // problems already shown to the user
  EngineStatus status_;
  EngineClock::Alarm backoff_end_ = 0;
};

} // namespace fimlsp::fim
