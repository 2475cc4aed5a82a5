#include "fimlsp/fim/prompt/other_files.hpp"
#include <algorithm>
#include <array>
#include <utility>

namespace fimlsp::fim {

namespace {

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s)
    h = (h ^ c) * 0x100000001B3ull;
  // The length too, so that ("ab", "c") and ("a", "bc") differ.
  for (std::size_t n = s.size(), i = 0; i < 8; ++i, n >>= 8)
    h = (h ^ (n & 0xFF)) * 0x100000001B3ull;
  return h;
}

constexpr CommentStyle kSlashes{"// ", ""};
constexpr CommentStyle kHash{"# ", ""};
constexpr CommentStyle kDashes{"-- ", ""};
constexpr CommentStyle kPercent{"% ", ""};
constexpr CommentStyle kSemicolons{";; ", ""};
constexpr CommentStyle kBlock{"/* ", " */"};
constexpr CommentStyle kMarkup{"<!-- ", " -->"};

// languageId (as editors send it) and file extension for each comment syntax.
struct Syntax {
  std::string_view name;
  CommentStyle style;
};
constexpr std::array<Syntax, 58> kSyntaxes{{
    {"c", kSlashes},
    {"cpp", kSlashes},
    {"objective-c", kSlashes},
    {"objective-cpp", kSlashes},
    {"csharp", kSlashes},
    {"java", kSlashes},
    {"javascript", kSlashes},
    {"javascriptreact", kSlashes},
    {"typescript", kSlashes},
    {"typescriptreact", kSlashes},
    {"go", kSlashes},
    {"rust", kSlashes},
    {"swift", kSlashes},
    {"kotlin", kSlashes},
    {"scala", kSlashes},
    {"dart", kSlashes},
    {"php", kSlashes},
    {"zig", kSlashes},
    {"python", kHash},
    {"ruby", kHash},
    {"shellscript", kHash},
    {"perl", kHash},
    {"r", kHash},
    {"yaml", kHash},
    {"toml", kHash},
    {"elixir", kHash},
    {"julia", kHash},
    {"makefile", kHash},
    {"dockerfile", kHash},
    {"powershell", kHash},
    {"lua", kDashes},
    {"sql", kDashes},
    {"haskell", kDashes},
    {"latex", kPercent},
    {"erlang", kPercent},
    {"clojure", kSemicolons},
    {"lisp", kSemicolons},
    {"css", kBlock},
    {"html", kMarkup},
    {"xml", kMarkup},
    {"markdown", kMarkup},
    {"h", kSlashes},
    {"hpp", kSlashes},
    {"cc", kSlashes},
    {"cxx", kSlashes},
    {"js", kSlashes},
    {"jsx", kSlashes},
    {"ts", kSlashes},
    {"tsx", kSlashes},
    {"mjs", kSlashes},
    {"rs", kSlashes},
    {"py", kHash},
    {"rb", kHash},
    {"sh", kHash},
    {"bash", kHash},
    {"yml", kHash},
    {"md", kMarkup},
    {"hs", kDashes},
}};

const CommentStyle* find_style(std::string_view name) {
  for (auto& s : kSyntaxes)
    if (s.name == name) return &s.style;
  return nullptr;
}

void comment_line(std::string& out, CommentStyle style, std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  std::string_view open = style.open;
  if (line.empty() && style.close.empty()) open.remove_suffix(1); // no trailing blank
  out += open;
  out += line;
  out += style.close;
  out += '\n';
}

} // namespace

std::uint64_t fingerprint_of(const OtherFiles& other) {
  if (other.snippets.empty()) return 0;
  std::uint64_t h = 0xCBF29CE484222325ull;
  h = fnv1a(h, other.repo);
  h = fnv1a(h, other.path);
  h = fnv1a(h, other.language);
  for (auto& s : other.snippets)
    h = fnv1a(fnv1a(h, s.path), s.text);
  return h == 0 ? 1 : h;
}

CommentStyle comment_style(std::string_view language_id, std::string_view path) {
  if (auto* s = find_style(language_id)) return *s;
  const auto slash = path.rfind('/');
  const std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  if (const auto dot = name.rfind('.'); dot != std::string_view::npos)
    if (auto* s = find_style(name.substr(dot + 1))) return *s;
  return kSlashes;
}

std::string commented_snippets(const OtherFiles& other) {
  std::string out;
  const CommentStyle style = comment_style(other.language, other.path);
  for (auto& s : other.snippets) {
    comment_line(out, style, "Path: " + s.path);
    std::string_view text = s.text;
    while (!text.empty()) {
      const auto nl = text.find('\n');
      comment_line(out, style, text.substr(0, nl));
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
  }
  return out;
}

SnippetCost snippet_cost(const FimTemplate& t, const OtherFiles& other) {
  auto points = [](std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  };
  SnippetCost cost;
  if (t.file_entry.empty()) {
    const CommentStyle style = comment_style(other.language, other.path);
    cost.per_line = points(style.open) + points(style.close);
    cost.per_file = cost.per_line + points("Path: \n");
    return cost;
  }
  // Rendered with one empty snippet, less the plain prompt: the header, the current file's line
  // and one file entry; the entry alone is the per-file part.
  OtherFiles probe = other;
  probe.snippets = {Snippet{}};
  std::string entry;
  expand(entry, t.file_entry, {{"{path}", ""}, {"{text}", ""}});
  cost.per_file = points(entry);
  for (std::string_view suffix : {"", "s"}) {
    const std::size_t with = points(render_prompt(t, "", suffix, probe));
    const std::size_t without = points(render_prompt(t, "", suffix));
    cost.fixed = std::max(cost.fixed, with > without + cost.per_file ? with - without - cost.per_file : 0);
  }
  return cost;
}

std::string render_prompt(const FimTemplate& t, std::string_view prefix, std::string_view suffix,
                          const OtherFiles& other) {
  if (other.snippets.empty()) return render_prompt(t, prefix, suffix);
  if (t.file_entry.empty()) return render_prompt(t, commented_snippets(other) + std::string(prefix), suffix);
  std::string out;
  expand(out, t.repo_header, {{"{repo}", other.repo}});
  for (auto& s : other.snippets)
    expand(out, t.file_entry, {{"{path}", s.path}, {"{text}", s.text}});
  const std::string_view form =
      suffix.empty() && !t.repo_prompt_no_suffix.empty() ? t.repo_prompt_no_suffix : t.repo_prompt;
  expand(out, form, {{"{path}", other.path}, {"{prefix}", prefix}, {"{suffix}", suffix}});
  return out;
}

} // namespace fimlsp::fim
