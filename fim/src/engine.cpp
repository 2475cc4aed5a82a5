#include "fimlsp/fim/engine.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <utility>

namespace fimlsp::fim {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// A pause this long between requests for a document ends a typing burst: the next request is
// sent at once. Inside a burst, a request waits a little longer than the typing gap so that
// the next keystroke can replace it before it reaches the backend.
constexpr auto kPause = 150ms;
constexpr auto kMaxBurstDelay = 45ms;
// A stream nobody waits for any more is aborted after this grace: editors send $/cancelRequest,
// didChange and the next request back to back, but they may arrive in separate reads, and the
// next request may be typing into the stream.
constexpr auto kOrphanGrace = 2ms;
// How far back typed-ahead and in-flight reuse look for the cursor of an earlier suggestion.
constexpr std::size_t kMaxTypedAhead = 4096;

// Whether a stream that has produced `text` so far can still serve a cursor `typed` further.
bool compatible(std::string_view text, std::string_view typed, bool text_final) {
  if (text.starts_with(typed)) return !text_final || text.size() > typed.size();
  return !text_final && typed.starts_with(text);
}

} // namespace

std::string_view to_string(Reason reason) {
  switch (reason) {
  case Reason::suggested:
    return "suggested";
  case Reason::nothing:
    return "nothing to suggest";
  case Reason::superseded:
    return "superseded";
  case Reason::cancelled:
    return "cancelled";
  case Reason::backoff:
    return "backing off";
  case Reason::timeout:
    return "timed out";
  case Reason::failure:
    return "failed";
  case Reason::no_key:
    return "no API key";
  case Reason::config:
    return "endpoint not configured";
  }
  return "?";
}

struct Engine::Flight {
  explicit Flight(const CompletionPlan& plan) : pipeline(make_pipeline(plan)) {}
  AnchorKey anchor;
  SuggestionPipeline pipeline;
  asio::cancellation_signal cancel;
  std::vector<Ticket> waiters;
  bool finished = false;
  // A prefetch nobody has asked for yet: it runs without waiters until a request attaches to
  // it (then it is a request's stream like any other) or it is aborted.
  bool prefetch = false;
  std::string document;
};

Engine::Engine(asio::any_io_executor ex, Reporter reporter, CompletionStream& backend, EngineClock& clock)
    : ex_(ex), reporter_(std::move(reporter)), backend_(backend), clock_(clock) {}

Engine::~Engine() {
  alive_.reset();
  if (orphan_check_) clock_.cancel(orphan_check_);
  if (backoff_end_) clock_.cancel(backoff_end_);
  for (auto& [t, p] : pending_)
    if (p.debounce) clock_.cancel(p.debounce);
  for (auto& f : flights_)
    f->cancel.emit(asio::cancellation_type::terminal);
}

void Engine::tell_once(const std::string& kind, const std::string& message) {
  if (told_.insert(kind).second && reporter_.tell_user) return reporter_.tell_user(message);
  if (reporter_.log) reporter_.log(Severity::Warn, message);
}

void Engine::set_state(EngineStatus::State state, std::string message, std::optional<Clock::time_point> until,
                       bool force) {
  EngineStatus next = status_;
  next.state = state;
  next.message = std::move(message);
  next.until.reset();
  if (until)
    next.until = std::chrono::system_clock::now() +
                 std::chrono::duration_cast<std::chrono::system_clock::duration>(*until - clock_.now());
  if (next == status_ && !force) return;
  status_ = std::move(next);
  if (reporter_.status) reporter_.status(status_);
}

