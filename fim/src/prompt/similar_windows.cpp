#include "fimlsp/fim/prompt/similar_windows.hpp"
#include <algorithm>
#include <array>

namespace fimlsp::fim {

namespace {

bool identifier_byte(unsigned char c) {
  return c == '_' || c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

// Words every file of a language has: they would make unrelated windows look alike.
constexpr std::array<std::string_view, 44> kKeywords{
    "if",     "else",   "for",  "while",   "return",  "def",     "class",  "function", "const",
    "let",    "var",    "int",  "void",    "char",    "auto",    "struct", "public",   "private",
    "static", "import", "from", "include", "std",     "string",  "new",    "this",     "self",
    "true",   "false",  "null", "None",    "nullptr", "in",      "of",     "and",      "or",
    "not",    "fn",     "pub",  "use",     "func",    "package", "the",    "is"};

bool keyword(std::string_view w) {
  return std::find(kKeywords.begin(), kKeywords.end(), w) != kKeywords.end();
}

std::uint64_t hash_word(std::string_view w) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : w)
    h = (h ^ c) * 0x100000001B3ull;
  return h;
}

// Appends the identifiers of `line` to `out` (unsorted, with repeats).
void add_identifiers(std::string_view line, std::vector<std::uint64_t>& out) {
  for (std::size_t i = 0; i < line.size();) {
    if (!identifier_byte(static_cast<unsigned char>(line[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < line.size() && identifier_byte(static_cast<unsigned char>(line[j])))
      ++j;
    const std::string_view word = line.substr(i, j - i);
    if (word.size() > 1 && !(word[0] >= '0' && word[0] <= '9') && !keyword(word))
      out.push_back(hash_word(word));
    i = j;
  }
}

void sort_unique(std::vector<std::uint64_t>& v, std::size_t from = 0) {
  std::sort(v.begin() + static_cast<std::ptrdiff_t>(from), v.end());
  v.erase(std::unique(v.begin() + static_cast<std::ptrdiff_t>(from), v.end()), v.end());
}

double jaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  if (a.empty() || b.empty()) return 0;
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j])
      ++i;
    else if (b[j] < a[i])
      ++j;
    else
      ++common, ++i, ++j;
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

std::string_view line_text(const IndexedText& t, std::size_t first, std::size_t end) {
  return std::string_view(t.text).substr(t.line_starts[first], t.line_starts[end] - t.line_starts[first]);
}

} // namespace

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

IndexedText index_text(std::string text) {
  IndexedText t;
  t.text = std::move(text);
  const std::string_view all = t.text;
  for (std::size_t start = 0; start < all.size();) {
    const auto nl = all.find('\n', start);
    const std::size_t end = nl == std::string_view::npos ? all.size() : nl + 1;
    t.line_starts.push_back(start);
    t.id_starts.push_back(t.ids.size());
    add_identifiers(all.substr(start, end - start), t.ids);
    sort_unique(t.ids, t.id_starts.back());
    start = end;
  }
  t.line_starts.push_back(all.size());
  t.id_starts.push_back(t.ids.size());
  return t;
}

std::vector<std::uint64_t> identifier_set(std::string_view text) {
  std::vector<std::uint64_t> out;
  add_identifiers(text, out);
  sort_unique(out);
  return out;
}

Window best_window(const IndexedText& source, std::span<const std::uint64_t> query, std::size_t lines,
                   std::size_t step) {
  Window best;
  const std::size_t n = source.lines();
  if (n == 0) return best;
  lines = std::max<std::size_t>(lines, 1);
  step = std::max<std::size_t>(step, 1);
  best.end = std::min(n, lines);
  // Per line, how many of its identifiers the query has; summed up to each line.
  std::vector<std::uint32_t> hits(n), before(n + 1);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = source.id_starts[i]; k < source.id_starts[i + 1]; ++k)
      hits[i] += std::binary_search(query.begin(), query.end(), source.ids[k]);
    before[i + 1] = before[i] + hits[i];
  }
  // Exact Jaccard only for the windows with the most shared identifiers: a long file costs a pass
  // over its lines plus a fixed number of windows.
  struct Candidate {
    std::size_t first;
    std::uint32_t shared;
  };
  std::vector<Candidate> candidates;
  for (std::size_t first = 0;; first += step) {
    const std::size_t end = std::min(n, first + lines);
    if (const auto shared = before[end] - before[first]) candidates.push_back({first, shared});
    if (end == n) break;
  }
  constexpr std::size_t kExact = 32;
  if (candidates.size() > kExact) {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.shared > b.shared; });
    candidates.resize(kExact);
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) { return a.first < b.first; });
  }
  std::size_t best_offset = n;
  std::vector<std::uint64_t> set;
  for (const Candidate& c : candidates) {
    const std::size_t first = c.first, end = std::min(n, first + lines);
    set.assign(source.ids.begin() + static_cast<std::ptrdiff_t>(source.id_starts[first]),
               source.ids.begin() + static_cast<std::ptrdiff_t>(source.id_starts[end]));
    sort_unique(set);
    const double score = jaccard(set, query);
    std::size_t focus = first;
    while (focus < end && hits[focus] == 0)
      ++focus;
    const std::size_t offset = focus - first;
    if (score > best.score || (score == best.score && score > 0 && offset < best_offset)) {
      best = {first, end, focus, score};
      best_offset = offset;
    }
  }
  return best;
}

std::vector<Snippet> select_snippets(std::span<const SnippetSource> sources,
                                     std::span<const std::uint64_t> query, std::size_t max_chars,
                                     const SnippetCost& extra) {
  struct Ranked {
    std::size_t source;
    Window window;
  };
  std::vector<Ranked> ranked;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (!sources[i].text || sources[i].text->lines() == 0) continue;
    const Window w = best_window(*sources[i].text, query);
    if (w.score > 0 || sources[i].imported) ranked.push_back({i, w});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) { return a.window.score > b.window.score; });
  std::vector<Snippet> chosen;
  if (extra.fixed >= max_chars) return chosen;
  std::size_t left = max_chars - extra.fixed;
  for (const auto& r : ranked) {
    const SnippetSource& s = sources[r.source];
    const std::size_t path_cost = code_points(s.path) + extra.per_file;
    if (path_cost >= left) continue;
    // All of the window if it fits, else whole lines from the one before its focus.
    std::size_t begin = r.window.first;
    const std::size_t whole = code_points(line_text(*s.text, r.window.first, r.window.end)) +
                              extra.per_line * (r.window.end - r.window.first);
    if (path_cost + whole + 1 > left)
      begin = std::max(r.window.first, r.window.focus == 0 ? 0 : r.window.focus - 1);
    std::size_t cost = path_cost, end = begin;
    while (end < r.window.end) {
      const std::size_t line = code_points(line_text(*s.text, end, end + 1)) + extra.per_line;
      if (cost + line + 1 > left) break; // +1: the newline a last line may need
      cost += line;
      ++end;
    }
    if (end == begin) continue;
    std::string text(line_text(*s.text, begin, end));
    if (!text.ends_with('\n')) text += '\n', ++cost;
    left -= cost;
    chosen.push_back({s.path, std::move(text)});
  }
  std::reverse(chosen.begin(), chosen.end());
  return chosen;
}

} // namespace fimlsp::fim
