#pragma once
// context.exclude: which workspace files are never read nor sent as context.
#include <span>
#include <string>
#include <string_view>

namespace fimlsp::fim {

// `*` and `?` stay within one path component, `**` spans any number of them; letters match
// either case. Exposed for the tests.
bool glob_match(std::string_view pattern, std::string_view text);

// Whether `relative` (a path relative to the workspace root, '/'-separated) is excluded:
// - a pattern without '/' ("*.pem", ".env*") is matched against every component of the path,
//   so it excludes files and directories of that name at any depth;
// - a pattern ending in '/' ("node_modules/") excludes directories of that name at any depth
//   (or, with a '/' inside, the directory at that path) and everything under them;
// - any other pattern ("config/*.json", "**/fixtures/**") is matched against the whole path.
bool is_excluded(std::string_view relative, std::span<const std::string> patterns);

} // namespace fimlsp::fim
