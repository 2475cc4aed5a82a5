#pragma once
#include "fimlsp/fim/settings.hpp"
#include <string>
#include <string_view>

namespace fimlsp::fim {

// The JSON body of POST {baseUrl}/completions. Only parameters that are set are sent;
// streaming adds "stream_options": {"include_usage": true}.
std::string build_request_body(std::string_view model, const RequestSettings& r, std::string_view prompt);
inline std::string build_request_body(const Settings& s, std::string_view prompt) {
  return build_request_body(s.model, s.request, prompt);
}

} // namespace fimlsp::fim
