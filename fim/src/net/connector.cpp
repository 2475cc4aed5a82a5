#include "connection_io.hpp"
#include "proxy_tunnel.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>
#include <openssl/ssl.h>
#include <openssl/x509.h>
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

std::string Connection::peer_address() const {
  error_code ec;
  const auto ep = io_->lowest().socket().remote_endpoint(ec);
  if (ec) return "";
  const auto address = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(ep.port());
}

std::optional<PeerCertificate> peer_certificate(Connection& c) {
  auto& io = c.io();
  if (!io.tls) return std::nullopt;
  SSL* ssl = io.tls->native_handle();
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert) return std::nullopt;
  auto name = [](X509_NAME* n) {
    BIO* bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return out;
  };
  PeerCertificate p;
  p.protocol = SSL_get_version(ssl);
  p.subject = name(X509_get_subject_name(cert));
  p.issuer = name(X509_get_issuer_name(cert));
  const ASN1_TIME* not_after = X509_get0_notAfter(cert);
  std::tm tm{};
  if (ASN1_TIME_to_tm(not_after, &tm)) {
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    p.not_after = buf;
  }
  int days = 0, seconds = 0;
  if (ASN1_TIME_diff(&days, &seconds, nullptr, not_after)) p.days_left = days;
  return p;
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

// Through a proxy, what fails on the way to it is the proxy's to fix.
Connected unreachable(const Target& t, ConnectStage stage, const std::string& what, const error_code& ec) {
  const Endpoint& ep = t.endpoint;
  if (!t.proxy)
    return Connected{error::connect, what + " " + ep.host + ":" + ep.port + ": " + ec.message(), nullptr,
                     stage};
  const Proxy& p = *t.proxy;
  return Connected{error::proxy,
                   what + " the proxy " + p.shown.substr(7) + " (from " + p.source + "): " + ec.message() +
                       ": check the proxy's address in " + p.source +
                       ", or set endpoint.proxy to \"\" to connect without it",
                   nullptr, stage};
}

// A TLS handshake inside a tunnel that the peer ended without a word: the proxy closed it.
bool tunnel_closed(const Target& t, Connection::Io& io, const error_code& ec) {
  return t.proxy && !io.hostname_mismatch && SSL_get_verify_result(io.tls->native_handle()) == X509_V_OK &&
         (ec == asio::ssl::error::stream_truncated || ec == asio::error::eof ||
          ec == asio::error::connection_reset || ec == asio::error::broken_pipe);
}

} // namespace

asio::awaitable<Connected> connect(asio::any_io_executor ex, std::shared_ptr<const Target> target,
                                   std::shared_ptr<Abort> abort) {
  const Endpoint& ep = target->endpoint;
  const Proxy* proxy = target->proxy ? &*target->proxy : nullptr;
  tcp::resolver resolver(ex);
  abort->interrupt_with([&resolver] { resolver.cancel(); });
  auto [rec, results] = co_await resolver.async_resolve(proxy ? proxy->host : ep.host,
                                                        proxy ? proxy->port : ep.port, use_tuple);
  abort->interrupt_with({});
  if (*abort) co_return Connected{abort->reason(), {}, nullptr, ConnectStage::resolve};
  if (rec && !proxy)
    co_return Connected{error::connect, "cannot resolve " + ep.host + ": " + rec.message(), nullptr,
                        ConnectStage::resolve};
  if (rec) co_return unreachable(*target, ConnectStage::resolve, "cannot resolve", rec); // the proxy's name

  auto io = std::make_unique<Connection::Io>();
  if (ep.tls)
    io->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ex, *target->ctx);
  else
    io->plain = std::make_unique<beast::tcp_stream>(ex);
  auto c = std::make_shared<Connection>(target, std::move(io));
  abort->interrupt_with([c] { c->close(); });
  auto [cec, used] = co_await c->io().lowest().async_connect(results, use_tuple);
  if (*abort) co_return Connected{abort->reason(), {}, nullptr, ConnectStage::connect};
  if (cec) co_return unreachable(*target, ConnectStage::connect, "cannot connect to", cec);
  c->io().lowest().socket().set_option(tcp::no_delay(true));

  // An http:// endpoint goes through the proxy as absolute-form requests: no tunnel.
  if (proxy && ep.tls) {
    TunnelResult t = co_await open_tunnel(c->io().lowest(), *proxy, ep, abort);
    if (t.ec) co_return Connected{t.ec, std::move(t.message), nullptr, ConnectStage::proxy};
  }

  if (c->io().tls) {
    if (prepare_tls(c, ep.host))
      co_return Connected{error::tls, "TLS: cannot set SNI host name " + ep.host, nullptr, ConnectStage::tls};
    auto [hec] = co_await c->io().tls->async_handshake(ssl::stream_base::client, use_tuple);
    if (*abort) co_return Connected{abort->reason(), {}, nullptr, ConnectStage::tls};
    if (hec && tunnel_closed(*target, c->io(), hec))
      co_return Connected{error::proxy,
                          "the proxy " + proxy->shown + " (from " + proxy->source +
                              ") closed the tunnel to " + authority(ep) + " during the TLS handshake (" +
                              hec.message() + "): check that it allows CONNECT to " + authority(ep) +
                              ", or set endpoint.proxy to \"\" if the endpoint is reachable without it",
                          nullptr, ConnectStage::proxy};
    if (hec)
      co_return Connected{error::tls, tls_failure_text(c->io(), hec, ep.host), nullptr, ConnectStage::tls};
  }
  co_return Connected{{}, {}, std::move(c)};
}

} // namespace fimlsp::fim
