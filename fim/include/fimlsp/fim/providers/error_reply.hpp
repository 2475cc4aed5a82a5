#pragma once
// What providers share when a backend says no: the text of an error JSON, a non-2xx reply's
// status and message, and the back-off it asks for.
#include "fimlsp/fim/providers/provider.hpp"
#include <boost/json/fwd.hpp>
#include <string>
#include <string_view>

namespace fimlsp::fim {

// No more of an error body than this is kept.
inline constexpr std::size_t kMaxErrorBody = 64 * 1024;

// Newlines and tabs become spaces; longer than `max` is cut with "...".
std::string one_line(std::string s, std::size_t max = 200);

// An "error" member: a string, or {"message", "code"} as "message (code)"; else its JSON.
std::string error_text(const boost::json::value& error);

// A non-2xx reply: ec = http_status, "HTTP 429 Too Many Requests: <the error JSON's message, or
// the body's start>", and on 429 and 503 the Retry-After / retry-after-ms wait.
void classify_http_failure(const ResponseHead& head, std::string_view body, DecodedReply& out);

} // namespace fimlsp::fim
