#pragma once
// How fim/ reports to whoever embeds it (the server logs; `complete` prints to stderr).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::fim {

enum class Severity { Error, Warn, Info, Debug };

// What the engine is doing, for a status display, and what it has used since it started.
struct EngineStatus {
  enum class State { ready, busy, error, backoff, disabled } state = State::ready;
  std::string message;                                        // why, for error, backoff and disabled
  std::optional<std::chrono::system_clock::time_point> until; // backoff: when requests resume
  std::uint64_t requests = 0;                                 // upstream requests started
  std::uint64_t prompt_tokens = 0, completion_tokens = 0;     // as the backend reported them

  bool operator==(const EngineStatus&) const = default;
};

struct Reporter {
  // A log line.
  std::function<void(Severity, std::string_view)> log;
  // A problem the user can fix (no key, key refused, TLS, bad setting), with the fix in the text.
  std::function<void(std::string_view)> tell_user;
  // The status, each time it changes (may be null).
  std::function<void(const EngineStatus&)> status;
};

} // namespace fimlsp::fim
