#pragma once
// Mistral's FIM API, POST {base}/fim/completions with "prompt" (the prefix) and "suffix";
// replies choices[0].message.content, streamed as server-sent events of choices[0].delta.content
// ending with data: [DONE].
#include "fimlsp/fim/providers/provider.hpp"

namespace fimlsp::fim {

const Provider& mistral_fim();

} // namespace fimlsp::fim
