#pragma once
// `fimLsp/status`: the engine's state and usage, sent to the client when they change, at most
// ten times a second (the latest state wins; none is lost at the end of a burst).
#include "fimlsp/fim/log.hpp"
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>

namespace fimlsp::server {

class StatusNotifier {
public:
  using Notify = std::function<void(const boost::json::value& params)>;
  StatusNotifier(boost::asio::any_io_executor ex, Notify notify);

  // Only clients that asked for it (capabilities.experimental.fimLspStatus) get the
  // notification: others (eglot) warn about every unknown one.
  void enable() { enabled_ = true; }
  void update(const fim::EngineStatus& status);

  // The notification's params: {"state", "message"?, "until"? (ISO 8601, UTC), "usage"}.
  static boost::json::value to_json(const fim::EngineStatus& status);

private:
  void send_latest();

  Notify notify_;
  boost::asio::steady_timer timer_;
  std::optional<fim::EngineStatus> latest_; // not sent yet
  std::chrono::steady_clock::time_point last_sent_{};
  bool timer_armed_ = false;
  bool enabled_ = false;
};

} // namespace fimlsp::server
