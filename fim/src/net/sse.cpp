#include "fimlsp/fim/net/sse.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace fimlsp::fim {

namespace json = boost::json;

static void dispatch_line(std::string_view line, std::string& data, bool& has_data,
                          const SseParser::DataFn& on_data) {
  if (line.empty()) { // a blank line ends the event
    if (has_data) on_data(data);
    data.clear();
    has_data = false;
    return;
  }
  if (line.front() == ':') return; // comment (keep-alive pings)
  const auto colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field != "data") return; // event, id, retry: nothing a completion needs
  if (has_data) data += '\n';
  data += value;
  has_data = true;
}

void SseParser::feed(std::string_view bytes, const DataFn& on_data) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const char c = bytes[i];
    if (c == '\n' && last_was_cr_) { // second half of a CRLF split anywhere
      last_was_cr_ = false;
      ++i;
      continue;
    }
    last_was_cr_ = false;
    const auto end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      return;
    }
    line_.append(bytes.substr(i, end - i));
    last_was_cr_ = bytes[end] == '\r';
    dispatch_line(line_, data_, has_data_, on_data);
    line_.clear();
    i = end + 1;
  }
}

void SseParser::finish(const DataFn& on_data) {
  if (!line_.empty()) dispatch_line(line_, data_, has_data_, on_data);
  line_.clear();
  dispatch_line({}, data_, has_data_, on_data);
  last_was_cr_ = false;
}

static std::string one_line(std::string s, std::size_t max = 200) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

static std::string error_text(const json::value& err) {
  if (err.is_string()) return one_line(std::string(err.get_string()));
  if (!err.is_object()) return one_line(json::serialize(err));
  const auto& o = err.get_object();
  std::string msg;
  if (auto* m = o.if_contains("message"); m && m->is_string()) msg = std::string(m->get_string());
  if (auto* c = o.if_contains("code"); c && !c->is_null())
    msg += (msg.empty() ? "" : " ") + std::string("(") +
           (c->is_string() ? std::string(c->get_string()) : json::serialize(*c)) + ")";
  if (msg.empty()) msg = json::serialize(err);
  return one_line(msg);
}

CompletionPayload decode_payload(std::string_view data) {
  CompletionPayload p;
  std::string_view trimmed = data;
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n'))
    trimmed.remove_suffix(1);
  if (trimmed == "[DONE]") {
    p.done = true;
    return p;
  }
  boost::system::error_code ec;
  json::value v = json::parse(data, ec);
  if (ec || !v.is_object()) {
    p.malformed = true;
    p.error = "malformed payload: " + one_line(std::string(data), 80);
    return p;
  }
  const auto& o = v.get_object();
  if (auto* err = o.if_contains("error"); err && !err->is_null()) {
    p.error = error_text(*err);
    return p;
  }
  // "choices" may be missing, null or [] (the usage-only last chunk).
  auto* choices = o.if_contains("choices");
  if (!choices || !choices->is_array() || choices->get_array().empty()) return p;
  const auto& first = choices->get_array().front();
  if (!first.is_object()) {
    p.malformed = true;
    p.error = "malformed payload: choices[0] is not an object";
    return p;
  }
  const auto& choice = first.get_object();
  if (auto* t = choice.if_contains("text"); t && t->is_string()) {
    p.text = std::string(t->get_string());
  } else if (auto* d = choice.if_contains("delta"); d && d->is_object()) { // Mistral-style chunks
    if (auto* c = d->get_object().if_contains("content"); c && c->is_string())
      p.text = std::string(c->get_string());
  }
  if (auto* f = choice.if_contains("finish_reason"); f && f->is_string())
    p.finish_reason = std::string(f->get_string());
  return p;
}

} // namespace fimlsp::fim
