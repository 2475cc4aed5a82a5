#include "fimlsp/fim/net/http_stream.hpp"
#include "connection_io.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

namespace fimlsp::fim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string_view ResponseHead::field(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (beast::iequals(k, name)) return v;
  return {};
}

namespace {

http::request<http::string_body> serialize(const HttpRequest& r, const Target& t) {
  const Endpoint& ep = t.endpoint;
  http::verb verb = http::string_to_verb(r.method);
  http::request<http::string_body> req;
  if (verb == http::verb::unknown)
    req.method_string(r.method);
  else
    req.method(verb);
  const bool default_port = ep.port == (ep.tls ? "443" : "80");
  const std::string host = ep.host.find(':') != std::string::npos ? "[" + ep.host + "]" : ep.host;
  const std::string host_field = default_port ? host : host + ":" + ep.port;
  // Plain HTTP through a proxy: the absolute form names the endpoint (HTTPS goes through a tunnel).
  const bool absolute = t.proxy && !ep.tls;
  req.target((absolute ? "http://" + host_field : "") + request_target(ep, r.path));
  req.version(11);
  req.set(http::field::host, host_field);
  req.set(http::field::user_agent, "fim-lsp");
  if (absolute && !t.proxy->authorization.empty())
    req.set(http::field::proxy_authorization, t.proxy->authorization);
  for (const auto& [name, value] : r.headers)
    req.insert(name, value);
  req.keep_alive(true);
  req.body() = r.body;
  req.prepare_payload();
  return req;
}

ResponseHead head_of(const http::response_header<>& h) {
  ResponseHead head;
  head.status = static_cast<int>(h.result_int());
  head.reason = std::string(h.reason());
  for (const auto& f : h)
    head.fields.emplace_back(std::string(f.name_string()), std::string(f.value()));
  return head;
}

template <class Stream>
asio::awaitable<ExchangeResult> run(Stream& s, beast::flat_buffer& buffer,
                                    http::request<http::string_body> req, ResponseSink sink,
                                    std::shared_ptr<Abort> abort) {
  ExchangeResult x;
  auto [wec, wn] = co_await http::async_write(s, req, use_tuple);
  if (wec) {
    x.ec = error::network;
    x.message = "sending the request failed: " + wec.message();
    co_return x;
  }
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  auto [hec, hn] = co_await http::async_read_header(s, buffer, parser, use_tuple);
  x.got_response = parser.got_some();
  if (hec) {
    x.ec = hec == http::error::end_of_stream || !x.got_response ? error::network : error::malformed;
    x.message = "reading the reply failed: " + hec.message();
    co_return x;
  }
  x.status = static_cast<int>(parser.get().result_int());
  if (sink.on_head && !sink.on_head(head_of(parser.get().base()))) {
    x.stopped = true;
    co_return x;
  }

  // buffer_body: a read may end at a chunk boundary with no body bytes (need_buffer, or n = 0),
  // so the loop runs until the parser says the message is done.
  char chunk[8192];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof chunk;
    auto [rec, rn] = co_await http::async_read_some(s, buffer, parser, use_tuple);
    if (rec == http::error::need_buffer) rec = {};
    if (rec) {
      const bool broke = rec == http::error::partial_message || rec == asio::error::eof ||
                         rec == asio::ssl::error::stream_truncated || *abort;
      x.ec = broke ? error::network : error::malformed;
      x.message = "the reply broke off: " + rec.message();
      co_return x;
    }
    const std::string_view got(chunk, sizeof chunk - parser.get().body().size);
    if (sink.on_body && !sink.on_body(got)) {
      x.stopped = true;
      co_return x;
    }
  }
  x.reusable = parser.keep_alive();
  co_return x;
}

} // namespace

asio::awaitable<ExchangeResult> exchange(std::shared_ptr<Connection> conn,
                                         std::shared_ptr<const HttpRequest> request, ResponseSink sink,
                                         std::shared_ptr<Abort> abort) {
  abort->interrupt_with([conn] { conn->close(); });
  auto req = serialize(*request, *conn->target());
  auto& io = conn->io();
  // No co_await inside ?: — g++ 12 evaluates both arms.
  if (io.tls) co_return co_await run(*io.tls, io.buffer, std::move(req), std::move(sink), abort);
  co_return co_await run(*io.plain, io.buffer, std::move(req), std::move(sink), abort);
}

} // namespace fimlsp::fim
