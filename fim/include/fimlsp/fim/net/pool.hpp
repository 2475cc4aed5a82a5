#pragma once
// Keep-alive connections to the configured target, and one warm spare made in the background so
// that no request waits for a handshake (aborting an HTTP/1.1 stream costs its connection).
#include "fimlsp/fim/net/connector.hpp"
#include <functional>
#include <string_view>

namespace fimlsp::fim {

class ConnectionPool {
public:
  using Log = std::function<void(std::string_view)>;
  ConnectionPool(boost::asio::any_io_executor ex, Log log);
  ~ConnectionPool(); // closes the idle connections and drops the warm-up
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // The target new connections are made to (nullptr: none). Everything of the previous one
  // goes: idle connections, and the warm-up in flight (whose waiters wake and open their own).
  void configure(std::shared_ptr<const Target> target);
  const std::shared_ptr<const Target>& target() const;

  // Starts making a spare connection unless one is idle or being made.
  void prewarm();

  struct Acquired {
    std::shared_ptr<Connection> conn; // null: none to be had; open() one
    bool waited = false;              // waited for the warm-up (a handshake was on the path)
  };
  // An idle connection to `target`, else the one being warmed for it (waiting for that is never
  // slower than a new one). Taking one starts the next spare.
  boost::asio::awaitable<Acquired> acquire(std::shared_ptr<const Target> target,
                                           std::shared_ptr<Abort> abort);

  // A new connection on the caller's path.
  boost::asio::awaitable<Connected> open(std::shared_ptr<const Target> target, std::shared_ptr<Abort> abort);

  // A connection whose reply was read to its end on keep-alive: kept idle if it belongs to the
  // current target, else closed.
  void release(std::shared_ptr<Connection> conn);

  std::size_t handshakes() const; // connections established, warm or on a request's path
  std::size_t idle_count() const;
  bool warming() const; // a warm-up is in flight

private:
  struct State;
  std::shared_ptr<State> state_;
};

} // namespace fimlsp::fim
