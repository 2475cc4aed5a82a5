#include "fimlsp/fim/net/http_client.hpp"
#include "fimlsp/fim/net/sse.hpp"
#include "fimlsp/fim/net/tls_context.hpp"
#include "fimlsp/fim/providers/retry_after.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>
#include <vector>

namespace fimlsp::fim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr std::size_t max_idle = 2;
constexpr auto prewarm_timeout = std::chrono::seconds(10);
constexpr std::size_t max_error_body = 64 * 1024;

// One HTTP/1.1 connection, TLS or plain.
struct Conn {
  std::shared_ptr<ssl::context> ctx; // outlives the SSL* made from it
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  std::unique_ptr<beast::tcp_stream> plain;
  beast::flat_buffer buffer;
  std::uint64_t generation = 0;
  bool hostname_mismatch = false; // set by the verify callback, for the error message

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  void close() {
    error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().socket().close(ec);
  }
  // An idle connection the server has closed shows EOF without blocking.
  bool peer_closed() {
    auto& s = lowest().socket();
    if (!s.is_open()) return true;
    char c;
    const auto n = ::recv(s.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }
};

// What ends a request from outside: the caller's cancellation or the deadline. Closing the
// socket is the one abort that works for every Beast 1.81 operation, TLS or not.
struct Abort {
  error_code reason; // set once, by the first fire()
  std::shared_ptr<Conn> conn;
  tcp::resolver* resolver = nullptr;
  asio::steady_timer* waiting = nullptr; // waiting for the prewarm in flight
  void fire(error why) {
    if (reason) return;
    reason = why;
    if (resolver) resolver->cancel();
    if (waiting) waiting->cancel();
    if (conn) conn->close();
  }
};

struct Result {
  error_code failure;
  std::string message;
};

std::string one_line(std::string s, std::size_t max = 200) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

std::string tls_failure_text(Conn& c, const error_code& ec, const std::string& host) {
  if (c.hostname_mismatch)
    return "TLS: hostname mismatch: the certificate presented is not valid for " + host;
  if (c.tls) {
    const long v = SSL_get_verify_result(c.tls->native_handle());
    if (v != X509_V_OK)
      return "TLS: certificate verify failed: " + std::string(X509_verify_cert_error_string(v)) + " (" +
             host + ")";
  }
  return "TLS handshake with " + host + " failed: " + ec.message();
}

std::optional<std::chrono::milliseconds> retry_after(const http::fields& h) {
  return parse_retry_after(h["retry-after-ms"], h[http::field::retry_after],
                           std::chrono::system_clock::now());
}

// What connections are made to: one configuration's endpoint and TLS context. A connection
// attempt holds its own, so a configuration change cannot pull either from under it.
struct Target {
  Endpoint endpoint;
  std::shared_ptr<ssl::context> ctx; // null for http://
  std::uint64_t generation = 0;
};

} // namespace

struct CompletionClient::Impl : std::enable_shared_from_this<CompletionClient::Impl> {
  asio::any_io_executor ex;
  Log log;
  std::shared_ptr<const Target> target; // null until configured, and after a failed configure
  bool stopped = false;
  std::uint64_t generation = 0;
  std::vector<std::shared_ptr<Conn>> idle;
  std::shared_ptr<Abort> warming;                // the prewarm in flight, for the current target
  std::shared_ptr<asio::steady_timer> warm_done; // cancelled when that prewarm ends
  ClientStats stats;

  void say(const std::string& line) {
    if (log) log(line);
  }

  // An idle connection to `gen`'s endpoint (connections of other generations are closed).
  std::shared_ptr<Conn> take_idle(std::uint64_t gen) {
    while (!idle.empty()) {
      auto c = std::move(idle.back());
      idle.pop_back();
      if (c->generation == gen && gen == generation && !c->peer_closed()) return c;
      c->close();
    }
    return nullptr;
  }

  void give_back(std::shared_ptr<Conn> c) {
    if (stopped || c->generation != generation) return c->close();
    idle.push_back(std::move(c));
    while (idle.size() > max_idle) {
      idle.front()->close();
      idle.erase(idle.begin());
    }
  }

