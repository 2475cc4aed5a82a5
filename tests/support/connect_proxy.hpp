#pragma once
// A loopback HTTP proxy (CONNECT tunnels and absolute-form requests) that records every byte a
// client sends it, optionally asks for credentials, refuses, or closes tunnels on demand. Every
// host it is asked for is reached at 127.0.0.1 (on the port asked), so that an endpoint can be
// named with a host that only the proxy "resolves": a connection that skips the proxy fails.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fimlsp::test {

// The name the test certificate also carries, resolvable by nothing but the proxy.
inline constexpr const char* kProxiedHost = "backend.fim.test";

struct ProxyOptions {
  std::string credentials;          // "user:password" the client must send (Basic); "" = none asked
  int refuse_status = 0;            // answer every request with this status (e.g. 403) and close
  bool close_after_connect = false; // answer CONNECT with 200, then close at once
};

struct ProxySeen {
  std::vector<std::string> request_lines;  // "CONNECT host:port HTTP/1.1", "POST http://... HTTP/1.1"
  std::vector<std::string> authorizations; // Proxy-Authorization of each request ("" when absent)
  std::vector<std::string> forwarded;      // absolute-form requests as sent on, in origin form
  std::string client_bytes;                // everything every client sent, heads and tunnels
  std::size_t tunnels = 0;                 // CONNECT requests answered 200
};

class ConnectProxy {
public:
  explicit ConnectProxy(ProxyOptions options = {});
  ~ConnectProxy(); // stops the proxy thread
  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  std::uint16_t port() const;
  std::string url() const; // "http://127.0.0.1:<port>"
  // With credentials in the URL: user and password as given (percent-encode them yourself).
  std::string url_with(const std::string& userinfo) const;

  ProxySeen seen() const;
  bool wait_until(const std::function<bool(const ProxySeen&)>& pred, std::chrono::milliseconds timeout) const;
  // Closes every open tunnel and forwarded connection (both sides), as a proxy that drops them.
  void cut();

  struct Impl; // for connect_proxy.cpp only

private:
  std::unique_ptr<Impl> impl_;
};

// An endpoint URL for `port` under kProxiedHost: "https://backend.fim.test:<port>/v1".
std::string proxied_url(std::uint16_t port, bool tls = true);

} // namespace fimlsp::test
