#pragma once
#include "fimlsp/fim/settings.hpp"
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

// A JSON object written field by field in the order the fields are added, as the SDKs write
// them: floats as "0.2" and "1.0" (not 2E-1), strings escaped by Boost.JSON.
class JsonBody {
public:
  JsonBody& string(std::string_view name, std::string_view value);
  JsonBody& integer(std::string_view name, long long value);
  JsonBody& number(std::string_view name, double value);
  JsonBody& boolean(std::string_view name, bool value);
  JsonBody& strings(std::string_view name, const std::vector<std::string>& values);
  JsonBody& raw(std::string_view name, std::string_view json_text); // already JSON
  bool empty() const { return out_.size() == 1; }
  std::string str() const { return out_ + "}"; }

private:
  std::string out_ = "{";
};

// Shortest text that reads back as the same double, written as a float ("0.2", "1.0").
std::string float_text(double d);

// The JSON body of POST {baseUrl}/completions. Only parameters that are set are sent;
// streaming adds "stream_options": {"include_usage": true}. With `suffix` (completions-suffix)
// the prompt is the prefix and the server applies its own template.
std::string build_request_body(std::string_view model, const RequestSettings& r, std::string_view prompt,
                               const std::string* suffix = nullptr);
inline std::string build_request_body(const Settings& s, std::string_view prompt) {
  return build_request_body(s.model, s.request, prompt);
}

} // namespace fimlsp::fim
