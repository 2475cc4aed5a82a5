#include "support/test_backend.hpp"
#include "support/temp_dir.hpp"
#include "support/test_backend_shapes.hpp"
#include "support/test_certificates.hpp"
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

namespace fimlsp::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct Watch;

// Everything the server thread shares with the test thread (BackendState is private).
struct BackendState {
  BackendOptions options;
  std::unique_ptr<TempDir> temp;
  std::string ca_path;
  ssl::context tls{ssl::context::tls_server}; // before ioc: sessions die with ioc, then the context
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<RecordedRequest> records;
  std::size_t handshakes = 0;
  std::uint64_t connections = 0;
  std::function<Reply(const RecordedRequest&)> handler;
  // io thread only: release() calls so far, and the watches of replies being held.
  std::uint64_t releases = 0;
  std::vector<std::weak_ptr<Watch>> held;

  template <class F> void update(F&& f) {
    {
      std::lock_guard lock(mutex);
      f();
    }
    changed.notify_all();
  }
};

// Watches the socket while a reply is produced, so a client hang-up is seen at once even
// during a delay; its bytes (the next request, if any) are handed back to the HTTP reader.
struct Watch {
  explicit Watch(asio::any_io_executor ex) : wake(ex) {}
  bool pending = false, done = false;
  error_code ec;
  char byte[512];
  std::size_t got = 0;
  asio::steady_timer wake;
  bool replying = false;
  std::size_t record = 0;
  std::uint64_t release_mark = 0; // releases consumed by this reply's holds
};

constexpr std::string_view malformed_json = "{not json";

// The reply of the status faults, in the route's own error format, or nothing for the others.
std::optional<http::response<http::string_body>> status_reply(Shape shape, const Reply& reply, bool keep,
                                                              std::string_view authorization) {
  http::status status;
  std::string message, code;
  switch (reply.fault) {
  case Fault::Status401:
    status = http::status::unauthorized;
    message = "Incorrect API key provided.";
    code = "invalid_api_key";
    break;
  case Fault::Status401EchoKey:
    status = http::status::unauthorized;
    message = "Incorrect API key provided: " + std::string(authorization);
    code = "invalid_api_key";
    break;
  case Fault::Status429:
    status = http::status::too_many_requests;
    message = "Requests rate limit exceeded.";
    code = "Throttling.RateQuota";
    break;
  case Fault::Status500:
    status = http::status::internal_server_error;
    message = "Internal error.";
    code = "internal_error";
    break;
  case Fault::Status503:
    status = http::status::service_unavailable;
    message = "The service is temporarily unavailable.";
    code = "ServiceUnavailable";
    break;
  case Fault::Redirect:
    status = http::status::found;
    message = "Moved.";
    code = "moved";
    break;
  default:
    return std::nullopt;
  }
  http::response<http::string_body> res{status, 11};
  res.set(http::field::content_type, "application/json");
  const bool may_retry =
      status == http::status::too_many_requests || status == http::status::service_unavailable;
  if (may_retry && !reply.retry_after.empty()) res.set(http::field::retry_after, reply.retry_after);
  if (status == http::status::found)
    res.set(http::field::location, "https://elsewhere.example/v1/completions?key=secret");
  res.keep_alive(keep);
  res.body() = error_body(shape, static_cast<int>(status), message, code);
  return res;
}

