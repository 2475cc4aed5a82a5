#pragma once
// Streams completions over HTTP/1.1 (TLS or plain), with keep-alive connections and a warm
// spare connection so that no request waits for a handshake.
#include "fimlsp/fim/error.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::fim {

using Clock = std::chrono::steady_clock;

struct HttpOutcome {
  boost::system::error_code ec;                         // in the fim category; empty on success
  int status = 0;                                       // HTTP status when one was received
  std::string message;                                  // one line for logs; never contains the API key
  std::optional<std::chrono::milliseconds> retry_after; // from Retry-After / retry-after-ms on 429/503
  bool stopped_early = false;                           // on_text asked to stop; the connection was closed
  bool handshake_on_path = false;                       // this request had to wait for a new connection
};

struct ClientStats {
  std::size_t handshakes = 0; // TCP (+TLS) connections established
  std::size_t requests = 0;   // requests sent
  std::size_t reused = 0;     // requests sent on a connection that had served before or was pre-warmed
};

class CompletionClient {
public:
  using Log = std::function<void(std::string_view)>;
  explicit CompletionClient(boost::asio::any_io_executor ex, Log log = {});
  ~CompletionClient();
  CompletionClient(const CompletionClient&) = delete;
  CompletionClient& operator=(const CompletionClient&) = delete;

  // Points the client at an endpoint: rebuilds the TLS context (system trust store via
  // set_default_verify_paths, plus ca_file), drops idle connections. Returns "" or an error.
  std::string configure(const Endpoint& endpoint, const std::optional<std::string>& ca_file);

  // Keeps one idle connection ready (connect + TLS handshake in the background); called after
  // configure and whenever a connection is spent.
  void prewarm();

  // POSTs `body` to the endpoint with "Authorization: Bearer <api_key>" (never over plain
  // HTTP to a non-loopback host) and streams the answer: SSE when the reply is
  // text/event-stream, else one JSON reply. Each piece of text goes to on_text; when it
  // returns false the stream is closed at once (stopped_early). Emitting `cancel`'s signal
  // (any type) aborts at once and closes the connection. Everything ends by `deadline`.
  boost::asio::awaitable<HttpOutcome> stream(std::string body, std::string api_key,
                                             std::function<bool(std::string_view text)> on_text,
                                             boost::asio::cancellation_slot cancel,
                                             Clock::time_point deadline);

  const ClientStats& stats() const;

private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

} // namespace fimlsp::fim
