#pragma once
// The reply formats of the test backend's routes, one per request shape: what a real server of
// that shape sends for a stream, a whole reply, an error status and an error inside a stream.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::test {

enum class Shape {
  Completions,    // POST .../completions: OpenAI/DashScope/DeepSeek, choices[].text, SSE + [DONE]
  MistralFim,     // POST .../fim/completions: choices[].delta.content / message.content, SSE + [DONE]
  LlamacppInfill, // POST .../infill: {"content", "stop"}, SSE without [DONE]
  OllamaGenerate, // POST .../api/generate: NDJSON {"response", "done"}
};

// The route a request target takes (by its last path segments; a query is ignored).
Shape shape_of(std::string_view target);
// Whether the shape streams when the request says nothing (Ollama does).
bool streams_by_default(Shape s);

const char* stream_content_type(Shape s);
// One event of a stream, framed (SSE "data: ...\n\n" or an NDJSON line).
std::string framed(Shape s, std::string_view json);
// What a stream starts with before its first event (an SSE comment, as real servers send).
std::string stream_prologue(Shape s);
std::string text_event(Shape s, std::string_view text, std::size_t index);
// The events after the last text: finish reason, usage (completions: only when asked), end marker.
std::string closing_events(Shape s, std::size_t chunks, bool include_usage);
std::string whole_reply(Shape s, std::string_view text, std::size_t chunks);
// The body of an error status, as that server writes it.
std::string error_body(Shape s, int status, std::string_view message, std::string_view code);
// An error in the middle of a 200 stream, framed.
std::string error_event(Shape s);
// A stream event that is not JSON, framed.
std::string malformed_event(Shape s);

} // namespace fimlsp::test
