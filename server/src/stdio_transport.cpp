#include "fimlsp/server/stdio_transport.hpp"
#include "fimlsp/protocol/framing.hpp"
#include "fimlsp/server/logging.hpp"
#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <climits>
#include <poll.h>
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
    std::size_t bytes = 0;
    while (auto body = reader.next()) {
      bytes += body->size();
      batch.push_back(std::move(*body));
    }
    if (batch.empty()) continue;
    pending_ += bytes;
    boost::asio::post(io, [this, bytes, on_messages, batch = std::move(batch)]() mutable {
      on_messages(std::move(batch));
      pending_ -= bytes;
      pending_.notify_one();
    });
    // Stop reading while the io thread is behind (e.g. blocked on a client that does not read).
    for (std::size_t now = pending_; now > kMaxPendingInput; now = pending_)
      pending_.wait(now);
  }
  boost::asio::post(io, on_closed);
}

// In pieces of PIPE_BUF after poll() said there is room, so that no write() blocks on a pipe and
// a client that stops reading is noticed within kOutputStall.
StdioTransport::Written StdioTransport::write(const std::string& body) {
  std::string framed = protocol::frame(body);
  std::string_view rest = framed;
  while (!rest.empty()) {
    pollfd p{out_fd_, POLLOUT, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(kOutputStall).count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Written::Stalled;
    ssize_t n = ::write(out_fd_, rest.data(), std::min<std::size_t>(rest.size(), PIPE_BUF));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return Written::Closed;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  return Written::Ok;
}

} // namespace fimlsp::server
