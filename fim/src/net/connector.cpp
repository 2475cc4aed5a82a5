#include "connection_io.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

namespace fimlsp::fim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

Connection::Connection(std::shared_ptr<const Target> target, std::unique_ptr<Io> io)
    : target_(std::move(target)), io_(std::move(io)) {}

Connection::~Connection() = default;

void Connection::close() {
  error_code ec;
  io_->lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
  io_->lowest().socket().close(ec);
}

bool Connection::peer_closed() {
  auto& s = io_->lowest().socket();
  if (!s.is_open()) return true;
  char c;
  const auto n = ::recv(s.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

namespace {

std::string tls_failure_text(Connection::Io& io, const error_code& ec, const std::string& host) {
  if (io.hostname_mismatch)
    return "TLS: hostname mismatch: the certificate presented is not valid for " + host;
  const long v = SSL_get_verify_result(io.tls->native_handle());
  if (v != X509_V_OK)
    return "TLS: certificate verify failed: " + std::string(X509_verify_cert_error_string(v)) + " (" + host +
           ")";
  return "TLS handshake with " + host + " failed: " + ec.message();
}

// SNI (host names only, RFC 6066), verify_peer, and the host name check that Beast's own
// example leaves out; the callback records a mismatch so that the message can say so.
error_code prepare_tls(const std::shared_ptr<Connection>& c, const std::string& host) {
  auto& tls = *c->io().tls;
  error_code not_ip;
  asio::ip::make_address(host, not_ip);
  if (not_ip && !SSL_set_tlsext_host_name(tls.native_handle(), host.c_str())) return error::tls;
  tls.set_verify_mode(ssl::verify_peer);
  std::weak_ptr<Connection> weak = c;
  tls.set_verify_callback(
      [check = ssl::host_name_verification(host), weak](bool preverified, ssl::verify_context& vc) mutable {
        if (!preverified) return false;
        const bool ok = check(preverified, vc);
        if (!ok)
          if (auto conn = weak.lock()) conn->io().hostname_mismatch = true;
        return ok;
      });
  return {};
}

} // namespace

asio::awaitable<Connected> connect(asio::any_io_executor ex, std::shared_ptr<const Target> target,
                                   std::shared_ptr<Abort> abort) {
  const Endpoint& ep = target->endpoint;
  tcp::resolver resolver(ex);
  abort->interrupt_with([&resolver] { resolver.cancel(); });
  auto [rec, results] = co_await resolver.async_resolve(ep.host, ep.port, use_tuple);
  abort->interrupt_with({});
  if (*abort) co_return Connected{abort->reason(), {}, nullptr};
  if (rec) co_return Connected{error::connect, "cannot resolve " + ep.host + ": " + rec.message(), nullptr};

  auto io = std::make_unique<Connection::Io>();
  if (ep.tls)
    io->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ex, *target->ctx);
  else
    io->plain = std::make_unique<beast::tcp_stream>(ex);
  auto c = std::make_shared<Connection>(target, std::move(io));
  abort->interrupt_with([c] { c->close(); });
  auto [cec, used] = co_await c->io().lowest().async_connect(results, use_tuple);
  if (*abort) co_return Connected{abort->reason(), {}, nullptr};
  if (cec)
    co_return Connected{error::connect, "cannot connect to " + ep.host + ":" + ep.port + ": " + cec.message(),
                        nullptr};
  c->io().lowest().socket().set_option(tcp::no_delay(true));

  if (c->io().tls) {
    if (prepare_tls(c, ep.host))
      co_return Connected{error::tls, "TLS: cannot set SNI host name " + ep.host, nullptr};
    auto [hec] = co_await c->io().tls->async_handshake(ssl::stream_base::client, use_tuple);
    if (*abort) co_return Connected{abort->reason(), {}, nullptr};
    if (hec) co_return Connected{error::tls, tls_failure_text(c->io(), hec, ep.host), nullptr};
  }
  co_return Connected{{}, {}, std::move(c)};
}

} // namespace fimlsp::fim
