#pragma once
// OpenAI-style POST {base}/completions with the prefix in "prompt" and the suffix in "suffix":
// the server applies its own FIM template (DeepSeek's /beta, Ollama's /v1, other OpenAI-style
// servers). Replies as completions: choices[0].text, streamed as server-sent events.
#include "fimlsp/fim/providers/provider.hpp"

namespace fimlsp::fim {

const Provider& completions_suffix();

} // namespace fimlsp::fim
