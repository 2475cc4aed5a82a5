#include "support/silent_listener.hpp"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace fimlsp::test {

namespace {

int bound_socket(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind() on 127.0.0.1 failed");
  }
  port = ntohs(addr.sin_port);
  return fd;
}

} // namespace

SilentListener::SilentListener() : fd_(bound_socket(port_)) {
  if (::listen(fd_, 64) != 0) {
    ::close(fd_);
    throw std::runtime_error("listen() failed");
  }
}

SilentListener::~SilentListener() {
  ::close(fd_);
}

std::uint16_t closed_port() {
  std::uint16_t port = 0;
  ::close(bound_socket(port));
  return port;
}

} // namespace fimlsp::test
