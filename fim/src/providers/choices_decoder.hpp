#pragma once
// Replies of the OpenAI-style shapes (completions, completions-suffix, mistral-fim): objects with
// "choices": [{"text"}] (completions), [{"delta": {"content"}}] (streamed chat-style chunks, as
// Mistral's FIM streams) or [{"message": {"content"}}] (Mistral's whole FIM reply), a
// "finish_reason", and "usage"; streams are server-sent events ending with data: [DONE].
#include "fimlsp/fim/providers/provider.hpp"
#include <memory>

namespace fimlsp::fim {

std::unique_ptr<ReplyDecoder> make_choices_decoder();

} // namespace fimlsp::fim
