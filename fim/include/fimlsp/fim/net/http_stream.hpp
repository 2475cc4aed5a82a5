#pragma once
// One HTTP/1.1 exchange on a connection: the request out; the reply's head, then its body bytes
// as they arrive, to a sink. Knows nothing of what the body holds.
#include "fimlsp/fim/net/connector.hpp"
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fimlsp::fim {

struct HttpRequest {
  std::string method = "POST";
  std::string path; // under the endpoint's base path, e.g. "/completions"
  std::vector<std::pair<std::string, std::string>> headers; // besides Host, User-Agent, Content-Length
  std::string body;
  // On a connection of its own, never an idle one or the warm spare: a request made ahead of
  // time (a prefetch) must not take what the next real request would have used.
  bool own_connection = false;
};

struct ResponseHead {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> fields;
  // The first field of that name (case-insensitive), "" when there is none.
  std::string_view field(std::string_view name) const;
};

// Either function returning false stops the reply: the connection is left mid-reply and closed.
struct ResponseSink {
  std::function<bool(const ResponseHead&)> on_head;
  std::function<bool(std::string_view bytes)> on_body; // any split; may be called with nothing
};

struct ExchangeResult {
  boost::system::error_code ec; // network or malformed; empty when the reply ended or the sink stopped it
  std::string message;
  int status = 0;            // when the head was received
  bool got_response = false; // any response byte: from here on a retry could duplicate work
  bool stopped = false;      // the sink returned false
  bool reusable = false;     // read to its end on keep-alive: the connection may serve another
};

// Writes `request` on `conn` and streams the reply into `sink`. `abort` closes the connection,
// which ends whichever read or write is in flight.
boost::asio::awaitable<ExchangeResult> exchange(std::shared_ptr<Connection> conn,
                                                std::shared_ptr<const HttpRequest> request, ResponseSink sink,
                                                std::shared_ptr<Abort> abort);

} // namespace fimlsp::fim
