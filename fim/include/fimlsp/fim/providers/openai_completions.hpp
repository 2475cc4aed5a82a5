#pragma once
// OpenAI-style POST {base}/completions with the template-rendered FIM prompt in "prompt"
// (DashScope compatible mode, and every server that speaks it). Replies: server-sent events of
// {"choices":[{"text"}]} chunks ending with data: [DONE], or one JSON reply when not streamed.
#include "fimlsp/fim/providers/provider.hpp"

namespace fimlsp::fim {

const Provider& openai_completions();

} // namespace fimlsp::fim
