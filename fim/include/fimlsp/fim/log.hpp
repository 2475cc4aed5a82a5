#pragma once
// How fim/ reports to whoever embeds it (the server logs; `complete` prints to stderr).
#include <functional>
#include <string_view>

namespace fimlsp::fim {

enum class Severity { Error, Warn, Info, Debug };

struct Reporter {
  // A log line.
  std::function<void(Severity, std::string_view)> log;
  // A problem the user can fix (no key, key refused, TLS, bad setting), with the fix in the text.
  std::function<void(std::string_view)> tell_user;
};

} // namespace fimlsp::fim
