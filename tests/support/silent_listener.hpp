#pragma once
// A loopback TCP port that completes connections (the kernel's backlog does) and never says a
// word: a TLS handshake to it stalls until the client gives up.
#include <cstdint>
#include <string>

namespace fimlsp::test {

class SilentListener {
public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/v1"; }

private:
  std::uint16_t port_ = 0; // before fd_: the constructor sets it while making fd_
  int fd_ = -1;
};

// A loopback port nothing listens on (bound, then released).
std::uint16_t closed_port();

} // namespace fimlsp::test