  // Resolve, connect, TLS handshake with SNI and host name verification.
  static asio::awaitable<Result> open(std::shared_ptr<Impl> self, std::shared_ptr<const Target> target,
                                      std::shared_ptr<Abort> abort) {
    const Endpoint& ep = target->endpoint;
    tcp::resolver resolver(self->ex);
    abort->resolver = &resolver;
    auto [rec, results] = co_await resolver.async_resolve(ep.host, ep.port, use_tuple);
    abort->resolver = nullptr;
    if (abort->reason) co_return Result{abort->reason, {}};
    if (rec) co_return Result{error::connect, "cannot resolve " + ep.host + ": " + rec.message()};

    auto c = std::make_shared<Conn>();
    c->generation = target->generation;
    if (ep.tls) {
      c->ctx = target->ctx;
      c->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(self->ex, *c->ctx);
    } else {
      c->plain = std::make_unique<beast::tcp_stream>(self->ex);
    }
    abort->conn = c;
    auto [cec, ep_used] = co_await c->lowest().async_connect(results, use_tuple);
    if (abort->reason) co_return Result{abort->reason, {}};
    if (cec)
      co_return Result{error::connect, "cannot connect to " + ep.host + ":" + ep.port + ": " + cec.message()};
    c->lowest().socket().set_option(tcp::no_delay(true));

    if (c->tls) {
      error_code not_ip;
      asio::ip::make_address(ep.host, not_ip);
      const bool is_ip = !not_ip;
      // SNI carries host names only (RFC 6066).
      if (!is_ip && !SSL_set_tlsext_host_name(c->tls->native_handle(), ep.host.c_str()))
        co_return Result{error::tls, "TLS: cannot set SNI host name " + ep.host};
      c->tls->set_verify_mode(ssl::verify_peer);
      std::weak_ptr<Conn> weak = c;
      c->tls->set_verify_callback([check = ssl::host_name_verification(ep.host),
                                   weak](bool preverified, ssl::verify_context& vc) mutable {
        if (!preverified) return false;
        const bool ok = check(preverified, vc);
        if (!ok)
          if (auto conn = weak.lock()) conn->hostname_mismatch = true;
        return ok;
      });
      auto [hec] = co_await c->tls->async_handshake(ssl::stream_base::client, use_tuple);
      if (abort->reason) co_return Result{abort->reason, {}};
      if (hec) co_return Result{error::tls, tls_failure_text(*c, hec, ep.host)};
    }
    ++self->stats.handshakes;
    co_return Result{};
  }

  static asio::awaitable<void> warm(std::shared_ptr<Impl> self, std::shared_ptr<const Target> target,
                                    std::shared_ptr<Abort> abort, std::shared_ptr<asio::steady_timer> done) {
    asio::steady_timer watchdog(self->ex, prewarm_timeout);
    watchdog.async_wait([abort](error_code ec) {
      if (!ec) abort->fire(error::timeout);
    });
    Result r = co_await open(self, target, abort);
    watchdog.cancel();
    if (self->warming == abort) self->warming.reset();
    if (!r.failure) {
      self->give_back(abort->conn);
    } else if (!self->stopped && abort->reason != error::cancelled) { // not dropped by configure
      if (abort->conn) abort->conn->close();
      self->say("prewarm failed: " + (r.message.empty() ? r.failure.message() : r.message));
    }
    if (self->warm_done == done) self->warm_done.reset();
    done->cancel(); // wakes requests waiting for this connection
  }

