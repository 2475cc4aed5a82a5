#include "fimlsp/server/status_notifier.hpp"
#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

namespace fimlsp::server {

namespace json = boost::json;

namespace {

constexpr auto kMinGap = std::chrono::milliseconds(100); // ten a second

const char* name_of(fim::EngineStatus::State s) {
  switch (s) {
  case fim::EngineStatus::State::ready:
    return "ready";
  case fim::EngineStatus::State::busy:
    return "busy";
  case fim::EngineStatus::State::error:
    return "error";
  case fim::EngineStatus::State::backoff:
    return "backoff";
  case fim::EngineStatus::State::disabled:
    return "disabled";
  }
  return "ready";
}

std::string iso_time(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

} // namespace

StatusNotifier::StatusNotifier(boost::asio::any_io_executor ex, Notify notify)
    : notify_(std::move(notify)), timer_(ex) {}

json::value StatusNotifier::to_json(const fim::EngineStatus& s) {
  json::object o{{"state", name_of(s.state)}};
  if (!s.message.empty()) o["message"] = s.message;
  if (s.until) o["until"] = iso_time(*s.until);
  o["usage"] = {
      {"requests", s.requests}, {"promptTokens", s.prompt_tokens}, {"completionTokens", s.completion_tokens}};
  return o;
}

void StatusNotifier::update(const fim::EngineStatus& status) {
  if (!enabled_) return;
  latest_ = status;
  if (timer_armed_) return; // the timer sends the latest
  const auto now = std::chrono::steady_clock::now();
  if (now - last_sent_ >= kMinGap) return send_latest();
  timer_armed_ = true;
  timer_.expires_at(last_sent_ + kMinGap);
  timer_.async_wait([this](boost::system::error_code ec) {
    timer_armed_ = false;
    if (!ec) send_latest();
  });
}

void StatusNotifier::send_latest() {
  if (!latest_) return;
  last_sent_ = std::chrono::steady_clock::now();
  notify_(to_json(*latest_));
  latest_.reset();
}

} // namespace fimlsp::server
