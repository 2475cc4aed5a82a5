#include "code_scan.hpp"
#include "filter_text.hpp"
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace fimlsp::fim::code_scan {

namespace {

constexpr std::array<std::string_view, 14> kVoidElements{"area",  "base",   "br",    "col",  "embed",
                                                         "hr",    "img",    "input", "link", "meta",
                                                         "param", "source", "track", "wbr"};

bool is_open(char c) {
  return c == '(' || c == '[' || c == '{';
}
bool is_close(char c) {
  return c == ')' || c == ']' || c == '}';
}

std::string_view tag_name(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && (filter_text::is_word_byte(s[n]) || s[n] == '-' || s[n] == ':' || s[n] == '.'))
    ++n;
  return s.substr(0, n);
}

bool is_void(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(kVoidElements.begin(), kVoidElements.end(), lower) != kVoidElements.end();
}

// Whether a line comment starts at line[i]: `#` only at the start or after white space (`$#`,
// `${#a}` and `a#b` are no comments).
bool line_comment_at(std::string_view line, std::size_t i, const LanguageFacts& f) {
  for (auto c : f.line_comments)
    if (line.substr(i).starts_with(c) && (c != "#" || i == 0 || filter_text::is_space(line[i - 1])))
      return true;
  return false;
}

} // namespace

// A string that starts at line[i] (a quote of the language): returns the index after it. A quote
// tripled (""") or a backtick runs on to the next line when not closed on this one.
std::size_t Scanner::skip_string(std::string_view line, std::size_t i) {
  const char q = line[i];
  if (q == '\'' && facts_.char_literals) {
    // 'a', '\n', '\x41' are char literals; Rust's 'a lifetime and an apostrophe are not.
    std::size_t j = i + 1;
    if (j < line.size() && line[j] == '\\') {
      const auto close = line.find('\'', j + 2);
      return close != std::string_view::npos && close - i <= 12 ? close + 1 : i + 1;
    }
    if (j < line.size()) j += filter_text::code_point_length(line[j]);
    return j < line.size() && line[j] == '\'' ? j + 1 : i + 1;
  }
  const std::string_view triple = line.substr(i, 3);
  const bool tripled = triple.size() == 3 && triple[1] == q && triple[2] == q;
  const std::string_view quote = tripled ? triple : line.substr(i, 1);
  for (std::size_t j = i + quote.size(); j < line.size(); ++j) {
    if (line[j] == '\\') {
      ++j;
      continue;
    }
    if (line.substr(j).starts_with(quote)) return j + quote.size();
  }
  if (tripled || q == '`') open_quote_ = tripled ? (q == '"' ? "\"\"\"" : "'''") : "`";
  return line.size();
}

// Markup: `<name` opens (unless void or self-closed by `/>`), `</name>` closes.
void Scanner::count_tag(std::string_view line, std::size_t& i, int& depth, int& lowest) {
  if (in_tag_) {
    const auto end = line.find('>', i);
    if (end == std::string_view::npos) {
      i = line.size();
      return;
    }
    in_tag_ = false;
    if (end > 0 && line[end - 1] == '/') --depth;
    i = end + 1;
    return;
  }
  const std::string_view rest = line.substr(i + 1);
  if (rest.starts_with('/')) {
    if (!tag_name(rest.substr(1)).empty()) lowest = std::min(lowest, --depth);
    const auto end = line.find('>', i);
    i = end == std::string_view::npos ? line.size() : end + 1;
    return;
  }
  const std::string_view name = tag_name(rest);
  if (name.empty()) {
    ++i; // `a < b`, `<!doctype>`, `<?xml`
    return;
  }
  const auto end = line.find('>', i);
  if (!is_void(name)) {
    ++depth;
    if (end == std::string_view::npos)
      in_tag_ = true;
    else if (line[end - 1] == '/')
      --depth;
  }
  i = end == std::string_view::npos ? line.size() : end + 1;
}