  void prewarm() {
    if (!target || stopped || warming || !idle.empty()) return;
    warming = std::make_shared<Abort>();
    warm_done = std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max());
    asio::co_spawn(ex, warm(shared_from_this(), target, warming, warm_done), asio::detached);
  }

  // Ends what belongs to the previous target: idle connections and the warm-up in flight
  // (requests waiting for it wake and open a connection of their own).
  void drop_connections() {
    ++generation;
    for (auto& c : idle)
      c->close();
    idle.clear();
    if (warming) warming->fire(error::cancelled);
    warming.reset();
    if (warm_done) warm_done->cancel();
    warm_done.reset();
  }

  struct Exchange {
    Result result;
    int status = 0;
    std::optional<std::chrono::milliseconds> retry_after;
    bool got_response = false; // any response byte: from here on a retry could duplicate work
    bool stopped_early = false;
    bool reusable = false;
  };

  // Writes the request and reads the reply on one connection.
  template <class Stream>
  static asio::awaitable<Exchange> exchange(Stream& s, Conn& c, const http::request<http::string_body>& req,
                                            const std::function<bool(std::string_view)>& on_text,
                                            Abort& abort) {
    Exchange x;
    auto [wec, wn] = co_await http::async_write(s, req, use_tuple);
    if (wec) {
      x.result = {error::network, "sending the request failed: " + wec.message()};
      co_return x;
    }
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    auto [hec, hn] = co_await http::async_read_header(s, c.buffer, parser, use_tuple);
    x.got_response = parser.got_some();
    if (hec) {
      x.result = {hec == http::error::end_of_stream || !x.got_response ? error::network : error::malformed,
                  "reading the reply failed: " + hec.message()};
      co_return x;
    }
    const auto& head = parser.get();
    x.status = static_cast<int>(head.result_int());
    const bool ok = x.status / 100 == 2;
    const bool sse = beast::iequals(head[http::field::content_type].substr(0, 17), "text/event-stream");

    std::string whole; // a JSON reply or an error body
    SseParser sse_parser;
    bool done = false, finished = false;
    std::optional<Result> payload_failure;
    auto on_payload = [&](std::string_view data) {
      if (payload_failure || x.stopped_early) return;
      CompletionPayload p = decode_payload(data);
      if (p.error) {
        payload_failure = Result{p.malformed ? error::malformed : error::backend,
                                 (p.malformed ? "" : "the backend reported an error: ") + *p.error};
        return;
      }
      if (p.done) done = true;
      if (p.finish_reason) finished = true;
      if (!p.text.empty() && !on_text(p.text)) x.stopped_early = true;
    };

    char chunk[8192];
    while (!parser.is_done()) {
      parser.get().body().data = chunk;
      parser.get().body().size = sizeof chunk;
      auto [rec, rn] = co_await http::async_read_some(s, c.buffer, parser, use_tuple);
      if (rec == http::error::need_buffer) rec = {};
      if (rec) {
        x.result = {rec == http::error::partial_message || rec == asio::error::eof ||
                            rec == asio::ssl::error::stream_truncated || abort.reason
                        ? error::network
                        : error::malformed,
                    "the reply broke off: " + rec.message()};
        co_return x;
      }
      const std::string_view got(chunk, sizeof chunk - parser.get().body().size);
      if (!ok || !sse) {
        if (whole.size() < max_error_body || ok) whole.append(got);
        continue;
      }
      sse_parser.feed(got, on_payload);
      if (payload_failure) {
        x.result = *payload_failure;
        co_return x;
      }
      if (x.stopped_early) co_return x;
    }

    x.reusable = parser.keep_alive();
    if (!ok) {
      x.retry_after = retry_after(head);
      std::string detail = decode_payload(whole).error.value_or(one_line(whole));
      x.result = {error::http_status, "HTTP " + std::to_string(x.status) + " " + std::string(head.reason()) +
                                          (detail.empty() ? "" : ": " + one_line(detail))};
      co_return x;
    }
    if (!sse) { // a whole JSON reply (stream: false)
      on_payload(whole);
      finished = true;
    } else {
      sse_parser.finish(on_payload);
    }
    if (payload_failure) {
      x.result = *payload_failure;
      x.reusable = false;
    } else if (!x.stopped_early && !done && !finished) {
      x.result = {error::network, "the stream ended before [DONE]"};
      x.reusable = false;
    }
    co_return x;
  }

  static asio::awaitable<HttpOutcome> run(std::shared_ptr<Impl> self, std::string body, std::string api_key,
                                          std::function<bool(std::string_view)> on_text,
                                          asio::cancellation_slot cancel, Clock::time_point deadline) {
    HttpOutcome out;
    // The request belongs to the target it started under, until it ends.
    const std::shared_ptr<const Target> target = self->target;
    if (!target) {
      out.ec = error::config;
      out.message = "no endpoint configured";
      co_return out;
    }
    const Endpoint& ep = target->endpoint;
    if (!ep.tls && !ep.loopback && !api_key.empty()) {
      out.ec = error::config;
      out.message = "refusing to send the API key over plain HTTP to " + ep.host + ": use https://";
      co_return out;
    }

    auto abort = std::make_shared<Abort>();
    if (cancel.is_connected())
      cancel.assign([abort](asio::cancellation_type) { abort->fire(error::cancelled); });
    asio::steady_timer watchdog(self->ex, deadline);
    watchdog.async_wait([abort](error_code ec) {
      if (!ec) abort->fire(error::timeout);
    });

    http::request<http::string_body> req{http::verb::post, ep.target, 11};
    const bool default_port = ep.port == (ep.tls ? "443" : "80");
    const std::string host = ep.host.find(':') != std::string::npos ? "[" + ep.host + "]" : ep.host;
    req.set(http::field::host, default_port ? host : host + ":" + ep.port);
    req.set(http::field::user_agent, "fim-lsp");
    if (!api_key.empty()) req.set(http::field::authorization, "Bearer " + api_key);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "text/event-stream, application/json");
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();

    Exchange x;
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::shared_ptr<Conn> conn = attempt == 0 ? self->take_idle(target->generation) : nullptr;
      if (!conn && attempt == 0 && self->warm_done && self->generation == target->generation) {
        // A connection is being made already: waiting for it is never slower than a new one.
        out.handshake_on_path = true;
        auto done = self->warm_done;
        abort->waiting = done.get();
        co_await done->async_wait(use_tuple);
        abort->waiting = nullptr;
        if (abort->reason) break;
        conn = self->take_idle(target->generation);
      }
      // Keep a spare ready, so that the next request (a newer keystroke, another document)
      // does not wait for a handshake either.
      if (conn && self->generation == target->generation) self->prewarm();
      const bool reused = conn != nullptr;
      if (!conn) {
        out.handshake_on_path = true;
        Result r = co_await open(self, target, abort);
        if (r.failure) {
          x.result = r;
          break;
        }
        conn = abort->conn;
      } else {
        abort->conn = conn;
        ++self->stats.reused;
      }
      ++self->stats.requests;
      // No co_await inside ?: — g++ 12 evaluates both arms.
      if (conn->tls)
        x = co_await exchange(*conn->tls, *conn, req, on_text, *abort);
      else
        x = co_await exchange(*conn->plain, *conn, req, on_text, *abort);
      // A reused connection the server closed while idle fails before any response byte.
      const bool stale = reused && !x.got_response && x.result.failure == error::network;
      if (!abort->reason && stale) {
        conn->close();
        self->say("idle connection was closed by the server; retrying on a new one");
        continue;
      }
      break;
    }
    watchdog.cancel();
    if (cancel.is_connected()) cancel.clear();

    auto conn = abort->conn;
    if (abort->reason) {
      out.ec = abort->reason;
      out.message = abort->reason == error::cancelled
                        ? "request cancelled"
                        : "no complete reply from " + ep.host + " before the deadline";
    } else {
      out.ec = x.result.failure;
      out.message = x.result.message;
    }
    out.status = x.status;
    out.retry_after = x.retry_after;
    out.stopped_early = x.stopped_early && !abort->reason;
    if (conn) {
      // A cancelled, stopped or broken stream leaves the connection mid-reply: never reuse it.
      if (!abort->reason && x.reusable && !x.stopped_early && (!out.ec || out.ec == error::http_status))
        self->give_back(conn);
      else
        conn->close();
    }
    // Never let the key reach a log line, even if a backend echoed it.
    if (api_key.size() >= 4)
      for (auto pos = out.message.find(api_key); pos != std::string::npos; pos = out.message.find(api_key))
        out.message.replace(pos, api_key.size(), "[redacted]");
    self->prewarm();
    co_return out;
  }
};

