#pragma once
// Ranking other files' lines against the text around the cursor: each source is cut into
// sliding windows of lines and the window whose identifier set is most similar (Jaccard) to
// the cursor's is chosen, so a relevant function in the middle of a long file wins over its
// first lines. Then the windows of all sources are cut to one budget.
#include "fimlsp/fim/prompt/other_files.hpp"
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

// A file's text with, per line, the set of its identifiers (as hashes): what was read, indexed
// once and kept between requests.
struct IndexedText {
  std::string text;
  std::vector<std::size_t> line_starts; // one per line, plus text.size() at the end
  std::vector<std::uint64_t> ids;       // per line sorted and unique, concatenated
  std::vector<std::size_t> id_starts;   // one per line, plus ids.size() at the end
  std::size_t lines() const { return line_starts.size() - 1; }
};
IndexedText index_text(std::string text);

// The sorted, unique identifier hashes of `text` (keywords and one-letter names left out).
std::vector<std::uint64_t> identifier_set(std::string_view text);

inline constexpr std::size_t kWindowLines = 24;
inline constexpr std::size_t kWindowStep = 4;

struct Window {
  std::size_t first = 0, end = 0; // lines [first, end)
  std::size_t focus = 0;          // its first line sharing an identifier with the query (else first)
  double score = 0;               // Jaccard similarity to the query
};
// The best window (Jaccard computed for the 32 windows sharing the most identifiers); of equals, the one
// whose first shared identifier comes soonest after its start (a definition followed by its body), then the
// earliest. An empty file: an empty window.
Window best_window(const IndexedText& source, std::span<const std::uint64_t> query,
                   std::size_t lines = kWindowLines, std::size_t step = kWindowStep);

struct SnippetSource {
  std::string path; // relative to the root
  const IndexedText* text = nullptr;
  bool imported = false; // imported by the current file: kept even with no overlap
};

// One window per source, best first (ties: the earlier source), while the budget lasts: a
// window counts the code points of its path and text plus what `cost` says its rendering adds
// (cost.fixed is taken from the budget first); one that does not fit is cut to the lines that
// do, from the line before its focus. Sources sharing no identifier with the query are left
// out unless imported. Returned in prompt order: the best last.
std::vector<Snippet> select_snippets(std::span<const SnippetSource> sources,
                                     std::span<const std::uint64_t> query, std::size_t max_chars,
                                     const SnippetCost& cost = {});

// Code points of UTF-8 text (bytes that do not continue a sequence).
std::size_t code_points(std::string_view s);

} // namespace fimlsp::fim
