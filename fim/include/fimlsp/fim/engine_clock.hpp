#pragma once
// Where the engine reads the time and sets its alarms: steady_timer in production, a manual
// clock in the engine's tests (time moves only when the test says so).
#include "fimlsp/fim/completion_stream.hpp"
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>

namespace fimlsp::fim {

class EngineClock {
public:
  // The same time points as the deadlines handed to CompletionStream::stream.
  using time_point = Clock::time_point;
  using Alarm = std::uint64_t; // never 0, so that 0 can mean "none"

  virtual ~EngineClock() = default;
  virtual time_point now() const = 0;
  // Calls `fn` once, at `when` or later, never from inside call_at; unless cancelled first.
  virtual Alarm call_at(time_point when, std::function<void()> fn) = 0;
  // After this `fn` is not called, even if its time has come. Unknown or fired alarms are ignored.
  virtual void cancel(Alarm alarm) = 0;
};

// On asio::steady_timer. Destroying it drops its alarms uncalled.
class AsioClock final : public EngineClock {
public:
  explicit AsioClock(boost::asio::any_io_executor ex);
  ~AsioClock() override;

  time_point now() const override { return Clock::now(); }
  Alarm call_at(time_point when, std::function<void()> fn) override;
  void cancel(Alarm alarm) override;

private:
  struct State; // shared with the timers' handlers, which may run after the clock is gone
  boost::asio::any_io_executor ex_;
  std::shared_ptr<State> state_;
};

} // namespace fimlsp::fim