CompletionClient::CompletionClient(asio::any_io_executor ex, Log log) : impl_(std::make_shared<Impl>()) {
  impl_->ex = std::move(ex);
  impl_->log = std::move(log);
}

CompletionClient::~CompletionClient() {
  impl_->stopped = true;
  for (auto& c : impl_->idle)
    c->close();
  impl_->idle.clear();
  if (impl_->warming) impl_->warming->fire(error::cancelled);
  if (impl_->warm_done) impl_->warm_done->cancel();
}

std::string CompletionClient::configure(const Endpoint& endpoint, const std::optional<std::string>& ca_file) {
  auto& im = *impl_;
  im.drop_connections();
  im.target.reset();
  auto target = std::make_shared<Target>();
  target->endpoint = endpoint;
  target->generation = im.generation;
  if (endpoint.tls) {
    std::string error;
    target->ctx = make_tls_context(ca_file, error, [&im](const std::string& line) { im.say(line); });
    if (!target->ctx) return error;
  }
  im.target = std::move(target);
  return "";
}

void CompletionClient::prewarm() {
  impl_->prewarm();
}

asio::awaitable<HttpOutcome> CompletionClient::stream(std::string body, std::string api_key,
                                                      std::function<bool(std::string_view)> on_text,
                                                      asio::cancellation_slot cancel,
                                                      Clock::time_point deadline) {
  return Impl::run(impl_, std::move(body), std::move(api_key), std::move(on_text), cancel, deadline);
}

const ClientStats& CompletionClient::stats() const {
  return impl_->stats;
}

} // namespace fimlsp::fim
