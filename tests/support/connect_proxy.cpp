#include "support/connect_proxy.hpp"
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <openssl/evp.h>
#include <thread>

namespace fimlsp::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// One client connection and, once known, the connection to where it asked to go.
struct Link {
  explicit Link(tcp::socket c) : client(std::move(c)), upstream(client.get_executor()) {}
  tcp::socket client;
  tcp::socket upstream;
  void close() {
    error_code ec;
    client.shutdown(tcp::socket::shutdown_both, ec);
    client.close(ec);
    upstream.shutdown(tcp::socket::shutdown_both, ec);
    upstream.close(ec);
  }
};

struct Head {
  std::string method, target, version;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string field(std::string_view name) const {
    for (const auto& [k, v] : fields)
      if (std::equal(k.begin(), k.end(), name.begin(), name.end(),
                     [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
        return v;
    return "";
  }
};

Head parse_head(std::string_view text) {
  Head h;
  auto eol = text.find("\r\n");
  const std::string_view line = text.substr(0, eol);
  const auto s1 = line.find(' '), s2 = line.rfind(' ');
  if (s1 != std::string_view::npos && s2 > s1) {
    h.method = line.substr(0, s1);
    h.target = line.substr(s1 + 1, s2 - s1 - 1);
    h.version = line.substr(s2 + 1);
  }
  while (eol != std::string_view::npos) {
    const auto start = eol + 2;
    eol = text.find("\r\n", start);
    const std::string_view f = text.substr(start, eol == std::string_view::npos ? eol : eol - start);
    const auto colon = f.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = f.substr(colon + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    h.fields.emplace_back(std::string(f.substr(0, colon)), std::string(value));
  }
  return h;
}

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string status_reply(int status, const char* reason, const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + extra +
         "Content-Length: 0\r\nConnection: close\r\n\r\n";
}

} // namespace

struct ConnectProxy::Impl {
  ProxyOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  ProxySeen seen;
  std::vector<std::weak_ptr<Link>> links; // io thread only

  template <class F> void update(F&& f) {
    {
      std::lock_guard lock(mutex);
      f(seen);
    }
    changed.notify_all();
  }
};

namespace {

using Impl = ConnectProxy::Impl;

// Copies bytes one way until either side ends, then closes both.
asio::awaitable<void> pump(Impl* im, std::shared_ptr<Link> link, bool from_client) {
  tcp::socket& from = from_client ? link->client : link->upstream;
  tcp::socket& to = from_client ? link->upstream : link->client;
  char buf[16384];
  for (;;) {
    auto [rec, n] = co_await from.async_read_some(asio::buffer(buf), use_tuple);
    if (rec) break;
    if (from_client) im->update([&](ProxySeen& s) { s.client_bytes.append(buf, n); });
    auto [wec, wn] = co_await asio::async_write(to, asio::buffer(buf, n), use_tuple);
    if (wec) break;
  }
  link->close();
}

asio::awaitable<bool> reach(std::shared_ptr<Link> link, const std::string& port_text) {
  int port = 0;
  try {
    port = std::stoi(port_text);
  } catch (...) {
    co_return false;
  }
  auto [ec] = co_await link->upstream.async_connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(port)), use_tuple);
  co_return !ec;
}

asio::awaitable<void> reply_and_close(std::shared_ptr<Link> link, std::string reply) {
  co_await asio::async_write(link->client, asio::buffer(reply), use_tuple);
  link->close();
}

asio::awaitable<void> serve(Impl* im, tcp::socket socket) {
  auto link = std::make_shared<Link>(std::move(socket));
  im->links.push_back(link);
  std::string buf;
  auto [rec, n] =
      co_await asio::async_read_until(link->client, asio::dynamic_buffer(buf), "\r\n\r\n", use_tuple);
  if (rec) co_return link->close();
  const Head head = parse_head(std::string_view(buf).substr(0, n));
  const std::size_t length =
      head.field("Content-Length").empty() ? 0 : std::stoul(head.field("Content-Length"));
  if (buf.size() < n + length && head.method != "CONNECT") {
    const std::size_t missing = n + length - buf.size();
    auto [bec, bn] = co_await asio::async_read(link->client, asio::dynamic_buffer(buf),
                                               asio::transfer_exactly(missing), use_tuple);
    if (bec) co_return link->close();
  }
  im->update([&](ProxySeen& s) {
    s.client_bytes += buf;
    s.request_lines.push_back(head.method + " " + head.target + " " + head.version);
    s.authorizations.push_back(head.field("Proxy-Authorization"));
  });

  // g++ 12: no temporaries or ?: in an expression with co_await, so replies are named first.
  const ProxyOptions& o = im->options;
  const std::string bad_gateway = status_reply(502, "Bad Gateway");
  std::string refusal;
  if (!o.credentials.empty() && head.field("Proxy-Authorization") != "Basic " + base64(o.credentials))
    refusal =
        status_reply(407, "Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"test\"\r\n");
  else if (o.refuse_status)
    refusal = status_reply(o.refuse_status, "Refused");
  else if (head.method != "CONNECT" && !head.target.starts_with("http://"))
    refusal = status_reply(400, "Bad Request");
  if (!refusal.empty()) co_return co_await reply_and_close(link, refusal);

  if (head.method == "CONNECT") {
    const auto colon = head.target.rfind(':');
    const std::string port = colon == std::string::npos ? "" : head.target.substr(colon + 1);
    const bool reached = co_await reach(link, port);
    if (!reached) co_return co_await reply_and_close(link, bad_gateway);
    const std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
    auto [wec, wn] = co_await asio::async_write(link->client, asio::buffer(ok), use_tuple);
    if (wec) co_return link->close();
    im->update([](ProxySeen& s) { ++s.tunnels; });
    if (o.close_after_connect) co_return link->close();
    if (buf.size() > n) { // the client did not wait for the 200
      auto rest = buf.substr(n);
      co_await asio::async_write(link->upstream, asio::buffer(rest), use_tuple);
    }
    asio::co_spawn(im->ioc, pump(im, link, true), asio::detached);
    co_return co_await pump(im, link, false);
  }

  // Absolute form: http://host:port/path -> origin form, one request per upstream connection.
  const std::string scheme = "http://";
  const auto slash = head.target.find('/', scheme.size());
  const std::string authority = head.target.substr(scheme.size(), slash - scheme.size());
  const auto colon = authority.rfind(':');
  const std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  const bool reached = co_await reach(link, port);
  if (!reached) co_return co_await reply_and_close(link, bad_gateway);
  std::string out = head.method + " " + (slash == std::string::npos ? "/" : head.target.substr(slash)) + " " +
                    head.version + "\r\n";
  for (const auto& [k, v] : head.fields)
    if (k != "Proxy-Authorization" && k != "Connection") out += k + ": " + v + "\r\n";
  out += "Connection: close\r\n\r\n" + buf.substr(n, length);
  im->update([&](ProxySeen& s) { s.forwarded.push_back(out); });
  auto [wec, wn] = co_await asio::async_write(link->upstream, asio::buffer(out), use_tuple);
  if (wec) co_return link->close();
  co_return co_await pump(im, link, false);
}

asio::awaitable<void> accept_loop(Impl* im) {
  for (;;) {
    auto [ec, socket] = co_await im->acceptor.async_accept(use_tuple);
    if (ec) co_return;
    asio::co_spawn(im->ioc, serve(im, std::move(socket)), asio::detached);
  }
}

} // namespace

ConnectProxy::ConnectProxy(ProxyOptions options) : impl_(std::make_unique<Impl>()) {
  auto& im = *impl_;
  im.options = std::move(options);
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  im.acceptor.open(ep.protocol());
  im.acceptor.bind(ep);
  im.acceptor.listen();
  asio::co_spawn(im.ioc, accept_loop(&im), asio::detached);
  im.thread = std::thread([&im] { im.ioc.run(); });
}

ConnectProxy::~ConnectProxy() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::uint16_t ConnectProxy::port() const {
  return impl_->acceptor.local_endpoint().port();
}

std::string ConnectProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

std::string ConnectProxy::url_with(const std::string& userinfo) const {
  return "http://" + userinfo + "@127.0.0.1:" + std::to_string(port());
}

ProxySeen ConnectProxy::seen() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

bool ConnectProxy::wait_until(const std::function<bool(const ProxySeen&)>& pred,
                              std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return pred(impl_->seen); });
}

void ConnectProxy::cut() {
  std::promise<void> done;
  asio::post(impl_->ioc, [this, &done] {
    for (auto& weak : impl_->links)
      if (auto link = weak.lock()) link->close();
    impl_->links.clear();
    done.set_value();
  });
  done.get_future().wait();
}

std::string proxied_url(std::uint16_t port, bool tls) {
  return std::string(tls ? "https://" : "http://") + kProxiedHost + ":" + std::to_string(port) + "/v1";
}

} // namespace fimlsp::test
