#include "proxy_tunnel.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace fimlsp::fim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string authority(const Endpoint& ep) {
  const std::string host = ep.host.find(':') != std::string::npos ? "[" + ep.host + "]" : ep.host;
  return host + ":" + ep.port;
}

namespace {

std::string where(const Proxy& p) {
  return "the proxy " + p.shown + " (from " + p.source + ")";
}

} // namespace

asio::awaitable<TunnelResult> open_tunnel(beast::tcp_stream& stream, const Proxy& proxy, const Endpoint& ep,
                                          std::shared_ptr<Abort> abort) {
  const std::string to = authority(ep);
  std::string request = "CONNECT " + to + " HTTP/1.1\r\nHost: " + to + "\r\nUser-Agent: fim-lsp\r\n";
  if (!proxy.authorization.empty()) request += "Proxy-Authorization: " + proxy.authorization + "\r\n";
  request += "\r\n";
  auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(request), use_tuple);
  if (*abort) co_return TunnelResult{abort->reason(), {}};
  if (wec) co_return TunnelResult{error::proxy, where(proxy) + " closed the connection: " + wec.message()};

  // A 2xx answer to CONNECT has no body, whatever its fields say: the tunnel starts right after.
  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  parser.skip(true);
  auto [rec, rn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
  if (*abort) co_return TunnelResult{abort->reason(), {}};
  if (rec)
    co_return TunnelResult{error::proxy, where(proxy) +
                                             " closed the connection instead of answering CONNECT " + to +
                                             " (" + rec.message() + "): check that it is an HTTP proxy " +
                                             "that allows CONNECT, or set endpoint.proxy to \"\""};
  const int status = static_cast<int>(parser.get().result_int());
  if (status / 100 != 2)
    co_return TunnelResult{error::proxy, proxy_refusal(proxy, to, status, parser.get().reason())};
  // The endpoint speaks only after the client's first TLS bytes: anything here is not from it.
  if (buffer.size() != 0)
    co_return TunnelResult{error::proxy,
                           where(proxy) + " sent data into the tunnel to " + to +
                               " before the TLS handshake: it is not a CONNECT proxy fim-lsp can use"};
  co_return TunnelResult{};
}

} // namespace fimlsp::fim
