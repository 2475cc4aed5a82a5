#include "support/fake_stream.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace fimlsp::test {

namespace asio = boost::asio;

// A timer that never expires: cancelling it wakes the stream waiting on it.
struct FakeStream::Call::Wake {
  explicit Wake(const asio::any_io_executor& ex) : timer(ex) {}
  asio::steady_timer timer;
};

boost::system::error_code FakeStream::configure(const fim::Settings&, std::string& diagnostics) {
  ++configures;
  diagnostics = configure_diagnostics;
  return configure_error;
}

asio::awaitable<fim::StreamOutcome> FakeStream::stream(fim::CompletionPlan plan, std::string api_key,
                                                       OnText on_text, asio::cancellation_slot cancel,
                                                       fim::Clock::time_point deadline) {
  auto call = std::make_shared<Call>();
  call->plan = std::move(plan);
  call->api_key = std::move(api_key);
  call->deadline = deadline;
  call->wake = std::make_shared<Call::Wake>(ex_);
  calls_.push_back(call);
  if (cancel.is_connected())
    cancel.assign([weak = std::weak_ptr<Call>(call)](asio::cancellation_type) {
      if (auto c = weak.lock()) {
        c->cancelled = true;
        c->wake->timer.cancel();
      }
    });

  fim::StreamOutcome outcome;
  for (;;) {
    if (call->cancelled) {
      outcome.ec = fim::error::cancelled;
      break;
    }
    if (!call->pieces.empty()) {
      std::string piece = std::move(call->pieces.front());
      call->pieces.pop_front();
      if (!on_text(piece)) {
        call->stopped = true;
        outcome.stopped_early = true;
        break;
      }
      continue;
    }
    if (call->end) {
      outcome = *call->end;
      break;
    }
    call->wake->timer.expires_at(fim::Clock::time_point::max());
    co_await call->wake->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (cancel.is_connected()) cancel.clear();
  call->ended = true;
  co_return outcome;
}

void FakeStream::push(std::size_t i, std::string piece) {
  auto& c = *calls_.at(i);
  c.pieces.push_back(std::move(piece));
  c.wake->timer.cancel();
}

void FakeStream::end(std::size_t i, fim::StreamOutcome outcome) {
  auto& c = *calls_.at(i);
  c.end = std::move(outcome);
  c.wake->timer.cancel();
}

std::size_t FakeStream::running() const {
  std::size_t n = 0;
  for (auto& c : calls_)
    n += !c->ended;
  return n;
}

fim::StreamOutcome http_status(int status, std::optional<std::chrono::milliseconds> retry_after) {
  return {.ec = fim::error::http_status,
          .message = "HTTP " + std::to_string(status),
          .status = status,
          .retry_after = retry_after};
}

fim::StreamOutcome failed(fim::error e) {
  return {.ec = e, .message = make_error_code(e).message()};
}

} // namespace fimlsp::test