void Engine::configure(const Settings& settings, std::string api_key) {
  settings_ = settings;
  told_.clear();
  cache_.clear();
  backoff_until_ = {};
  if (backoff_end_) clock_.cancel(std::exchange(backoff_end_, 0));
  api_key_ = std::move(api_key);
  std::string error;
  endpoint_ok_ = !backend_.configure(settings_, error);
  if (!endpoint_ok_) {
    set_state(EngineStatus::State::disabled, error, std::nullopt, true);
    return tell_once("config", "fim-lsp: " + error);
  }
  // A local server (llama.cpp, Ollama) may need no key; a remote endpoint always does.
  const auto endpoint = parse_endpoint(settings_.endpoint.baseUrl, error);
  key_required_ = !endpoint || !endpoint->loopback;
  if (warm_wanted_) prewarm();
  if (api_key_.empty() && key_required_)
    set_state(EngineStatus::State::disabled, "no API key: set $" + settings_.endpoint.apiKeyEnv, std::nullopt,
              true);
  else
    set_state(flights_.empty() ? EngineStatus::State::ready : EngineStatus::State::busy, {}, std::nullopt,
              true);
  if (reporter_.log)
    reporter_.log(Severity::Info, "endpoint " + settings_.endpoint.baseUrl + " (" + settings_.endpoint.api +
                                      "), model " + settings_.model + ", key from $" +
                                      settings_.endpoint.apiKeyEnv + (api_key_.empty() ? " (not set)" : ""));
}

Engine::Ticket Engine::complete(CompletionInput input, Done done) {
  const auto now = clock_.now();
  const Ticket ticket = next_ticket_++;
  drop_pending(input.document, Reason::superseded);
  const auto delay = debounce_delay(input.document, now);

  if (auto rest = cache_.lookup(input.prefix, input.suffix, input.other_files.fingerprint)) {
    done({std::move(*rest), Reason::suggested});
    return ticket;
  }
  if (!endpoint_ok_) {
    done({"", Reason::config});
    return ticket;
  }
  if (api_key_.empty() && key_required_) {
    tell_once("key",
              "fim-lsp: no API key: set the environment variable " + settings_.endpoint.apiKeyEnv +
                  " (or point endpoint.apiKeyEnv at the variable that holds it) and restart the editor");
    done({"", Reason::no_key});
    return ticket;
  }
  if (now < backoff_until_) {
    if (!backoff_logged_ && reporter_.log)
      reporter_.log(Severity::Info, "rate limited by the endpoint: no requests until Retry-After has passed");
    backoff_logged_ = true;
    done({"", Reason::backoff});
    return ticket;
  }

  auto& p = pending_[ticket];
  p.input = std::move(input);
  p.done = std::move(done);
  p.arrived = now;
  const auto timeout = std::chrono::milliseconds(settings_.endpoint.timeoutMs);
  p.deadline = now + timeout - std::min<std::chrono::milliseconds>(50ms, timeout / 10);
  p.not_before = now + delay;
  // Typing into a running stream, even one with no text yet, waits for it: its first token
  // comes sooner than a new stream's would. If it diverges, start_when_due takes over.
  if (try_reuse(ticket, p)) return ticket;
  cancel_prefetch(p.input.document); // the user is somewhere else
  start_when_due(ticket);
  return ticket;
}

void Engine::start_when_due(Ticket ticket) {
  auto& p = pending_.at(ticket);
  const auto now = clock_.now();
  // The editor is answered within timeoutMs of the request: a stream that could only start
  // past that (debounced or diverged too late) is not started. A request riding another's
  // stream is held to that stream's deadline, which came first.
  if (now >= p.deadline) return finish(ticket, {"", Reason::timeout});
  if (p.not_before > now) {
    if (p.debounce) return; // armed already
    p.debounce = clock_.call_at(std::min(p.not_before, p.deadline), [this, ticket] {
      auto it = pending_.find(ticket);
      if (it == pending_.end()) return;
      it->second.debounce = 0;
      start_when_due(ticket);
    });
    return;
  }
  start_flight(ticket);
}

