#pragma once
// The CONNECT step: on a TCP connection to a proxy, asks for a tunnel to the endpoint; what
// follows (TLS to the endpoint) goes through it untouched.
#include "fimlsp/fim/net/connector.hpp"
#include <boost/beast/core/tcp_stream.hpp>

namespace fimlsp::fim {

struct TunnelResult {
  boost::system::error_code ec; // proxy (refused, asked for credentials, closed), or the abort's reason
  std::string message;          // for a person, with the fix
};

// `abort` is expected to close `stream`, which ends the read or write in flight.
boost::asio::awaitable<TunnelResult> open_tunnel(boost::beast::tcp_stream& stream, const Proxy& proxy,
                                                 const Endpoint& endpoint, std::shared_ptr<Abort> abort);

// "host:port" as a request target or Host field ([v6]:port).
std::string authority(const Endpoint& endpoint);

} // namespace fimlsp::fim
