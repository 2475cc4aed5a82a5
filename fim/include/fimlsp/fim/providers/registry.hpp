#pragma once
// The request shapes by name (endpoint.api).
#include "fimlsp/fim/providers/provider.hpp"
#include <string_view>

namespace fimlsp::fim {

inline constexpr std::string_view kDefaultApi = "completions";

// nullptr for a name no provider answers to.
const Provider* find_provider(std::string_view api);

} // namespace fimlsp::fim