std::chrono::milliseconds Engine::debounce_delay(const std::string& document, Clock::time_point now) {
  auto [it, first] = typing_.try_emplace(document);
  auto& t = it->second;
  const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(now - t.last);
  t.last = now;
  if (settings_.debounceMs) return std::chrono::milliseconds(*settings_.debounceMs);
  if (first || gap >= kPause) {
    t.gap = 0ms;
    return 0ms;
  }
  t.gap = t.gap == 0ms ? gap : (t.gap + gap) / 2;
  return std::min<std::chrono::milliseconds>(kMaxBurstDelay, t.gap * 3 / 2 + 1ms);
}

bool Engine::try_reuse(Ticket ticket, Pending& p) {
  if (flights_.empty()) return false;
  std::shared_ptr<Flight> found;
  std::string typed;
  const std::uint64_t context = p.input.other_files.fingerprint; // other files: part of the key
  for_each_earlier_anchor(p.input.prefix, p.input.suffix, kMaxTypedAhead, context,
                          [&](const AnchorKey& key, std::string_view t) {
                            for (auto& f : flights_) {
                              if (f->finished || !(f->anchor == key)) continue;
                              if (!compatible(f->pipeline.streamed(), t, f->pipeline.complete())) continue;
                              found = f;
                              typed = t;
                              return true;
                            }
                            return false;
                          });
  if (!found) return false;
  found->prefetch = false;
  p.flight = found;
  p.typed = std::move(typed);
  found->waiters.push_back(ticket);
  if (reporter_.log) reporter_.log(Severity::Debug, "request served by the stream already running");
  return true;
}

void Engine::start_flight(Ticket ticket) {
  auto& p = pending_.at(ticket);
  if (p.debounce) clock_.cancel(std::exchange(p.debounce, 0));
  if (reporter_.log)
    reporter_.log(
        Severity::Debug,
        "stream started, " +
            std::to_string(
                std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - p.arrived).count()) +
            " ms after the request");
  CompletionPlan plan = make_plan(settings_, p.input);
  auto f = std::make_shared<Flight>(plan);
  f->anchor = anchor_key(p.input.prefix, p.input.suffix, p.input.other_files.fingerprint);
  f->waiters.push_back(ticket);
  p.flight = f;
  p.typed.clear();
  flights_.push_back(f);
  ++status_.requests;
  set_state(EngineStatus::State::busy);
  asio::co_spawn(ex_, run_flight(f, std::move(plan), api_key_, p.deadline, alive_), asio::detached);
}

asio::awaitable<void> Engine::run_flight(std::shared_ptr<Flight> f, CompletionPlan plan, std::string api_key,
                                         Clock::time_point deadline, std::weak_ptr<void> alive) {
  // co_spawn may start the body later, after the engine is gone or the flight aborted (whose
  // signal then had no handler to reach).
  if (alive.expired()) co_return;
  if (f->finished) {
    end_flight(f, StreamOutcome{.ec = error::cancelled});
    co_return;
  }
  auto on_piece = [this, f, alive](std::string_view piece) { return !alive.expired() && on_text(f, piece); };
  StreamOutcome outcome =
      co_await backend_.stream(std::move(plan), std::move(api_key), on_piece, f->cancel.slot(), deadline);
  if (!alive.expired()) end_flight(f, outcome);
}

bool Engine::on_text(const std::shared_ptr<Flight>& f, std::string_view piece) {
  const bool done = f->pipeline.append(piece);
  // A waiter whose typing left the stream's text behind needs a stream of its own.
  std::vector<Ticket> diverged;
  std::erase_if(f->waiters, [&](Ticket t) {
    auto it = pending_.find(t);
    if (it == pending_.end() || it->second.typed.empty()) return false;
    if (compatible(f->pipeline.streamed(), it->second.typed, done)) return false;
    diverged.push_back(t);
    return true;
  });
  for (Ticket t : diverged) {
    pending_.at(t).flight.reset();
    start_when_due(t);
  }
  if (f->waiters.empty()) schedule_orphan_check();
  return !done;
}