template <class Stream> struct Session {
  BackendState& impl;
  std::shared_ptr<Stream> stream;
  std::shared_ptr<Watch> watch;
  std::uint64_t connection;

  tcp::socket& socket() { return beast::get_lowest_layer(*stream).socket(); }
  void close() {
    error_code ec;
    socket().shutdown(tcp::socket::shutdown_both, ec);
    socket().close(ec);
  }
  void hung_up() {
    if (!watch->replying) return;
    const std::size_t i = watch->record;
    impl.update([&] {
      if (!impl.records[i].client_hung_up) impl.records[i].client_hung_up = SteadyClock::now();
    });
  }

  void start_watch() {
    if (watch->pending || watch->done) return;
    watch->pending = true;
    // The handler holds the stream, so it may complete after the session has ended.
    stream->async_read_some(asio::buffer(watch->byte),
                            [s = stream, w = watch, self = *this](error_code ec, std::size_t n) mutable {
                              w->pending = false;
                              w->done = true;
                              w->ec = ec;
                              w->got = n;
                              if (ec) self.hung_up();
                              w->wake.cancel();
                            });
  }

  // Waits `ms` unless the client hangs up first; false when it did.
  asio::awaitable<bool> pause(std::chrono::milliseconds ms) {
    const auto until = SteadyClock::now() + ms;
    while (!(watch->done && watch->ec) && SteadyClock::now() < until) {
      watch->wake.expires_at(until);
      co_await watch->wake.async_wait(use_tuple);
    }
    co_return !(watch->done && watch->ec);
  }

  // Holds the reply until a release() not consumed by an earlier hold; false when the client
  // hung up first.
  asio::awaitable<bool> hold() {
    impl.held.push_back(watch);
    while (!(watch->done && watch->ec) && impl.releases == watch->release_mark) {
      watch->wake.expires_at(asio::steady_timer::time_point::max());
      co_await watch->wake.async_wait(use_tuple);
    }
    watch->release_mark = impl.releases;
    co_return !(watch->done && watch->ec);
  }

  // Waits until the watch completed (the client sent more or closed).
  asio::awaitable<void> settle_watch() {
    while (watch->pending) {
      watch->wake.expires_at(asio::steady_timer::time_point::max());
      co_await watch->wake.async_wait(use_tuple);
    }
  }

  asio::awaitable<bool> write(std::string_view bytes) {
    auto [ec, n] = co_await asio::async_write(*stream, http::make_chunk(asio::buffer(bytes)), use_tuple);
    if (ec) hung_up();
    co_return !ec;
  }

  asio::awaitable<bool> send(http::response<http::string_body> res) {
    res.prepare_payload();
    auto [ec, n] = co_await http::async_write(*stream, res, use_tuple);
    if (ec) hung_up();
    co_return !ec;
  }

  void completed() {
    watch->replying = false;
    const std::size_t i = watch->record;
    impl.update([&] {
      impl.records[i].completed = true;
      impl.records[i].finished = SteadyClock::now();
    });
  }

  // Serves one request in the format of the route it asked for; false when the connection must end.
  asio::awaitable<bool> serve(const http::request<http::string_body>& req, const Reply& reply) {
    const Shape shape = shape_of(req.target());
    bool stream_reply = streams_by_default(shape), include_usage = false;
    error_code jec;
    json::value body = json::parse(req.body(), jec);
    if (!jec && body.is_object()) {
      if (auto* s = body.as_object().if_contains("stream")) stream_reply = s->is_bool() && s->get_bool();
      if (auto* so = body.as_object().if_contains("stream_options"); so && so->is_object())
        if (auto* u = so->as_object().if_contains("include_usage"))
          include_usage = u->is_bool() && u->get_bool();
    }
    const bool keep = req.keep_alive();
    if (auto res = status_reply(shape, reply, keep, req[http::field::authorization])) {
      if (!co_await send(std::move(*res))) co_return false;
      completed();
      co_return keep;
    }
    if (reply.fault == Fault::Drop) co_return false;
    if (reply.fault == Fault::StallHeaders) {
      co_await pause(std::chrono::hours(1));
      co_return false;
    }

    if (!stream_reply) {
      if (!reply.hold_before.empty() && !co_await hold()) co_return false;
      if (!co_await pause(reply.first_delay)) co_return false;
      std::string text;
      for (auto& c : reply.chunks)
        text += c;
      http::response<http::string_body> res{http::status::ok, 11};
      res.set(http::field::content_type, "application/json");
      res.keep_alive(keep);
      res.body() = reply.fault == Fault::MalformedSse ? std::string(malformed_json)
                   : reply.fault == Fault::ErrorChunk
                       ? error_body(shape, 500, "The model is overloaded.", "overloaded")
                       : whole_reply(shape, text, reply.chunks.size());
      if (!co_await send(std::move(res))) co_return false;
      completed();
      co_return keep;
    }

    http::response<http::empty_body> head{http::status::ok, 11};
    head.set(http::field::content_type, stream_content_type(shape));
    head.set(http::field::cache_control, "no-cache");
    head.keep_alive(keep);
    head.chunked(true);
    http::response_serializer<http::empty_body> sr{head};
    auto [hec, hn] = co_await http::async_write_header(*stream, sr, use_tuple);
    if (hec) {
      hung_up();
      co_return false;
    }
    std::string ev = stream_prologue(shape);
    if (!ev.empty() && !co_await write(ev)) co_return false;
    for (std::size_t i = 0; i < reply.chunks.size(); ++i) {
      if (std::find(reply.hold_before.begin(), reply.hold_before.end(), i) != reply.hold_before.end() &&
          !co_await hold())
        co_return false;
      if (!co_await pause(i == 0 ? reply.first_delay : reply.chunk_delay)) co_return false;
      if (i == 1 && reply.fault == Fault::MalformedSse) {
        ev = malformed_event(shape);
        if (!co_await write(ev)) co_return false;
      } else if (i == 1 && reply.fault == Fault::ErrorChunk) {
        ev = error_event(shape);
        if (!co_await write(ev)) co_return false;
        break;
      }
      ev = text_event(shape, reply.chunks[i], i);
      if (!co_await write(ev)) co_return false;
      if (i == 0 && reply.fault == Fault::DropMidStream) co_return false;
      if (i == 0 && reply.fault == Fault::StallMidStream) {
        co_await pause(std::chrono::hours(1));
        co_return false;
      }
    }
    if (reply.fault == Fault::Endless && !reply.chunks.empty()) {
      ev = text_event(shape, reply.chunks.back(), reply.chunks.size());
      for (std::size_t sent = 0; sent < kEndlessLimit; sent += ev.size())
        if (!co_await write(ev)) co_return false;
    }
    if (reply.fault != Fault::ErrorChunk) {
      ev = closing_events(shape, reply.chunks.size(), include_usage);
      if (!co_await write(ev)) co_return false;
    } else if (shape == Shape::Completions || shape == Shape::MistralFim) {
      ev = "data: [DONE]\n\n";
      if (!co_await write(ev)) co_return false;
    }
    auto [lec, ln] = co_await asio::async_write(*stream, http::make_chunk_last(), use_tuple);
    if (lec) {
      hung_up();
      co_return false;
    }
    completed();
    co_return keep;
  }

  asio::awaitable<void> run() {
    beast::flat_buffer buffer;
    for (;;) {
      co_await settle_watch();
      if (watch->done) {
        if (watch->ec) break;
        auto dst = buffer.prepare(watch->got);
        std::memcpy(dst.data(), watch->byte, watch->got);
        buffer.commit(watch->got);
        watch->done = false;
      }
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(*stream, buffer, req, use_tuple);
      if (ec) break;
      RecordedRequest rec;
      rec.method = std::string(req.method_string());
      rec.target = std::string(req.target());
      rec.authorization = std::string(req[http::field::authorization]);
      rec.content_type = std::string(req[http::field::content_type]);
      rec.body = req.body();
      rec.received = SteadyClock::now();
      rec.connection = connection;
      std::function<Reply(const RecordedRequest&)> handler;
      watch->release_mark = impl.releases;
      impl.update([&] {
        watch->record = impl.records.size();
        impl.records.push_back(rec);
        if (!impl.options.record_bodies) impl.records.back().body.clear();
        handler = impl.handler;
      });
      Reply reply;
      if (handler) reply = handler(rec);
      watch->replying = true;
      start_watch();
      if (!co_await serve(req, reply)) break;
    }
    watch->replying = false; // closing our own socket is no client hang-up
    close();
    co_await settle_watch();
  }
};

