#pragma once
// Server-sent events and the Completions API's payloads, free of I/O.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::fim {

// Takes bytes in any split; calls on_data with each event's data (several data: lines joined
// by "\n"; one space after "data:" dropped; comments and other fields ignored; CRLF, LF or CR).
class SseParser {
public:
  using DataFn = std::function<void(std::string_view data)>;
  void feed(std::string_view bytes, const DataFn& on_data);
  void finish(const DataFn& on_data); // end of stream: dispatch a pending event

private:
  std::string line_;
  std::string data_;
  bool has_data_ = false;
  bool last_was_cr_ = false;
};

// One Completions payload: a stream chunk, "[DONE]", or a whole non-streamed reply.
struct CompletionPayload {
  std::string text;  // choices[0].text (null/missing → "")
  bool done = false; // "[DONE]"
  std::optional<std::string> finish_reason;
  std::optional<std::string>
      error;              // {"error": {...}} → its message (and code); malformed JSON → a description
  bool malformed = false; // error came from unparsable JSON, not from the backend
};
CompletionPayload decode_payload(std::string_view data);

} // namespace fimlsp::fim
