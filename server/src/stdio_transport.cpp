#include "fimlsp/server/stdio_transport.hpp"
#include "fimlsp/protocol/framing.hpp"
#include "fimlsp/server/logging.hpp"
#include <boost/asio/post.hpp>
#include <cerrno>
#include <unistd.h>

namespace fimlsp::server {

StdioTransport::StdioTransport(boost::asio::any_io_executor io, OnMessages on_messages, OnClosed on_closed,
                               int in_fd, int out_fd)
    : in_fd_(in_fd), out_fd_(out_fd) {
  reader_ = std::thread([this, io, on_messages = std::move(on_messages), on_closed = std::move(on_closed)] {
    read_loop(io, on_messages, on_closed);
  });
}

StdioTransport::~StdioTransport() {
  // The reader may be blocked in read(); the process is about to end, so let it go.
  if (reader_.joinable()) reader_.detach();
}

void StdioTransport::read_loop(boost::asio::any_io_executor io, OnMessages on_messages, OnClosed on_closed) {
  protocol::FrameReader reader([](std::string_view line) { log_line(LogLevel::Warn, line); });
  std::string buffer(64 * 1024, '\0');
  for (;;) {
    ssize_t n = ::read(in_fd_, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reader.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    std::vector<std::string> batch;
    while (auto body = reader.next())
      batch.push_back(std::move(*body));
    if (!batch.empty())
      boost::asio::post(io,
                        [on_messages, batch = std::move(batch)]() mutable { on_messages(std::move(batch)); });
  }
  boost::asio::post(io, on_closed);
}

bool StdioTransport::write(const std::string& body) {
  std::string framed = protocol::frame(body);
  std::string_view rest = framed;
  while (!rest.empty()) {
    ssize_t n = ::write(out_fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

} // namespace fimlsp::server
