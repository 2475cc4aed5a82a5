#pragma once
// llama.cpp server's POST {base}/infill with input_prefix, input_suffix and input_extra; replies
// {"content", "stop"}, streamed as server-sent events without [DONE]: the event whose "stop"
// is true ends the stream and carries the token counts.
#include "fimlsp/fim/providers/provider.hpp"

namespace fimlsp::fim {

const Provider& llamacpp_infill();

} // namespace fimlsp::fim
