#pragma once
// file:// URIs as the editors send them, and the paths they name.
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::server {

// The absolute path of a file:// URI (percent-decoded, "." and ".." resolved); nullopt for any
// other scheme (untitled:, a remote host).
std::optional<std::string> path_of_uri(std::string_view uri);
// The file:// URI of an absolute path.
std::string uri_of_path(std::string_view path);

} // namespace fimlsp::server