template <class Stream>
asio::awaitable<void> run_session(BackendState* impl, std::shared_ptr<Stream> stream,
                                  std::uint64_t connection) {
  Session<Stream> s{*impl, stream, std::make_shared<Watch>(stream->get_executor()), connection};
  co_await s.run();
}

asio::awaitable<void> accept_one(BackendState* impl, tcp::socket socket) {
  const std::uint64_t connection = ++impl->connections;
  if (!impl->options.tls) {
    impl->update([&] { ++impl->handshakes; });
    co_await run_session(impl, std::make_shared<beast::tcp_stream>(std::move(socket)), connection);
    co_return;
  }
  auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(socket), impl->tls);
  auto [ec] = co_await stream->async_handshake(ssl::stream_base::server, use_tuple);
  if (ec) co_return;
  impl->update([&] { ++impl->handshakes; });
  co_await run_session(impl, stream, connection);
}

asio::awaitable<void> accept_loop(BackendState* impl) {
  for (;;) {
    auto [ec, socket] = co_await impl->acceptor.async_accept(use_tuple);
    if (ec) co_return;
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(impl->ioc, accept_one(impl, std::move(socket)), asio::detached);
  }
}

} // namespace

struct TestBackend::Impl : BackendState {};

TestBackend::TestBackend(BackendOptions options) : impl_(std::make_unique<Impl>()) {
  auto& im = *impl_;
  im.options = std::move(options);
  std::string dir = im.options.dir;
  if (dir.empty()) {
    im.temp = std::make_unique<TempDir>();
    dir = im.temp->path();
  }
  const TestCertificates certs = make_test_certificates(im.options.wrong_host_certificate);
  im.ca_path = dir + "/ca.pem";
  std::ofstream(im.ca_path, std::ios::binary) << certs.ca_pem;
  if (im.options.tls) {
    im.tls.use_certificate_chain(asio::buffer(certs.server_cert_pem));
    im.tls.use_private_key(asio::buffer(certs.server_key_pem), ssl::context::pem);
  }
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  im.acceptor.open(ep.protocol());
  im.acceptor.set_option(tcp::acceptor::reuse_address(true));
  im.acceptor.bind(ep);
  im.acceptor.listen();
  asio::co_spawn(im.ioc, accept_loop(&im), asio::detached);
  im.thread = std::thread([&im] { im.ioc.run(); });
}

TestBackend::~TestBackend() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::uint16_t TestBackend::port() const {
  return impl_->acceptor.local_endpoint().port();
}

std::string TestBackend::base_url() const {
  return std::string(impl_->options.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port()) +
         "/v1";
}

std::string TestBackend::ca_file() const {
  return impl_->ca_path;
}

void TestBackend::set_handler(std::function<Reply(const RecordedRequest&)> handler) {
  impl_->update([&] { impl_->handler = std::move(handler); });
}

void TestBackend::set_reply(Reply reply) {
  set_handler([reply = std::move(reply)](const RecordedRequest&) { return reply; });
}

void TestBackend::release() {
  asio::post(impl_->ioc, [&im = *impl_] {
    ++im.releases;
    for (auto& w : im.held)
      if (auto watch = w.lock()) watch->wake.cancel();
    im.held.clear();
  });
}

std::vector<RecordedRequest> TestBackend::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->records;
}

std::size_t TestBackend::handshakes() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->handshakes;
}

bool TestBackend::wait_until(const std::function<bool(const std::vector<RecordedRequest>&)>& pred,
                             std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return pred(impl_->records); });
}

} // namespace fimlsp::test