void Engine::end_flight(const std::shared_ptr<Flight>& f, const StreamOutcome& outcome) {
  f->finished = true;
  std::erase(flights_, f);
  std::string text;
  Reason failed = Reason::failure;
  if (!outcome.ec) {
    backoff_logged_ = false;
    f->pipeline.finish();
    text = f->pipeline.text();
    if (!text.empty()) cache_.put(f->anchor, text);
  } else if (outcome.ec == error::cancelled) {
    failed = Reason::cancelled;
  } else {
    report_failure(outcome);
    if (outcome.ec == error::timeout) failed = Reason::timeout;
    if (outcome.ec == error::config) failed = Reason::config;
  }
  if (outcome.usage) {
    status_.prompt_tokens += outcome.usage->prompt_tokens;
    status_.completion_tokens += outcome.usage->completion_tokens;
  }
  if (clock_.now() < backoff_until_)
    set_state(EngineStatus::State::backoff, outcome.message, backoff_until_);
  else if (outcome.ec && outcome.ec != error::cancelled)
    set_state(EngineStatus::State::error, outcome.message);
  else
    set_state(flights_.empty() ? EngineStatus::State::ready : EngineStatus::State::busy);
  auto waiters = std::move(f->waiters);
  for (Ticket t : waiters) {
    auto it = pending_.find(t);
    if (it == pending_.end() || it->second.flight != f) continue;
    const std::string& typed = it->second.typed;
    if (outcome.ec)
      finish(t, {"", failed});
    else if (text.size() > typed.size() && text.starts_with(typed))
      finish(t, {text.substr(typed.size()), Reason::suggested});
    else
      finish(t, {"", Reason::nothing});
  }
}

void Engine::report_failure(const StreamOutcome& o) {
  const std::string what = "completion request failed: " + o.message;
  if (o.ec == error::http_status) {
    if (o.status == 401 || o.status == 403)
      return tell_once("auth", "fim-lsp: the endpoint refused the API key from $" +
                                   settings_.endpoint.apiKeyEnv + " (HTTP " + std::to_string(o.status) +
                                   "): set it to a valid key for " + settings_.endpoint.baseUrl);
    // 429 always backs off (1 s unless told); 503 when the backend says how long.
    if (o.status == 429 || (o.status == 503 && o.retry_after)) {
      const auto wait = o.retry_after.value_or(1000ms); // already within [0, kMaxRetryAfter]
      backoff_until_ = clock_.now() + wait;
      backoff_logged_ = true;
      if (backoff_end_) clock_.cancel(backoff_end_);
      backoff_end_ = clock_.call_at(backoff_until_, [this] {
        backoff_end_ = 0;
        set_state(flights_.empty() ? EngineStatus::State::ready : EngineStatus::State::busy);
      });
      if (reporter_.log)
        reporter_.log(Severity::Warn, "HTTP " + std::to_string(o.status) + ": no requests for " +
                                          std::to_string(wait.count()) + " ms (Retry-After)");
      return;
    }
  } else if (o.ec == error::tls) {
    return tell_once("tls", "fim-lsp: " + o.message +
                                ". If your network uses its own certificate authority, set endpoint.caFile "
                                "(or SSL_CERT_FILE) to its PEM file.");
  } else if (o.ec == error::config) {
    return tell_once("config", "fim-lsp: " + o.message);
  } else if (o.ec == error::proxy) {
    return tell_once("proxy", "fim-lsp: " + o.message);
  }
  if (reporter_.log) reporter_.log(Severity::Warn, what);
}

void Engine::finish(Ticket ticket, Completion completion) {
  auto it = pending_.find(ticket);
  if (it == pending_.end()) return;
  Done done = std::move(it->second.done);
  detach(ticket, it->second);
  pending_.erase(it);
  if (completion.reason != Reason::suggested && reporter_.log)
    reporter_.log(Severity::Debug, "request answered empty: " + std::string(to_string(completion.reason)));
  if (done) done(std::move(completion));
}

