#pragma once
// Ollama's native POST {base}/api/generate with "prompt" (the prefix) and "suffix", the
// parameters under "options"; replies newline-delimited JSON objects {"response", "done"}, the
// last ("done": true) with the token counts.
#include "fimlsp/fim/providers/provider.hpp"

namespace fimlsp::fim {

const Provider& ollama_generate();

} // namespace fimlsp::fim
