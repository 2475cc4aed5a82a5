#include "choices_decoder.hpp"
#include "json_reply_decoder.hpp"
#include <boost/json/value.hpp>

namespace fimlsp::fim {

namespace {

namespace json = boost::json;

// The string at o[outer][inner], if it is one.
const json::string* nested_string(const json::object& o, std::string_view outer, std::string_view inner) {
  auto* v = o.if_contains(outer);
  if (!v || !v->is_object()) return nullptr;
  auto* s = v->get_object().if_contains(inner);
  return s ? s->if_string() : nullptr;
}

class ChoicesDecoder final : public JsonReplyDecoder {
public:
  ChoicesDecoder() : JsonReplyDecoder(StreamFraming::Sse, "[DONE]") {}

private:
  void event(const json::object& o, const OnText& on_text) override {
    // DashScope sends "usage": null in every chunk but the last.
    if (auto* u = o.if_contains("usage"); u && u->is_object())
      result_.usage = Usage{.prompt_tokens = count(u->get_object(), "prompt_tokens"),
                            .completion_tokens = count(u->get_object(), "completion_tokens")};
    // "choices" may be missing, null or [] (the usage-only last chunk).
    auto* choices = o.if_contains("choices");
    if (!choices || !choices->is_array() || choices->get_array().empty()) return;
    const auto& first = choices->get_array().front();
    if (!first.is_object()) return fail(error::malformed, "malformed payload: choices[0] is not an object");
    const auto& choice = first.get_object();
    std::string_view text;
    if (auto* t = choice.if_contains("text"); t && t->is_string())
      text = t->get_string();
    else if (auto* d = nested_string(choice, "delta", "content"))
      text = *d;
    else if (auto* m = nested_string(choice, "message", "content"))
      text = *m;
    if (auto* f = choice.if_contains("finish_reason"); f && f->is_string())
      result_.finish_reason = std::string(f->get_string());
    emit(text, on_text);
  }
};

} // namespace

std::unique_ptr<ReplyDecoder> make_choices_decoder() {
  return std::make_unique<ChoicesDecoder>();
}

} // namespace fimlsp::fim
