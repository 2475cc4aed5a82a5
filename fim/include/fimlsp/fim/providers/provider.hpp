#pragma once
// The seam between a completion plan and one backend API's request/response shape: a Provider
// makes the HTTP request and a decoder per reply turns body bytes into text pieces, usage, the
// finish reason and classified errors. A new shape is a new file plus a line in registry.cpp.
#include "fimlsp/fim/completion_stream.hpp"
#include "fimlsp/fim/net/http_stream.hpp"
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

struct DecodedReply {
  boost::system::error_code ec; // http_status, backend (an error inside a 2xx reply), malformed,
                                // network (the stream ended before its end marker)
  std::string message;          // one line for logs
  std::optional<Usage> usage;
  std::optional<std::string> finish_reason;
  std::optional<std::chrono::milliseconds> retry_after; // on 429 and 503, within kMaxRetryAfter
  bool done = false;                                    // the stream's end marker arrived
};

class ReplyDecoder {
public:
  // A piece of text; returning false stops the reply.
  using OnText = std::function<bool(std::string_view)>;
  virtual ~ReplyDecoder() = default;
  // The reply's status and headers decide how its body is read.
  virtual void start(const ResponseHead& head) = 0;
  // Body bytes in any split. False: stop reading (on_text asked to, or the reply failed).
  virtual bool feed(std::string_view bytes, const OnText& on_text) = 0;
  // The whole body has arrived.
  virtual void finish(const OnText& on_text) = 0;
  const DecodedReply& result() const { return result_; }

protected:
  DecodedReply result_;
};

class Provider {
public:
  virtual ~Provider() = default;
  // Method, path under the endpoint's base path, headers (the key among them) and body.
  virtual HttpRequest make_request(const CompletionPlan& plan, std::string_view api_key) const = 0;
  virtual std::unique_ptr<ReplyDecoder> make_decoder() const = 0;
  // The settings (e.g. "request.presencePenalty") that are set in `r` but that this shape has
  // no field for: they are not sent, and the caller says so once.
  virtual std::vector<std::string> unsent(const RequestSettings& r) const {
    (void)r;
    return {};
  }
};

} // namespace fimlsp::fim