LineDepth Scanner::line(std::string_view line) {
  int depth = 0, lowest = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    if (in_comment_) {
      const auto end = line.find(facts_.block_comment_close, i);
      if (end == std::string_view::npos) break;
      in_comment_ = false;
      i = end + facts_.block_comment_close.size();
      continue;
    }
    if (!open_quote_.empty()) {
      const auto end = line.find(open_quote_, i);
      if (end == std::string_view::npos) break;
      i = end + open_quote_.size();
      open_quote_ = {};
      continue;
    }
    if (facts_.markup && in_tag_) {
      count_tag(line, i, depth, lowest);
      continue;
    }
    if (!facts_.block_comment_open.empty() && line.substr(i).starts_with(facts_.block_comment_open)) {
      in_comment_ = true;
      i += facts_.block_comment_open.size();
      continue;
    }
    if (line_comment_at(line, i, facts_)) break;
    const char c = line[i];
    if (facts_.markup) {
      if (c == '<')
        count_tag(line, i, depth, lowest);
      else
        ++i;
      continue;
    }
    if (facts_.quotes.find(c) != std::string_view::npos) {
      i = skip_string(line, i);
      continue;
    }
    if (facts_.brackets && is_open(c)) ++depth;
    if (facts_.brackets && is_close(c)) lowest = std::min(lowest, --depth);
    ++i;
  }
  return {depth, lowest};
}

bool starts_with_word(std::string_view trimmed, std::string_view word) {
  return trimmed.starts_with(word) &&
         (trimmed.size() == word.size() || !filter_text::is_word_byte(trimmed[word.size()]));
}

bool is_closing_line(std::string_view t, const LanguageFacts& f) {
  if (t.empty()) return false;
  for (auto kw : f.closing_keywords)
    if (starts_with_word(t, kw)) {
      t.remove_prefix(kw.size());
      break;
    }
  while (!t.empty()) {
    if (t.starts_with("</")) {
      const auto end = t.find('>');
      if (end == std::string_view::npos || tag_name(t.substr(2)).size() + 2 != end) return false;
      t.remove_prefix(end + 1);
    } else if (is_close(t[0]) || t[0] == ';' || t[0] == ',' || filter_text::is_space(t[0])) {
      t.remove_prefix(1);
    } else {
      return false;
    }
  }
  return true;
}

bool starts_closing(std::string_view t, const LanguageFacts& f) {
  if (t.empty()) return false;
  if (is_close(t[0]) || t.starts_with("</")) return true;
  return std::any_of(f.closing_keywords.begin(), f.closing_keywords.end(),
                     [&](std::string_view kw) { return starts_with_word(t, kw); });
}

bool is_continuation_line(std::string_view t, const LanguageFacts& f) {
  if (f.brackets && !t.empty() && is_close(t[0])) {
    // `} else {`, `} catch (e) {`, `}) => {`: closes, then opens again before the line ends.
    const std::string_view end = filter_text::trim_end(t);
    return t.size() > 1 && (end.ends_with('{') || end.ends_with('(') || end.ends_with('['));
  }
  return std::any_of(f.continuation_keywords.begin(), f.continuation_keywords.end(),
                     [&](std::string_view kw) { return starts_with_word(t, kw); });
}

bool ends_header(std::string_view t, const LanguageFacts& f) {
  if (t.empty()) return false;
  if (f.markup) {
    // An open tag that is not closed on the line: `<ul>`, `<div class="a">`.
    const auto open = t.rfind('<');
    if (open == std::string_view::npos || !t.ends_with('>') || t.ends_with("/>")) return false;
    const std::string_view name = tag_name(t.substr(open + 1));
    return !name.empty() && !is_void(name);
  }
  for (auto h : f.header_starts)
    if (starts_with_word(t, h)) return true;
  for (auto h : f.header_endings) {
    if (!t.ends_with(h)) continue;
    // `)` ends a shell case pattern (`start)`), not a call (`x=$(date)`).
    if (h == ")" && t.find('(') != std::string_view::npos) continue;
    const bool word = filter_text::is_word_byte(h.front());
    if (!word || t.size() == h.size() || !filter_text::is_word_byte(t[t.size() - h.size() - 1])) return true;
  }
  return false;
}

} // namespace fimlsp::fim::code_scan
