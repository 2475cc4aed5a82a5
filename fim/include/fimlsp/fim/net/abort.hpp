#pragma once
// What ends a request from outside: the caller's cancellation or the deadline. Beast 1.81 has
// only terminal cancellation, so an abort interrupts the one operation in flight (a resolve, a
// wait, or any read or write: closing the socket ends them all) and the connection is not reused.
#include "fimlsp/fim/error.hpp"
#include <functional>
#include <utility>

namespace fimlsp::fim {

class Abort {
public:
  // The first call wins: it records why and runs the interrupt.
  void fire(error why) {
    if (reason_) return;
    reason_ = why;
    if (interrupt_) interrupt_();
  }
  const boost::system::error_code& reason() const { return reason_; }
  explicit operator bool() const { return static_cast<bool>(reason_); }
  // What fire() must do to the operation about to be awaited; replaces the previous one. What
  // it refers to must outlive the await (or be held by the function).
  void interrupt_with(std::function<void()> interrupt) { interrupt_ = std::move(interrupt); }

private:
  boost::system::error_code reason_;
  std::function<void()> interrupt_;
};

} // namespace fimlsp::fim
