#pragma once
// An io_context the test thread drives, with bounded waits (no sleeps: it runs handlers until
// the condition holds or the time is up).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>

namespace fimlsp::test {

struct IoDriver {
  boost::asio::io_context io;

  bool run_until(const std::function<bool()>& pred,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!pred() && std::chrono::steady_clock::now() < end) {
      if (io.stopped()) io.restart(); // it stops whenever it runs out of work
      io.run_one_for(std::chrono::milliseconds(10));
    }
    return pred();
  }

  // Starts `op`; its result lands in `into` (an exception is rethrown there).
  template <class T> void start(boost::asio::awaitable<T> op, std::optional<T>& into) {
    into.reset();
    boost::asio::co_spawn(io, std::move(op), [&into](std::exception_ptr e, T value) {
      if (e) std::rethrow_exception(e);
      into = std::move(value);
    });
  }

  // Runs `op` to its end, or nullopt when it is not done within `timeout`.
  template <class T>
  std::optional<T> run(boost::asio::awaitable<T> op,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto result = std::make_shared<std::optional<T>>(); // the op may outlive a failed wait
    boost::asio::co_spawn(io, std::move(op), [result](std::exception_ptr e, T value) {
      if (e) std::rethrow_exception(e);
      *result = std::move(value);
    });
    run_until([&] { return result->has_value(); }, timeout);
    return *result;
  }
};

} // namespace fimlsp::test
