#pragma once
// What the JSON-speaking shapes share when reading a reply. A non-2xx reply is read to its end
// and classified (status, error JSON, Retry-After). A 2xx reply is a stream of JSON events —
// server-sent events or newline-delimited JSON, as the shape frames it — or one whole JSON
// body; each object goes to the shape's event(). An "error" member in any of them is a backend
// error, and a stream that ends before the shape's end marker broke off.
#include "fimlsp/fim/net/ndjson.hpp"
#include "fimlsp/fim/net/sse.hpp"
#include "fimlsp/fim/providers/provider.hpp"
#include <boost/json/fwd.hpp>
#include <cstdint>

namespace fimlsp::fim {

// How a shape frames its streamed reply: the HTTP layer hands over bytes only, so the framing
// is the decoder's choice. A reply labelled text/event-stream or application/x-ndjson is read
// as it says; an unlabelled one as the shape frames its streams.
enum class StreamFraming { Sse, Ndjson };

class JsonReplyDecoder : public ReplyDecoder {
public:
  // `end_marker` names what ends the shape's stream, for the message when it does not come.
  JsonReplyDecoder(StreamFraming framing, std::string_view end_marker)
      : framing_(framing), end_marker_(end_marker) {
    sse_.on_other_field = [this](std::string_view field, std::string_view value) {
      if (!stopped_) sse_field(field, value);
    };
  }
  JsonReplyDecoder(const JsonReplyDecoder&) = delete; // the parser's hook holds `this`
  JsonReplyDecoder& operator=(const JsonReplyDecoder&) = delete;
  void start(const ResponseHead& head) final;
  bool feed(std::string_view bytes, const OnText& on_text) final;
  void finish(const OnText& on_text) final;

protected:
  // One JSON object of a 2xx reply without an "error": a stream event or the whole body.
  virtual void event(const boost::json::object& o, const OnText& on_text) = 0;
  // An SSE field other than data: (none of the shapes needs one but llama.cpp's "error:").
  virtual void sse_field(std::string_view field, std::string_view value) {
    (void)field;
    (void)value;
  }

  void fail(error e, std::string message);
  // A piece of text for on_text (nothing for ""); on_text returning false stops the reply.
  void emit(std::string_view text, const OnText& on_text);
  // A token count; 0 when absent or not a count.
  static std::uint64_t count(const boost::json::object& o, std::string_view key);

private:
  enum class Mode { Stream, Whole, Failure };
  void payload(std::string_view data, const OnText& on_text);
  void stream(std::string_view bytes, const OnText& on_text);
  void end_of_stream(const OnText& on_text);

  StreamFraming framing_;
  std::string_view end_marker_;
  Mode mode_ = Mode::Whole;
  StreamFraming reading_ = StreamFraming::Sse; // this reply's framing
  ResponseHead head_;                          // kept for a failure's message
  SseParser sse_;
  NdjsonParser ndjson_;
  std::string body_; // a whole JSON reply, or the start of an error body
  bool stopped_ = false;
};

// POST `path` with a JSON body; the key, when there is one, as a bearer token.
HttpRequest json_post(std::string path, std::string_view api_key, std::string_view accept, std::string body);

} // namespace fimlsp::fim
