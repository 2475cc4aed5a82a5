#pragma once
// Connections and how they are made: resolve, TCP connect, the proxy's CONNECT tunnel when
// there is a proxy, TLS (SNI, verify_peer and the host name check, all for the endpoint).
#include "fimlsp/fim/net/abort.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/net/proxy.hpp"
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace fimlsp::fim {

// What connections are made to: one configuration's endpoint, TLS context and proxy. A connection
// (and an attempt to make one) holds its own, so a configuration change cannot pull either
// from under it; which configuration a connection belongs to is this object's identity.
struct Target {
  Endpoint endpoint;
  std::shared_ptr<boost::asio::ssl::context> ctx; // null for http://
  std::optional<Proxy> proxy;                     // none: straight to the endpoint
};

// One HTTP/1.1 connection, TLS or plain.
class Connection {
public:
  struct Io; // the Beast stream and its read buffer, for fim/src/net only
  Connection(std::shared_ptr<const Target> target, std::unique_ptr<Io> io);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::shared_ptr<const Target>& target() const { return target_; }
  Io& io() { return *io_; }
  void close();
  // An idle connection the server has closed shows EOF without blocking.
  bool peer_closed();
  std::string peer_address() const; // "203.0.113.7:443", "" when not connected

private:
  std::shared_ptr<const Target> target_; // before io_: the TLS context outlives the SSL* made from it
  std::unique_ptr<Io> io_;
};

// What `fim-lsp doctor` shows of a TLS connection's peer.
struct PeerCertificate {
  std::string protocol; // "TLSv1.3"
  std::string subject;  // one line, e.g. "CN = dashscope.aliyuncs.com"
  std::string issuer;
  std::string not_after; // "2027-03-01 12:00:00 UTC"
  long days_left = 0;
};
std::optional<PeerCertificate> peer_certificate(Connection& c); // nullopt for plain HTTP

// How far an attempt to connect got: the step that failed, or done.
enum class ConnectStage { resolve, connect, proxy, tls, done };

struct Connected {
  boost::system::error_code ec; // connect, proxy, tls, or the abort's reason
  std::string message;          // for a person: what failed, with the host
  std::shared_ptr<Connection> conn;
  ConnectStage stage = ConnectStage::done;
};

// Makes a connection to `target`; `abort` interrupts whichever step is in flight.
boost::asio::awaitable<Connected> connect(boost::asio::any_io_executor ex,
                                          std::shared_ptr<const Target> target, std::shared_ptr<Abort> abort);

} // namespace fimlsp::fim
