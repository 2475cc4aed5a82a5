#pragma once
// Sends HTTP requests to the configured endpoint over the pool's connections and streams the
// replies into a sink; a stale keep-alive connection is retried once on a new one.
#include "fimlsp/fim/net/http_stream.hpp"
#include "fimlsp/fim/net/pool.hpp"
#include <boost/asio/cancellation_signal.hpp>
#include <chrono>
#include <optional>

namespace fimlsp::fim {

using Clock = std::chrono::steady_clock;

struct HttpOutcome {
  boost::system::error_code ec;   // cancelled, timeout, connect, tls, network, malformed, config;
                                  // empty when the reply was read to its end or the sink stopped it
  std::string message;            // for logs
  int status = 0;                 // HTTP status when one was received
  bool stopped = false;           // the sink returned false; the connection was closed
  bool handshake_on_path = false; // this request had to wait for a new connection
};

struct ClientStats {
  std::size_t handshakes = 0; // TCP (+TLS) connections established
  std::size_t requests = 0;   // requests sent
  std::size_t reused = 0;     // requests sent on a connection that had served before or was pre-warmed
};

class HttpClient {
public:
  using Log = ConnectionPool::Log;
  explicit HttpClient(boost::asio::any_io_executor ex, Log log = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Points the client at an endpoint, reached through `proxy` when there is one: a new TLS
  // context (system trust store via set_default_verify_paths, plus ca_file), and what belonged
  // to the previous endpoint or proxy is dropped. Returns "" or an error.
  std::string configure(const Endpoint& endpoint, const std::optional<std::string>& ca_file,
                        std::optional<Proxy> proxy = std::nullopt);
  const Endpoint* endpoint() const; // null until configured, and after a failed configure

  // Keeps one idle connection ready (connect + TLS handshake in the background).
  void prewarm();

  // Sends `request` and streams its reply into `sink`. Emitting `cancel`'s signal (any type)
  // aborts at once; everything ends by `deadline`. Either closes the connection.
  boost::asio::awaitable<HttpOutcome> send(HttpRequest request, ResponseSink sink,
                                           boost::asio::cancellation_slot cancel, Clock::time_point deadline);

  ClientStats stats() const;

private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

} // namespace fimlsp::fim
