// The production clock's alarms on a real io_context: time points already past, so that the
// alarms are due at once and nothing waits.
#include "fimlsp/fim/engine_clock.hpp"
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>
#include <string>

namespace fimlsp::test {

using namespace std::chrono_literals;

TEST_CASE("AsioClock: due alarms run in time order; a cancelled one never runs") {
  boost::asio::io_context io;
  fim::AsioClock clock(io.get_executor());
  std::string ran;
  const auto now = clock.now();
  clock.call_at(now - 1ms, [&] { ran += "b"; });
  clock.call_at(now - 2ms, [&] { ran += "a"; });
  const auto c = clock.call_at(now - 1ms, [&] { ran += "c"; });
  clock.cancel(c);
  CHECK(ran == ""); // never from inside call_at
  io.run();
  CHECK(ran == "ab");
}

TEST_CASE("AsioClock: an alarm cancelled after its timer expired, before its handler ran, never runs") {
  boost::asio::io_context io;
  fim::AsioClock clock(io.get_executor());
  std::string ran;
  const auto when = clock.now() - 1ms;
  fim::EngineClock::Alarm second = 0;
  // Both expire in the same pass over the timer queue: the second's handler is queued with
  // success when the first cancels it.
  clock.call_at(when, [&] {
    ran += "1";
    clock.cancel(second);
  });
  second = clock.call_at(when, [&] { ran += "2"; });
  io.run();
  CHECK(ran == "1");
}

TEST_CASE("AsioClock: destroying the clock drops its alarms uncalled") {
  boost::asio::io_context io;
  bool ran = false;
  {
    fim::AsioClock clock(io.get_executor());
    clock.call_at(clock.now() - 1ms, [&] { ran = true; });
    clock.call_at(clock.now() + 1h, [&] { ran = true; });
  }
  io.run(); // returns: nothing left waiting
  CHECK_FALSE(ran);
}

} // namespace fimlsp::test
