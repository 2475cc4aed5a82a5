#pragma once
// The request shapes by name (endpoint.api).
#include "fimlsp/fim/providers/provider.hpp"
#include <span>
#include <string_view>

namespace fimlsp::fim {

inline constexpr std::string_view kDefaultApi = "completions";

// nullptr for a name no provider answers to.
const Provider* find_provider(std::string_view api);

// Every shape's name, in the order the README lists them.
std::span<const std::string_view> provider_names();

} // namespace fimlsp::fim
