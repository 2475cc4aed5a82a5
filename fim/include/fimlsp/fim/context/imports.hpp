#pragma once
// The files a source file imports or includes, as paths relative to the workspace root where
// they may be. Only text is looked at here; which candidate exists is decided by the reader.
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

// The language of a file by its languageId, else by its extension: "python", "javascript"
// (also TypeScript and JSX), "go", "rust", "c" (also C++), "java", or "" for the others.
std::string_view import_language(std::string_view language_id, std::string_view path);

// One entry per import, in the order of the text, each with the paths it may resolve to (the
// first that exists wins). A path ending in '/' is a Go package directory (its .go files).
// `current` is the file's path relative to the root; `head` its first lines; `go_module` the
// module path of the root's go.mod ("" when there is none). Paths leaving the root are dropped.
std::vector<std::vector<std::string>> import_candidates(std::string_view language, std::string_view current,
                                                        std::string_view head, std::string_view go_module);

// The module path declared by a go.mod file's text, "" when none.
std::string go_module_path(std::string_view go_mod);

// `base` and `relative` joined with "." and ".." resolved; nullopt-like "" when it leaves the root.
std::string join_path(std::string_view base, std::string_view relative);

} // namespace fimlsp::fim
