#include "json_reply_decoder.hpp"
#include "fimlsp/fim/providers/error_reply.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>

namespace fimlsp::fim {

namespace {

namespace json = boost::json;

bool contains_ci(std::string_view s, std::string_view needle) {
  if (s.size() < needle.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && std::tolower(static_cast<unsigned char>(s[i + j])) == needle[j])
      ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

std::string_view trim_end(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Whether a body that is not one JSON value reads as the shape's stream (sent unlabelled).
bool looks_like_stream(std::string_view body, StreamFraming framing) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  body.remove_prefix(first);
  if (framing == StreamFraming::Ndjson) return body.front() == '{';
  return body.starts_with("data:") || body.front() == ':';
}

} // namespace

void JsonReplyDecoder::start(const ResponseHead& head) {
  const std::string_view type = head.field("content-type");
  if (head.status / 100 != 2) {
    mode_ = Mode::Failure;
    head_ = head;
  } else if (contains_ci(type, "text/event-stream")) {
    mode_ = Mode::Stream;
    reading_ = StreamFraming::Sse;
  } else if (contains_ci(type, "ndjson") || contains_ci(type, "jsonl")) {
    mode_ = Mode::Stream;
    reading_ = StreamFraming::Ndjson;
  } else {
    mode_ = Mode::Whole;
  }
}

bool JsonReplyDecoder::feed(std::string_view bytes, const OnText& on_text) {
  switch (mode_) {
  case Mode::Failure: // read to the end (the connection stays usable), keep the start
    if (body_.size() < kMaxErrorBody) body_.append(bytes.substr(0, kMaxErrorBody - body_.size()));
    return true;
  case Mode::Whole:
    body_.append(bytes);
    return true;
  case Mode::Stream:
    stream(bytes, on_text);
    return !stopped_;
  }
  return false;
}

void JsonReplyDecoder::finish(const OnText& on_text) {
  switch (mode_) {
  case Mode::Failure:
    classify_http_failure(head_, body_, result_);
    return;
  case Mode::Whole: { // stream: false, or a stream sent without its content type
    boost::system::error_code ec;
    json::parse(body_, ec);
    if (ec && looks_like_stream(body_, framing_)) {
      reading_ = framing_;
      stream(body_, on_text);
      return end_of_stream(on_text);
    }
    return payload(body_, on_text);
  }
  case Mode::Stream:
    return end_of_stream(on_text);
  }
}

void JsonReplyDecoder::stream(std::string_view bytes, const OnText& on_text) {
  auto on_payload = [&](std::string_view data) { payload(data, on_text); };
  if (reading_ == StreamFraming::Sse)
    sse_.feed(bytes, on_payload);
  else
    ndjson_.feed(bytes, on_payload);
}

void JsonReplyDecoder::end_of_stream(const OnText& on_text) {
  auto on_payload = [&](std::string_view data) { payload(data, on_text); };
  if (reading_ == StreamFraming::Sse)
    sse_.finish(on_payload);
  else
    ndjson_.finish(on_payload);
  if (!stopped_ && !result_.done && !result_.finish_reason) {
    result_.ec = error::network;
    result_.message = "the stream ended before " + std::string(end_marker_);
  }
}

void JsonReplyDecoder::fail(error e, std::string message) {
  result_.ec = e;
  result_.message = std::move(message);
  stopped_ = true;
}

void JsonReplyDecoder::emit(std::string_view text, const OnText& on_text) {
  if (stopped_ || text.empty()) return;
  if (!on_text(text)) stopped_ = true;
}

std::uint64_t JsonReplyDecoder::count(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return 0;
  boost::system::error_code ec;
  const auto n = v->to_number<std::uint64_t>(ec);
  return ec ? 0 : n;
}

// One payload: a stream event, "[DONE]", or a whole non-streamed reply.
void JsonReplyDecoder::payload(std::string_view data, const OnText& on_text) {
  if (stopped_) return;
  if (trim_end(data) == "[DONE]") {
    result_.done = true;
    return;
  }
  boost::system::error_code ec;
  const json::value v = json::parse(data, ec);
  if (ec || !v.is_object())
    return fail(error::malformed, "malformed payload: " + one_line(std::string(data), 80));
  const auto& o = v.get_object();
  if (auto* err = o.if_contains("error"); err && !err->is_null())
    return fail(error::backend, "the backend reported an error: " + error_text(*err));
  if (auto* kind = o.if_contains("object"); kind && kind->is_string() && kind->get_string() == "error")
    return fail(error::backend, "the backend reported an error: " + error_text(v)); // Mistral's form
  event(o, on_text);
}

HttpRequest json_post(std::string path, std::string_view api_key, std::string_view accept, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.path = std::move(path);
  if (!api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + std::string(api_key));
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("Accept", std::string(accept));
  r.body = std::move(body);
  return r;
}

} // namespace fimlsp::fim
