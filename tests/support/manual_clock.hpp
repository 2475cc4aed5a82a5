#pragma once
// A clock for the engine's tests: time stands still until the test moves it, and alarms fire
// only then, in time order, each at its own time.
#include "fimlsp/fim/engine_clock.hpp"
#include <map>
#include <optional>
#include <utility>

namespace fimlsp::test {

class ManualClock final : public fim::EngineClock {
public:
  time_point now() const override { return now_; }

  Alarm call_at(time_point when, std::function<void()> fn) override {
    alarms_.emplace(std::pair(when, next_), std::move(fn));
    return next_++;
  }

  void cancel(Alarm alarm) override {
    std::erase_if(alarms_, [alarm](const auto& a) { return a.first.second == alarm; });
  }

  // When the earliest alarm is due, if any is set.
  std::optional<time_point> next_alarm() const {
    if (alarms_.empty()) return std::nullopt;
    return alarms_.begin()->first.first;
  }

  // Moves time to `t` (never back), calling the alarms due by then, each with now() at its time.
  void advance_to(time_point t) {
    while (!alarms_.empty() && alarms_.begin()->first.first <= t) {
      auto node = alarms_.extract(alarms_.begin());
      now_ = std::max(now_, node.key().first);
      node.mapped()();
    }
    now_ = std::max(now_, t);
  }

  std::size_t alarms() const { return alarms_.size(); }

private:
  // Far from the clock's epoch, as a steady clock's now() is.
  time_point now_ = time_point{} + std::chrono::hours(1000);
  Alarm next_ = 1;
  std::map<std::pair<time_point, Alarm>, std::function<void()>> alarms_;
};

} // namespace fimlsp::test
