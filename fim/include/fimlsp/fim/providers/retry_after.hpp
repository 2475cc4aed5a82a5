#pragma once
// The back-off a backend asks for: `retry-after-ms` (milliseconds, OpenAI's SDK header) or
// `Retry-After` (RFC 9110: delta-seconds or an HTTP-date), validated where it is parsed.
#include <chrono>
#include <optional>
#include <string_view>

namespace fimlsp::fim {

// No backend gets to stop completions for longer than this: a longer wait is cut to it.
inline constexpr std::chrono::milliseconds kMaxRetryAfter = std::chrono::minutes(1);

// The wait in [0, kMaxRetryAfter], or nullopt when neither header holds a usable value
// (absent, garbage, negative, NaN). An HTTP-date in the past means 0; `now` is the wall clock.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view retry_after_ms,
                                                           std::string_view retry_after,
                                                           std::chrono::system_clock::time_point now);

} // namespace fimlsp::fim
