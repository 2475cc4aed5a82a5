#include "fimlsp/fim/providers/retry_after.hpp"
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

namespace fimlsp::fim {

namespace {

using std::chrono::milliseconds;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// A non-negative decimal number of `unit`s, the whole field (digits and at most one '.').
std::optional<milliseconds> number(std::string_view s, double unit_ms) {
  s = trim(s);
  if (s.empty() || s.size() > 32 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
    return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range)
    v = HUGE_VAL; // all digits: just very large
  else if (ec != std::errc() || end != s.data() + s.size())
    return std::nullopt;
  const double ms = v * unit_ms;
  if (!(ms >= 0)) return std::nullopt; // NaN
  const double cap = static_cast<double>(kMaxRetryAfter.count());
  return milliseconds(static_cast<long long>(std::min(ms, cap)));
}

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT")
// and asctime ("Sun Nov  6 08:49:37 1994"), as RFC 9110 §5.6.7 says recipients must accept.
std::optional<std::time_t> http_date(std::string_view s) {
  const std::string text(trim(s));
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    std::tm tm{};
    const char* end = ::strptime(text.c_str(), format, &tm);
    if (end && *end == '\0') return ::timegm(&tm);
  }
  return std::nullopt;
}

} // namespace

std::optional<milliseconds> parse_retry_after(std::string_view retry_after_ms, std::string_view retry_after,
                                              std::chrono::system_clock::time_point now) {
  if (auto ms = number(retry_after_ms, 1)) return ms;
  if (auto ms = number(retry_after, 1000)) return ms;
  auto date = http_date(retry_after);
  if (!date) return std::nullopt;
  // In whole seconds (a date's resolution): a date centuries away overflows a nanosecond clock.
  const long long cap = std::chrono::duration_cast<std::chrono::seconds>(kMaxRetryAfter).count();
  const long long wait = std::clamp<long long>(
      static_cast<long long>(*date) - std::chrono::system_clock::to_time_t(now), 0, cap);
  return std::chrono::seconds(wait);
}

} // namespace fimlsp::fim
