#pragma once
// What the engine streams completions from: the backend (HTTP client + provider) in the
// server and `complete`, a fake in the engine's tests.
#include "fimlsp/fim/error.hpp"
#include "fimlsp/fim/plan.hpp"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::fim {

using Clock = std::chrono::steady_clock;

struct Usage {
  std::uint64_t prompt_tokens = 0;
  std::uint64_t completion_tokens = 0;
};

struct StreamOutcome {
  boost::system::error_code ec;                         // empty: the stream ended normally
  std::string message;                                  // one line for logs; never holds the API key
  int status = 0;                                       // HTTP status when one was received
  std::optional<std::chrono::milliseconds> retry_after; // validated, within kMaxRetryAfter
  std::optional<Usage> usage;                           // when the backend reported it
  bool stopped_early = false;                           // on_text asked to stop; the stream was closed
  bool handshake_on_path = false;                       // the request waited for a new connection
};

class CompletionStream {
public:
  // Each piece of text as it arrives; returning false closes the stream at once.
  using OnText = std::function<bool(std::string_view)>;

  virtual ~CompletionStream() = default;
  // Points the stream at the settings' endpoint, dropping what belonged to the previous one.
  // `diagnostics` says what is wrong, for the user.
  virtual boost::system::error_code configure(const Settings& settings, std::string& diagnostics) = 0;
  // Keeps a connection ready so that the next request does not wait for a handshake.
  virtual void prewarm() = 0;
  // Streams the plan's completion. Emitting `cancel`'s signal aborts at once (ec = cancelled);
  // everything ends by `deadline` (ec = timeout).
  virtual boost::asio::awaitable<StreamOutcome> stream(CompletionPlan plan, std::string api_key,
                                                       OnText on_text, boost::asio::cancellation_slot cancel,
                                                       Clock::time_point deadline) = 0;
};

} // namespace fimlsp::fim
