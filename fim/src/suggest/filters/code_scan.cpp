#include "code_scan.hpp"
#include "filter_text.hpp"
#include <algorithm>
#include <array>
#include <boost/algorithm/string/case_conv.hpp>
#include <cctype>
#include <string>
#include <utility>

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
  return std::find(kVoidElements.begin(), kVoidElements.end(),
                   boost::algorithm::to_lower_copy(std::string(name))) != kVoidElements.end();
}

// Elements whose end tag may be left out.
constexpr std::array<std::string_view, 10> kImplicitEnd{"li",     "p",  "td", "th", "tr",
                                                        "option", "dt", "dd", "rt", "rp"};

bool ends_implicitly(std::string_view name) {
  return std::find(kImplicitEnd.begin(), kImplicitEnd.end(), name) != kImplicitEnd.end();
}

// A new `<td>` ends an open `<th>` too, a `<dd>` a `<dt>`.
bool same_kind(std::string_view open, std::string_view next) {
  auto kind = [](std::string_view n) { return n == "th" ? "td" : n == "dt" ? "dd" : n == "rp" ? "rt" : n; };
  return kind(open) == kind(next);
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

// Rust r"…", r#"…"#, br"…" and C++ R"delim(…)delim" (with u8R, LR, …): no escapes inside, and
// they may run on over lines.
std::size_t Scanner::skip_raw_string(std::string_view line, std::size_t i) {
  // The prefix may follow an encoding prefix (br"", u8R"", LR"") but not another identifier.
  const bool in_word = i > 0 && filter_text::is_word_byte(line[i - 1]) &&
                       std::string_view("b8LuU").find(line[i - 1]) == std::string_view::npos;
  if (!facts_.raw_strings || in_word) return i;
  std::string close;
  std::size_t j = i + 1;
  if (line[i] == 'r') { // Rust
    while (j < line.size() && line[j] == '#')
      ++j;
    if (j >= line.size() || line[j] != '"') return i;
    close = "\"" + std::string(j - i - 1, '#');
    ++j;
  } else if (line[i] == 'R' && j < line.size() && line[j] == '"') { // C++
    const auto paren = line.find('(', j + 1);
    if (paren == std::string_view::npos || paren - j > 17) return i;
    close = ")" + std::string(line.substr(j + 1, paren - j - 1)) + "\"";
    j = paren + 1;
  } else {
    return i;
  }
  const auto end = line.find(close, j);
  if (end != std::string_view::npos) return end + close.size();
  open_quote_ = close;
  return line.size();
}

// A JavaScript regular expression: a `/` where an operand is expected (line start, after an
// operator, an opening bracket, `return`, `typeof`), up to the unescaped `/` outside `[…]`.
std::size_t Scanner::skip_regex(std::string_view line, std::size_t i) {
  if (!facts_.regex_literals || line[i] != '/') return i;
  std::size_t p = i;
  while (p > 0 && filter_text::is_space(line[p - 1]))
    --p;
  if (p > 0) {
    const char before = line[p - 1];
    std::size_t w = p;
    while (w > 0 && filter_text::is_word_byte(line[w - 1]))
      --w;
    const std::string_view word = line.substr(w, p - w);
    const bool operand_expected =
        std::string_view("(,=:[!&|?{};+-*%<>~^").find(before) != std::string_view::npos || word == "return" ||
        word == "typeof" || word == "case";
    if (!operand_expected) return i;
  }
  bool in_class = false;
  for (std::size_t j = i + 1; j < line.size(); ++j) {
    if (line[j] == '\\')
      ++j;
    else if (line[j] == '[')
      in_class = true;
    else if (line[j] == ']')
      in_class = false;
    else if (line[j] == '/' && !in_class)
      return j + 1;
  }
  return i; // no closing `/` on the line: a division after all
}

// `<<EOF`, `<<-EOF`, `<<~EOS`, `<< 'EOF'`: the lines after this one, up to the word alone on a
// line, are text. A lowercase word needs no space and no quotes to count (`items << item` is no
// here-document).
void Scanner::note_heredoc(std::string_view line, std::size_t i) {
  std::size_t j = i + 2;
  if (j < line.size() && (line[j] == '-' || line[j] == '~')) ++j;
  const std::size_t spaced = j;
  while (j < line.size() && line[j] == ' ')
    ++j;
  const bool quoted = j < line.size() && (line[j] == '\'' || line[j] == '"');
  if (quoted) ++j;
  std::size_t end = j;
  while (end < line.size() && filter_text::is_word_byte(line[end]))
    ++end;
  const std::string_view word = line.substr(j, end - j);
  if (word.empty() || std::isdigit(static_cast<unsigned char>(word[0]))) return;
  const bool upper = std::all_of(word.begin(), word.end(),
                                 [](char c) { return !std::islower(static_cast<unsigned char>(c)); });
  if (!quoted && !upper) return;
  if (!quoted && j != spaced && !upper) return;
  pending_heredoc_ = word;
}

// Markup: `<name` opens (unless void or self-closed by `/>`), `</name>` closes it and whatever
// it holds. Elements whose end tag HTML lets out (`<li>`, `<p>`, `<td>`, …) are closed by the
// next one of their kind and by the end of the element around them.
void Scanner::count_tag(std::string_view line, std::size_t& i, int& depth, int& lowest) {
  auto close_one = [&] {
    if (!open_tags_.empty()) open_tags_.pop_back();
    lowest = std::min(lowest, --depth);
  };
  if (in_tag_) {
    const auto end = line.find('>', i);
    if (end == std::string_view::npos) {
      i = line.size();
      return;
    }
    in_tag_ = false;
    if (end > 0 && line[end - 1] == '/') close_one();
    i = end + 1;
    return;
  }
  const std::string_view rest = line.substr(i + 1);
  const auto end = line.find('>', i);
  i = end == std::string_view::npos ? line.size() : end + 1;
  if (rest.starts_with('/')) {
    const std::string name = boost::algorithm::to_lower_copy(std::string(tag_name(rest.substr(1))));
    if (name.empty()) return;
    const auto open = std::find(open_tags_.rbegin(), open_tags_.rend(), name);
    if (open != open_tags_.rend()) {
      for (auto n = open - open_tags_.rbegin() + 1; n > 0; --n)
        close_one();
      return;
    }
    while (!open_tags_.empty() && ends_implicitly(open_tags_.back()))
      close_one();
    lowest = std::min(lowest, --depth); // an element opened before the cursor
    return;
  }
  const std::string name = boost::algorithm::to_lower_copy(std::string(tag_name(rest)));
  if (name.empty() || is_void(name)) return; // `a < b`, `<!doctype>`, `<?xml`, `<br>`
  if (!open_tags_.empty() && ends_implicitly(name) && same_kind(open_tags_.back(), name)) close_one();
  open_tags_.push_back(name);
  ++depth;
  if (end == std::string_view::npos)
    in_tag_ = true;
  else if (line[end - 1] == '/')
    close_one();
}

LineDepth Scanner::line(std::string_view line) {
  if (!heredoc_.empty()) {
    if (filter_text::trim(line) == heredoc_) heredoc_.clear();
    return {};
  }
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
    if (const auto after = skip_raw_string(line, i); after != i) {
      i = after;
      continue;
    }
    if (facts_.quotes.find(c) != std::string_view::npos) {
      i = skip_string(line, i);
      continue;
    }
    if (const auto after = skip_regex(line, i); after != i) {
      i = after;
      continue;
    }
    if (facts_.heredocs && c == '<' && line.substr(i).starts_with("<<")) {
      note_heredoc(line, i);
      i += 2;
      continue;
    }
    if (facts_.brackets && is_open(c)) ++depth;
    if (facts_.brackets && is_close(c)) lowest = std::min(lowest, --depth);
    ++i;
  }
  if (!pending_heredoc_.empty()) heredoc_ = std::exchange(pending_heredoc_, {});
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

namespace {

bool ends_with_word(std::string_view t, std::string_view word) {
  return t.ends_with(word) &&
         (t.size() == word.size() || !filter_text::is_word_byte(t[t.size() - word.size() - 1]));
}

} // namespace

int keyword_depth_change(std::string_view t, const LanguageFacts& f) {
  if (f.closing_keywords.empty() || t.empty()) return 0;
  for (auto kw : f.closing_keywords)
    if (starts_with_word(t, kw)) return -1;
  if (is_continuation_line(t, f)) return 0;
  // A one-line block (`def x; end`, `if a then b end`) opens nothing.
  for (auto kw : f.closing_keywords)
    if (ends_with_word(t, kw)) return 0;
  for (auto h : f.header_starts)
    if (starts_with_word(t, h)) return 1;
  const bool braces =
      std::find(f.closing_keywords.begin(), f.closing_keywords.end(), "}") != f.closing_keywords.end();
  for (auto h : f.header_endings) {
    const bool word = filter_text::is_word_byte(h.front());
    if (!(word ? ends_with_word(t, h) : t.ends_with(h))) continue;
    // Brackets have their own count; `{` is a keyword opener where `}` is a closing keyword.
    if (word || h == "|" || h == "->" || (braces && h == "{")) return 1;
  }
  return 0;
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
