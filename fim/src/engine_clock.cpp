#include "fimlsp/fim/engine_clock.hpp"
#include <boost/asio/steady_timer.hpp>
#include <unordered_map>

namespace fimlsp::fim {

struct AsioClock::State {
  struct Entry {
    std::unique_ptr<boost::asio::steady_timer> timer;
    std::function<void()> fn;
  };
  Alarm next = 1;
  std::unordered_map<Alarm, Entry> alarms;
};

AsioClock::AsioClock(boost::asio::any_io_executor ex)
    : ex_(std::move(ex)), state_(std::make_shared<State>()) {}

AsioClock::~AsioClock() {
  for (auto& [id, e] : state_->alarms)
    e.timer->cancel();
}

EngineClock::Alarm AsioClock::call_at(time_point when, std::function<void()> fn) {
  const Alarm id = state_->next++;
  auto& e = state_->alarms[id];
  e.timer = std::make_unique<boost::asio::steady_timer>(ex_, when);
  e.fn = std::move(fn);
  // A timer that has expired completes with success even when cancelled afterwards: the map,
  // not the error code, says whether the alarm still stands.
  e.timer->async_wait([weak = std::weak_ptr<State>(state_), id](boost::system::error_code) {
    auto state = weak.lock();
    if (!state) return;
    auto it = state->alarms.find(id);
    if (it == state->alarms.end()) return;
    auto fn = std::move(it->second.fn);
    state->alarms.erase(it); // the timer is done: destroying it here is fine
    fn();
  });
  return id;
}

void AsioClock::cancel(Alarm alarm) {
  auto it = state_->alarms.find(alarm);
  if (it == state_->alarms.end()) return;
  it->second.timer->cancel();
  state_->alarms.erase(it);
}

} // namespace fimlsp::fim
