#pragma once
// Reading lines of code as the block rules need: brackets and markup tags counted outside
// strings, comments, char literals, regular expressions and here-documents, with the state that
// carries from line to line.
#include "fimlsp/fim/suggest/language_facts.hpp"
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim::code_scan {

// How a line moves the bracket depth (or, in markup, the element depth): its net change and
// the lowest depth reached within it, both relative to the depth at its start.
struct LineDepth {
  int change = 0, lowest = 0;
};

class Scanner {
public:
  explicit Scanner(const LanguageFacts& facts) : facts_(facts) {}
  LineDepth line(std::string_view line);
  // Whether the next line starts inside a string, comment or here-document that runs on from a
  // line before: such a line is text, not code.
  bool inside() const { return in_comment_ || !open_quote_.empty() || !heredoc_.empty(); }

private:
  std::size_t skip_string(std::string_view line, std::size_t i);
  std::size_t skip_raw_string(std::string_view line, std::size_t i); // i itself when none starts
  std::size_t skip_regex(std::string_view line, std::size_t i);      // i itself when none starts
  void note_heredoc(std::string_view line, std::size_t i);
  void count_tag(std::string_view line, std::size_t& i, int& depth, int& lowest);

  const LanguageFacts& facts_;
  bool in_comment_ = false;            // inside a block comment
  std::string open_quote_;             // what ends a string that runs on past its line
  std::string heredoc_;                // the word ending the here-document the next lines are in
  std::string pending_heredoc_;        // a here-document starts after this line
  bool in_tag_ = false;                // markup: inside an opening tag that runs past its line
  std::vector<std::string> open_tags_; // markup: elements opened in the lines read, unclosed
};

// The line's first word, if the line starts with it as a whole word (then "ended_at" is not "end").
bool starts_with_word(std::string_view trimmed, std::string_view word);

// A line that only closes: closing brackets (with ; , after them), a closing keyword (`end`,
// `fi`, `end)`), closing tags. `trimmed` has no leading or trailing white space.
bool is_closing_line(std::string_view trimmed, const LanguageFacts& facts);

// A line that starts by closing: a closing bracket, keyword or tag (`}, [a, b]`, `end)`).
bool starts_closing(std::string_view trimmed, const LanguageFacts& facts);

// A line that closes and reopens the same statement: `} else {`, `elif x:`, `else`, `rescue`.
bool is_continuation_line(std::string_view trimmed, const LanguageFacts& facts);

// Whether the trimmed line ends as a block's header (`:`, `{`, `do`, `then`, an open tag).
bool ends_header(std::string_view trimmed, const LanguageFacts& facts);

// How a line moves the depth of keyword blocks: -1 when it starts with a closing keyword (`end`,
// `fi`, `@end`), +1 when it opens one (`def f`, `if x then`, `items.each do |i|`), else 0.
int keyword_depth_change(std::string_view trimmed, const LanguageFacts& facts);

} // namespace fimlsp::fim::code_scan