void Engine::detach(Ticket ticket, Pending& p) {
  if (p.debounce) clock_.cancel(std::exchange(p.debounce, 0));
  leave_flight(ticket, p);
}

void Engine::leave_flight(Ticket ticket, Pending& p) {
  if (!p.flight) return;
  std::erase(p.flight->waiters, ticket);
  if (p.flight->waiters.empty()) schedule_orphan_check();
  p.flight.reset();
}

void Engine::cancel(Ticket ticket) {
  auto it = pending_.find(ticket);
  if (it == pending_.end()) return;
  detach(ticket, it->second);
  pending_.erase(it);
}

void Engine::drop_pending(const std::string& document, Reason reason) {
  std::vector<Ticket> stale;
  for (auto& [t, p] : pending_)
    if (p.input.document == document) stale.push_back(t);
  for (Ticket t : stale)
    finish(t, {"", reason});
}

void Engine::document_changed(const std::string& document) {
  drop_pending(document, Reason::cancelled);
}

void Engine::document_closed(const std::string& document) {
  document_changed(document);
  cancel_prefetch(document);
  typing_.erase(document);
}

void Engine::prewarm() {
  warm_wanted_ = true;
  if (endpoint_ok_ && (!api_key_.empty() || !key_required_)) backend_.prewarm();
}

bool Engine::prefetch_enabled() const {
  // Unset: a local server costs nothing; a remote endpoint is paid per token.
  return settings_.prefetch.value_or(!key_required_);
}

void Engine::prefetch(CompletionInput input) {
  if (!prefetch_enabled() || !endpoint_ok_ || (api_key_.empty() && key_required_) ||
      clock_.now() < backoff_until_)
    return;
  const AnchorKey anchor = anchor_key(input.prefix, input.suffix, input.other_files.fingerprint);
  for (auto& f : flights_)
    if (!f->finished && f->anchor == anchor) return; // a running stream will answer it
  cancel_prefetch(input.document);
  if (cache_.lookup(input.prefix, input.suffix, input.other_files.fingerprint)) return;
  CompletionPlan plan = make_plan(settings_, input);
  plan.prefetch = true;
  auto f = std::make_shared<Flight>(plan);
  f->anchor = anchor;
  f->prefetch = true;
  f->document = std::move(input.document);
  flights_.push_back(f);
  ++status_.requests;
  set_state(EngineStatus::State::busy);
  if (reporter_.log) reporter_.log(Severity::Debug, "prefetch started for the cursor after the suggestion");
  const auto deadline = clock_.now() + std::chrono::milliseconds(settings_.endpoint.timeoutMs);
  asio::co_spawn(ex_, run_flight(f, std::move(plan), api_key_, deadline, alive_), asio::detached);
}

void Engine::cancel_prefetch(const std::string& document) {
  for (auto& f : std::vector(flights_))
    if (f->prefetch && !f->finished && f->document == document) {
      if (reporter_.log) reporter_.log(Severity::Debug, "prefetch aborted: the user went another way");
      abort_flight(f);
    }
}

void Engine::schedule_orphan_check() {
  if (orphan_check_) return;
  orphan_check_ = clock_.call_at(clock_.now() + kOrphanGrace, [this] { abort_orphans(); });
}

void Engine::abort_orphans() {
  orphan_check_ = 0;
  for (auto& f : std::vector(flights_))
    if (f->waiters.empty() && !f->finished && !f->prefetch) abort_flight(f);
}

void Engine::abort_flight(const std::shared_ptr<Flight>& f) {
  // Aborting completes later (the coroutine resumes after the socket closes): meanwhile no
  // request may attach to it.
  f->finished = true;
  f->cancel.emit(asio::cancellation_type::terminal);
}

} // namespace fimlsp::fim
