#pragma once
// Reading workspace files for the prompt's context, safely: never an excluded file, never
// outside the root (symlinks resolved first), never more than max_bytes, never a binary file.
// Blocking: called off the io thread (source_index.hpp).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

enum class ReadStatus { ok, excluded, outside_root, missing, not_a_file, too_large, binary };
std::string_view to_string(ReadStatus s);

struct FileStamp {
  std::int64_t mtime_ns = 0;
  std::uint64_t size = 0;
  bool operator==(const FileStamp&) const = default;
};

struct ReadResult {
  ReadStatus status = ReadStatus::missing;
  std::string text; // valid UTF-8 (invalid bytes became U+FFFD) when ok
  FileStamp stamp;
};

struct ReadLimits {
  std::size_t max_bytes = 1000000;
  std::span<const std::string> exclude;
};

// `root` is an absolute directory, `relative` '/'-separated under it. The exclusions are checked
// on `relative` before anything is opened, and again on the path symlinks lead to.
ReadResult read_workspace_file(const std::string& root, std::string_view relative, const ReadLimits& limits);

// The stamp of the file as read_workspace_file would see it (status missing when it is gone).
ReadResult stat_workspace_file(const std::string& root, std::string_view relative, const ReadLimits& limits);

// The .go files of a package directory (not its tests), sorted, at most `max_files`.
std::vector<std::string> go_package_files(const std::string& root, std::string_view directory,
                                          const ReadLimits& limits, std::size_t max_files);

// Replaces each invalid UTF-8 sequence by U+FFFD.
std::string valid_utf8(std::string_view s);

} // namespace fimlsp::fim
