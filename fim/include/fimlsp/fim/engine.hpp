#pragma once
// The completion engine: typed-ahead cache, in-flight reuse, supersede and cancellation,
// debounce, backoff — everything between "a request at this cursor" and "the HTTP stream".
#include "fimlsp/fim/completion_stream.hpp"
#include "fimlsp/fim/log.hpp"
#include "fimlsp/fim/settings.hpp"
#include "fimlsp/fim/suggest/postprocess.hpp"
#include "fimlsp/fim/suggest/suggestion_cache.hpp"
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace fimlsp::fim {

class Engine {
public:
  using Ticket = std::uint64_t;
  // The suggestion to insert at the cursor; "" when there is nothing to show.
  using Done = std::function<void(std::string suggestion)>;

  // `backend` outlives the engine.
  Engine(boost::asio::any_io_executor ex, Reporter reporter, CompletionStream& backend);
  ~Engine();

  // Applies settings (already validated) and warms a connection to the endpoint.
  void configure(const Settings& settings);
  const Settings& settings() const { return settings_; }

  // `done` is called exactly once, unless the ticket is cancelled first (then never).
  Ticket complete(CompletionInput input, Done done);
  void cancel(Ticket ticket);
  // The document changed or closed: its pending requests are answered "" at once.
  void document_changed(const std::string& document);
  void document_closed(const std::string& document);

private:
  struct Flight;
  struct Pending {
    CompletionInput input;
    Done done;
    Clock::time_point arrived;
    std::shared_ptr<Flight> flight; // attached stream, if any
    std::string typed;              // text typed since the flight's cursor
    Clock::time_point not_before;   // arrival + debounce: no stream of its own before then
    std::unique_ptr<boost::asio::steady_timer> debounce;
  };

  void finish(Ticket ticket, std::string suggestion);
  void detach(Ticket ticket, Pending& p);
  void leave_flight(Ticket ticket, Pending& p);
  // Starts the request's own stream at not_before (at once when that has passed).
  void start_when_due(Ticket ticket);
  void schedule_orphan_check();
  void abort_orphans();
  bool try_reuse(Ticket ticket, Pending& p);
  std::chrono::milliseconds debounce_delay(const std::string& document, Clock::time_point now);
  void start_flight(Ticket ticket);
  bool on_text(const std::shared_ptr<Flight>& f, std::string_view piece);
  boost::asio::awaitable<void> run_flight(std::shared_ptr<Flight> f, CompletionPlan plan,
                                          Clock::time_point deadline);
  void end_flight(const std::shared_ptr<Flight>& f, const StreamOutcome& outcome);
  void report_failure(const StreamOutcome& outcome);
  void tell_once(const std::string& kind, const std::string& message);

  boost::asio::any_io_executor ex_;
  Reporter reporter_;
  CompletionStream& backend_;
  Settings settings_;
  std::string api_key_;
  bool endpoint_ok_ = false;
  bool key_required_ = true;
  SuggestionCache cache_;
  Ticket next_ticket_ = 1;
  std::unordered_map<Ticket, Pending> pending_;
  std::vector<std::shared_ptr<Flight>> flights_; // streams still running
  boost::asio::steady_timer orphan_check_;
  bool orphan_check_scheduled_ = false;
  struct Typing {
    Clock::time_point last{};
    std::chrono::milliseconds gap{0};
  };
  std::unordered_map<std::string, Typing> typing_;
  Clock::time_point backoff_until_{};
  bool backoff_logged_ = false;
  std::set<std::string> told_; // problems already shown to the user
};

} // namespace fimlsp::fim
