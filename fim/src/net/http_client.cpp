#include "fimlsp/fim/net/http_client.hpp"
#include "fimlsp/fim/net/tls_context.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace fimlsp::fim {

namespace asio = boost::asio;
using boost::system::error_code;

struct HttpClient::Impl {
  asio::any_io_executor ex;
  Log log;
  ConnectionPool pool;
  ClientStats stats;
  std::optional<std::string> ca_file; // the target's, for its TLS context

  Impl(asio::any_io_executor e, Log l) : ex(e), log(l), pool(e, l) {}

  void say(const std::string& line) {
    if (log) log(line);
  }

  // The TLS context is made when the first connection needs it, not at configure: OpenSSL's
  // start-up and the CA file cost some 3 MB that a server nobody asks yet does not need.
  std::string ensure_tls() {
    const auto& t = pool.target();
    if (!t || !t->endpoint.tls || t->ctx) return "";
    std::string error;
    auto with = std::make_shared<Target>(*t);
    with->ctx = make_tls_context(ca_file, error, [this](const std::string& line) { say(line); });
    if (!with->ctx) return error;
    pool.configure(std::move(with)); // nothing belongs to the target yet: no connection without a context
    return "";
  }

  static asio::awaitable<HttpOutcome> send(std::shared_ptr<Impl> self, HttpRequest request, ResponseSink sink,
                                           asio::cancellation_slot cancel, Clock::time_point deadline) {
    HttpOutcome out;
    if (std::string error = self->ensure_tls(); !error.empty()) {
      out.ec = error::config;
      out.message = std::move(error);
      co_return out;
    }
    // The request belongs to the target it started under, until it ends.
    const std::shared_ptr<const Target> target = self->pool.target();
    if (!target) {
      out.ec = error::config;
      out.message = "no endpoint configured";
      co_return out;
    }
    auto abort = std::make_shared<Abort>();
    if (cancel.is_connected())
      cancel.assign([abort](asio::cancellation_type) { abort->fire(error::cancelled); });
    asio::steady_timer watchdog(self->ex, deadline);
    watchdog.async_wait([abort](error_code ec) {
      if (!ec) abort->fire(error::timeout);
    });
    const auto req = std::make_shared<const HttpRequest>(std::move(request));

    ExchangeResult x;
    std::shared_ptr<Connection> conn;
    for (int attempt = 0; attempt < 2 && !*abort; ++attempt) {
      bool reused = false;
      if (attempt == 0 && !req->own_connection) {
        auto got = co_await self->pool.acquire(target, abort);
        out.handshake_on_path = got.waited;
        conn = std::move(got.conn);
        if (*abort) break;
        reused = conn != nullptr;
      }
      if (!conn) {
        out.handshake_on_path = true;
        Connected c = co_await self->pool.open(target, abort);
        if (c.ec) {
          x.ec = c.ec;
          x.message = std::move(c.message);
          break;
        }
        conn = std::move(c.conn);
      } else {
        ++self->stats.reused;
      }
      ++self->stats.requests;
      x = co_await exchange(conn, req, sink, abort);
      // A reused connection the server closed while idle fails before any response byte.
      const bool stale = reused && !x.got_response && x.ec == error::network;
      if (!*abort && stale) {
        conn->close();
        conn.reset();
        self->say("idle connection was closed by the server; retrying on a new one");
        continue;
      }
      break;
    }
    watchdog.cancel();
    abort->interrupt_with({}); // the connection may go back to the pool: nothing may close it now
    if (cancel.is_connected()) cancel.clear();

    if (*abort) {
      out.ec = abort->reason();
      out.message = abort->reason() == error::cancelled
                        ? "request cancelled"
                        : "no complete reply from " + target->endpoint.host +
                              (target->proxy ? " through the proxy " + target->proxy->shown : "") +
                              " before the deadline";
    } else {
      out.ec = x.ec;
      out.message = std::move(x.message);
    }
    out.status = x.status;
    out.stopped = x.stopped && !*abort;
    // Plain HTTP through a proxy: a 407 is the proxy's, not the endpoint's.
    if (!out.ec && x.status == 407 && target->proxy && !target->endpoint.tls) {
      out.ec = error::proxy;
      out.message = proxy_refusal(*target->proxy, target->endpoint.host + ":" + target->endpoint.port, 407,
                                  "Proxy Authentication Required");
    }
    if (conn) {
      // A cancelled, stopped or broken reply leaves the connection mid-reply: never reuse it.
      if (!*abort && x.reusable && !x.stopped && !x.ec)
        self->pool.release(conn);
      else
        conn->close();
    }
    self->pool.prewarm();
    co_return out;
  }
};

HttpClient::HttpClient(asio::any_io_executor ex, Log log)
    : impl_(std::make_shared<Impl>(ex, std::move(log))) {}

HttpClient::~HttpClient() {
  impl_->pool.configure(nullptr); // requests still in flight finish without the pool
}

std::string HttpClient::configure(const Endpoint& endpoint, const std::optional<std::string>& ca_file,
                                  std::optional<Proxy> proxy) {
  auto& im = *impl_;
  im.pool.configure(nullptr);
  auto target = std::make_shared<Target>();
  target->endpoint = endpoint;
  target->proxy = std::move(proxy);
  // A CA file that cannot be read is told now; its certificates are read with the context.
  if (endpoint.tls && ca_file && !ca_file->empty() && !std::ifstream(*ca_file))
    return "cannot read endpoint.caFile " + *ca_file + ": " + std::strerror(errno);
  im.ca_file = ca_file;
  im.pool.configure(std::move(target));
  return "";
}

const Endpoint* HttpClient::endpoint() const {
  const auto& t = impl_->pool.target();
  return t ? &t->endpoint : nullptr;
}

void HttpClient::prewarm() {
  if (std::string error = impl_->ensure_tls(); !error.empty()) return impl_->say("no warm-up: " + error);
  impl_->pool.prewarm();
}

asio::awaitable<HttpOutcome> HttpClient::send(HttpRequest request, ResponseSink sink,
                                              asio::cancellation_slot cancel, Clock::time_point deadline) {
  return Impl::send(impl_, std::move(request), std::move(sink), cancel, deadline);
}

ClientStats HttpClient::stats() const {
  ClientStats s = impl_->stats;
  s.handshakes = impl_->pool.handshakes();
  return s;
}

} // namespace fimlsp::fim
