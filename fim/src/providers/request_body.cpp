#include "fimlsp/fim/providers/request_body.hpp"
#include <boost/json/serialize.hpp>
#include <charconv>

namespace fimlsp::fim {

namespace {

namespace json = boost::json;

// Shortest text that reads back as the same double, written as a float ("0.2", "1.0"):
// Boost.JSON would write 2E-1, valid but unlike what the SDKs send.
std::string float_text(double d) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, d).ptr;
  std::string s(buf, end);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string quoted(std::string_view s) {
  return json::serialize(json::string_view(s));
}

// `out` always holds at least "{" and the model: every field after that needs a comma.
void field(std::string& out, std::string_view name, const std::string& json_text) {
  out += out.size() > 1 ? ",\"" : "\"";
  out += name;
  out += "\":";
  out += json_text;
}

} // namespace

std::string build_request_body(std::string_view model, const RequestSettings& r, std::string_view prompt) {
  std::string out = "{";
  field(out, "model", quoted(model));
  field(out, "prompt", quoted(prompt));
  if (r.maxTokens) field(out, "max_tokens", std::to_string(*r.maxTokens));
  if (r.temperature) field(out, "temperature", float_text(*r.temperature));
  if (r.topP) field(out, "top_p", float_text(*r.topP));
  if (r.presencePenalty) field(out, "presence_penalty", float_text(*r.presencePenalty));
  if (r.seed) field(out, "seed", std::to_string(*r.seed));
  if (!r.stop.empty()) {
    std::string list = "[";
    for (auto& stop : r.stop)
      list += (list.size() > 1 ? "," : "") + quoted(stop);
    field(out, "stop", list + "]");
  }
  // "stream": false is the API's default, so it is left out like every other unset parameter.
  if (r.stream) {
    field(out, "stream", "true");
    field(out, "stream_options", "{\"include_usage\":true}");
  }
  return out + "}";
}

} // namespace fimlsp::fim
