#include "support/test_backend_shapes.hpp"
#include <boost/json.hpp>

namespace fimlsp::test {

namespace json = boost::json;

namespace {

constexpr std::size_t kPromptTokens = 10;

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

json::string str(std::string_view s) {
  return json::string(s.data(), s.size());
}

json::object openai_usage(std::size_t chunks) {
  return {{"prompt_tokens", kPromptTokens},
          {"completion_tokens", chunks},
          {"total_tokens", kPromptTokens + chunks}};
}

std::string completions_chunk(std::string_view text, const char* finish) {
  json::object choice{{"index", 0}, {"text", str(text)}, {"logprobs", nullptr}};
  choice["finish_reason"] = finish ? json::value(finish) : json::value(nullptr);
  return json::serialize(json::object{{"id", "cmpl-test"},
                                      {"object", "text_completion"},
                                      {"created", 1700000000},
                                      {"model", "test"},
                                      {"choices", json::array{choice}},
                                      {"usage", nullptr}});
}

json::object mistral_chunk(std::string_view text, const char* finish) {
  json::object choice{{"index", 0}, {"delta", {{"content", str(text)}}}};
  choice["finish_reason"] = finish ? json::value(finish) : json::value(nullptr);
  return {{"id", "fim-test"},
          {"object", "chat.completion.chunk"},
          {"created", 1700000000},
          {"model", "codestral-latest"},
          {"choices", json::array{choice}}};
}

json::object infill_event(std::string_view text, bool stop, std::size_t predicted) {
  json::object o{{"index", 0}, {"content", str(text)}, {"stop", stop}, {"id_slot", 0}};
  if (stop) {
    o["stop_type"] = "eos";
    o["tokens_predicted"] = predicted;
    o["tokens_evaluated"] = kPromptTokens;
    o["timings"] = json::object{{"prompt_n", kPromptTokens}, {"predicted_n", predicted}};
  }
  return o;
}

json::object ollama_line(std::string_view text, bool done, std::size_t chunks) {
  json::object o{
      {"model", "test"}, {"created_at", "2024-01-01T00:00:00Z"}, {"response", str(text)}, {"done", done}};
  if (done) {
    o["done_reason"] = "stop";
    o["prompt_eval_count"] = kPromptTokens;
    o["eval_count"] = chunks;
  }
  return o;
}

} // namespace

Shape shape_of(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (ends_with(target, "/fim/completions")) return Shape::MistralFim;
  if (ends_with(target, "/infill")) return Shape::LlamacppInfill;
  if (ends_with(target, "/api/generate")) return Shape::OllamaGenerate;
  return Shape::Completions;
}

bool streams_by_default(Shape s) {
  return s == Shape::OllamaGenerate;
}

const char* stream_content_type(Shape s) {
  return s == Shape::OllamaGenerate ? "application/x-ndjson" : "text/event-stream";
}

std::string framed(Shape s, std::string_view json_text) {
  if (s == Shape::OllamaGenerate) return std::string(json_text) + "\n";
  return "data: " + std::string(json_text) + "\n\n";
}

std::string stream_prologue(Shape s) {
  return s == Shape::OllamaGenerate ? "" : ": test backend\n\n";
}

std::string text_event(Shape s, std::string_view text, std::size_t index) {
  switch (s) {
  case Shape::Completions:
    return framed(s, completions_chunk(text, nullptr));
  case Shape::MistralFim:
    return framed(s, json::serialize(mistral_chunk(text, nullptr)));
  case Shape::LlamacppInfill:
    return framed(s, json::serialize(infill_event(text, false, index + 1)));
  case Shape::OllamaGenerate:
    return framed(s, json::serialize(ollama_line(text, false, index + 1)));
  }
  return {};
}

std::string closing_events(Shape s, std::size_t chunks, bool include_usage) {
  switch (s) {
  case Shape::Completions: {
    std::string out = framed(s, completions_chunk({}, "stop"));
    if (include_usage)
      out += framed(s, json::serialize(json::object{{"id", "cmpl-test"},
                                                    {"object", "text_completion"},
                                                    {"choices", json::array{}},
                                                    {"usage", openai_usage(chunks)}}));
    return out + "data: [DONE]\n\n";
  }
  case Shape::MistralFim: {
    json::object last = mistral_chunk({}, "stop");
    last["usage"] = openai_usage(chunks); // Mistral's last chunk carries it unasked
    return framed(s, json::serialize(last)) + "data: [DONE]\n\n";
  }
  case Shape::LlamacppInfill:
    return framed(s, json::serialize(infill_event({}, true, chunks)));
  case Shape::OllamaGenerate:
    return framed(s, json::serialize(ollama_line({}, true, chunks)));
  }
  return {};
}

std::string whole_reply(Shape s, std::string_view text, std::size_t chunks) {
  switch (s) {
  case Shape::Completions:
    return completions_chunk(text, "stop");
  case Shape::MistralFim:
    return json::serialize(
        json::object{{"id", "fim-test"},
                     {"object", "chat.completion"},
                     {"model", "codestral-latest"},
                     {"choices", json::array{{{"index", 0},
                                              {"message", {{"role", "assistant"}, {"content", str(text)}}},
                                              {"finish_reason", "stop"}}}},
                     {"usage", openai_usage(chunks)}});
  case Shape::LlamacppInfill:
    return json::serialize(infill_event(text, true, chunks));
  case Shape::OllamaGenerate:
    return json::serialize(ollama_line(text, true, chunks));
  }
  return {};
}

std::string error_body(Shape s, int status, std::string_view message, std::string_view code) {
  switch (s) {
  case Shape::Completions:
    return json::serialize(json::object{
        {"error",
         {{"message", str(message)}, {"type", str(code)}, {"param", nullptr}, {"code", str(code)}}}});
  case Shape::MistralFim:
    return json::serialize(json::object{{"object", "error"},
                                        {"message", str(message)},
                                        {"type", str(code)},
                                        {"param", nullptr},
                                        {"code", str(code)}});
  case Shape::LlamacppInfill:
    return json::serialize(
        json::object{{"error", {{"code", status}, {"message", str(message)}, {"type", str(code)}}}});
  case Shape::OllamaGenerate:
    return json::serialize(json::object{{"error", str(message)}});
  }
  return {};
}

std::string error_event(Shape s) {
  return framed(s, error_body(s, 500, "The model is overloaded.", "overloaded"));
}

std::string malformed_event(Shape s) {
  return framed(s, s == Shape::OllamaGenerate ? "{\"response\": [ not json" : "{\"choices\": [ not json");
}

} // namespace fimlsp::test
