#include "fimlsp/fim/providers/presets.hpp"

namespace fimlsp::fim {

namespace {

// Where a vendor documents several models, the preset takes its code-completion one. The
// template of a shape whose server applies its own (completions-suffix, mistral-fim, infill,
// generate) still gives the stop strings of that model family.
constexpr ProviderPreset kPresets[] = {
    {"dashscope", "https://dashscope.aliyuncs.com/compatible-mode/v1", "completions", "qwen-coder-turbo",
     "qwen", "DASHSCOPE_API_KEY"},
    {"dashscope-intl", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "completions",
     "qwen-coder-turbo", "qwen", "DASHSCOPE_API_KEY"},
    {"deepseek", "https://api.deepseek.com/beta", "completions-suffix", "deepseek-chat", "deepseek",
     "DEEPSEEK_API_KEY"},
    {"mistral", "https://api.mistral.ai/v1", "mistral-fim", "codestral-latest", "codestral",
     "MISTRAL_API_KEY"},
    {"codestral", "https://codestral.mistral.ai/v1", "mistral-fim", "codestral-latest", "codestral",
     "CODESTRAL_API_KEY"},
    {"ollama", "http://127.0.0.1:11434", "ollama-generate", "qwen2.5-coder:1.5b", "qwen", "OLLAMA_API_KEY"},
    {"llamacpp", "http://127.0.0.1:8080", "llamacpp-infill", "server-default", "qwen", "LLAMA_API_KEY"},
    {"openai-compatible", "http://127.0.0.1:8000/v1", "completions", "Qwen/Qwen2.5-Coder-1.5B", "qwen",
     "OPENAI_API_KEY"},
};

} // namespace

const ProviderPreset* find_preset(std::string_view name) {
  for (const auto& p : kPresets)
    if (p.name == name) return &p;
  return nullptr;
}

std::span<const ProviderPreset> all_presets() {
  return kPresets;
}

} // namespace fimlsp::fim
