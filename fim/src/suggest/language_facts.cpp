// The table of language facts the clean-up rules read. Adding a language is adding a row.
#include "fimlsp/fim/suggest/language_facts.hpp"
#include <algorithm>
#include <array>
#include <boost/algorithm/string/case_conv.hpp>
#include <string>

namespace fimlsp::fim {

namespace {

using Words = std::span<const std::string_view>;

constexpr std::string_view kNone[] = {""};
constexpr Words none{kNone, 0};

constexpr std::string_view kSlashes[] = {"//"};
constexpr std::string_view kHash[] = {"#"};
constexpr std::string_view kDashes[] = {"--"};
constexpr std::string_view kSlashesHash[] = {"//", "#"};
constexpr std::string_view kPercent[] = {"%"};

constexpr std::string_view kBracketHeaders[] = {"{", "(", "[", ":"};
constexpr std::string_view kPythonHeaders[] = {":", "(", "[", "{"};
constexpr std::string_view kColon[] = {":"};
constexpr std::string_view kRubyHeaders[] = {"do", "|", "{", "(", "["};
constexpr std::string_view kLuaHeaders[] = {"then", "do", "{", "("};
constexpr std::string_view kShellHeaders[] = {"then", "do", "in", "{", "else", ")"};
constexpr std::string_view kElixirHeaders[] = {"do", "->", "(", "[", "{"};
constexpr std::string_view kJuliaHeaders[] = {"do", "(", "[", "{"};
constexpr std::string_view kHaskellHeaders[] = {"where", "do", "of", "let", "=", "(", "[", "{"};
constexpr std::string_view kCoffeeHeaders[] = {"->", "=>", ":", "(", "[", "{"};

constexpr std::string_view kRubyStarts[] = {"def",   "class", "module", "if",    "unless",
                                            "while", "until", "case",   "begin", "for"};
constexpr std::string_view kLuaStarts[] = {"function", "local function", "repeat"};
constexpr std::string_view kJuliaStarts[] = {"function", "if",  "for",   "while",  "let",           "begin",
                                             "module",   "try", "macro", "struct", "mutable struct"};

constexpr std::string_view kEnd[] = {"end"};
constexpr std::string_view kObjcClosers[] = {"@end"};
constexpr std::string_view kObjcStarts[] = {"@implementation", "@interface", "@protocol"};
constexpr std::string_view kMakeClosers[] = {"endif", "endef"};
constexpr std::string_view kMakeStarts[] = {"ifeq", "ifneq", "ifdef", "ifndef", "define"};
constexpr std::string_view kCContinuations[] = {"else", "catch", "finally"};
constexpr std::string_view kLuaClosers[] = {"end", "until"};
constexpr std::string_view kShellClosers[] = {"fi", "done", "esac", "}"};

constexpr std::string_view kPythonContinuations[] = {"elif", "else", "except", "finally", "case"};
constexpr std::string_view kRubyContinuations[] = {"else", "elsif", "when", "in", "rescue", "ensure"};
constexpr std::string_view kLuaContinuations[] = {"else", "elseif"};
constexpr std::string_view kElixirContinuations[] = {"else", "rescue", "catch", "after"};
constexpr std::string_view kJuliaContinuations[] = {"else", "elseif", "catch", "finally"};
constexpr std::string_view kShellContinuations[] = {"else", "elif"};

constexpr std::string_view kPythonNames[] = {"py", "python3", "py3"};
constexpr std::string_view kPythonExt[] = {".py", ".pyi", ".pyw"};
constexpr std::string_view kCNames[] = {"h"};
constexpr std::string_view kObjcNames[] = {"objc", "objective-cpp", "objcpp"};
constexpr std::string_view kObjcExt[] = {".m", ".mm"};
constexpr std::string_view kCExt[] = {".c", ".h"};
constexpr std::string_view kCppNames[] = {"c++", "cc", "cxx", "hpp", "cuda", "cuda-cpp"};
constexpr std::string_view kCppExt[] = {".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx", ".ipp", ".cu"};
constexpr std::string_view kCsNames[] = {"cs", "c#"};
constexpr std::string_view kCsExt[] = {".cs"};
constexpr std::string_view kJavaExt[] = {".java"};
constexpr std::string_view kKotlinNames[] = {"kt", "kts"};
constexpr std::string_view kKotlinExt[] = {".kt", ".kts"};
constexpr std::string_view kScalaExt[] = {".scala", ".sc"};
constexpr std::string_view kSwiftExt[] = {".swift"};
constexpr std::string_view kDartExt[] = {".dart"};
constexpr std::string_view kJsNames[] = {"js", "javascriptreact", "jsx", "node", "mjs", "cjs"};
constexpr std::string_view kJsExt[] = {".js", ".mjs", ".cjs", ".jsx"};
constexpr std::string_view kTsNames[] = {"ts", "typescriptreact", "tsx"};
constexpr std::string_view kTsExt[] = {".ts", ".mts", ".cts", ".tsx"};
constexpr std::string_view kGoNames[] = {"golang"};
constexpr std::string_view kGoExt[] = {".go"};
constexpr std::string_view kRustNames[] = {"rs"};
constexpr std::string_view kRustExt[] = {".rs"};
constexpr std::string_view kPhpExt[] = {".php"};
constexpr std::string_view kCssNames[] = {"scss", "less"};
constexpr std::string_view kCssExt[] = {".css", ".scss", ".less"};
constexpr std::string_view kJsonNames[] = {"jsonc", "json5"};
constexpr std::string_view kJsonExt[] = {".json", ".jsonc"};
constexpr std::string_view kRubyNames[] = {"rb"};
constexpr std::string_view kRubyExt[] = {".rb", ".rake", ".gemspec"};
constexpr std::string_view kLuaExt[] = {".lua"};
constexpr std::string_view kShellNames[] = {"sh", "bash", "zsh", "shell", "console"};
constexpr std::string_view kShellExt[] = {".sh", ".bash", ".zsh"};
constexpr std::string_view kElixirNames[] = {"ex", "exs"};
constexpr std::string_view kElixirExt[] = {".ex", ".exs"};
constexpr std::string_view kJuliaNames[] = {"jl"};
constexpr std::string_view kJuliaExt[] = {".jl"};
constexpr std::string_view kHtmlNames[] = {"htm", "xhtml", "xml", "svg", "vue", "svelte", "xsl"};
constexpr std::string_view kHtmlExt[] = {".html", ".htm", ".xhtml", ".xml", ".svg", ".vue"};
constexpr std::string_view kYamlNames[] = {"yml"};
constexpr std::string_view kYamlExt[] = {".yaml", ".yml"};
constexpr std::string_view kSqlNames[] = {"postgres", "mysql", "sqlite", "plsql"};
constexpr std::string_view kSqlExt[] = {".sql"};
constexpr std::string_view kMarkdownNames[] = {"md"};
constexpr std::string_view kMarkdownExt[] = {".md", ".markdown"};
constexpr std::string_view kTomlExt[] = {".toml"};
constexpr std::string_view kErlangExt[] = {".erl"};
constexpr std::string_view kGroovyExt[] = {".groovy", ".gradle"};
constexpr std::string_view kZigExt[] = {".zig"};
constexpr std::string_view kProtoNames[] = {"protobuf", "proto3"};
constexpr std::string_view kProtoExt[] = {".proto"};
constexpr std::string_view kPerlNames[] = {"pl", "perl6", "raku"};
constexpr std::string_view kPerlExt[] = {".pl", ".pm"};
constexpr std::string_view kPowershellNames[] = {"ps1", "pwsh"};
constexpr std::string_view kPowershellExt[] = {".ps1", ".psm1"};
constexpr std::string_view kRExt[] = {".r", ".R"};
constexpr std::string_view kHclNames[] = {"hcl", "tf"};
constexpr std::string_view kHclExt[] = {".tf", ".hcl"};
constexpr std::string_view kGraphqlNames[] = {"gql"};
constexpr std::string_view kGraphqlExt[] = {".graphql", ".gql"};
constexpr std::string_view kHaskellNames[] = {"hs"};
constexpr std::string_view kHaskellExt[] = {".hs"};
constexpr std::string_view kNimExt[] = {".nim"};
constexpr std::string_view kCoffeeNames[] = {"coffee"};
constexpr std::string_view kCoffeeExt[] = {".coffee"};
constexpr std::string_view kClojureNames[] = {"clj", "cljs", "edn"};
constexpr std::string_view kClojureExt[] = {".clj", ".cljs", ".cljc", ".edn"};
constexpr std::string_view kMakeNames[] = {"make"};
constexpr std::string_view kSemicolons[] = {";"};

constexpr LanguageFacts with_raw_strings(LanguageFacts f) {
  f.raw_strings = true;
  return f;
}
constexpr LanguageFacts with_regexes(LanguageFacts f) {
  f.regex_literals = true;
  return f;
}
constexpr LanguageFacts with_heredocs(LanguageFacts f) {
  f.heredocs = true;
  return f;
}
constexpr LanguageFacts with_keywords(LanguageFacts f, Words closers, Words starts) {
  f.closing_keywords = closers;
  f.header_starts = starts;
  return f;
}

// A C-like language: blocks end by brackets alone (indentation varies too much to trust).
constexpr LanguageFacts c_like(std::string_view id, Words aliases, Words ext, std::string_view quotes,
                               bool char_literals, Words comments = kSlashes) {
  return {.id = id,
          .aliases = aliases,
          .extensions = ext,
          .line_comments = comments,
          .block_comment_open = "/*",
          .block_comment_close = "*/",
          .quotes = quotes,
          .char_literals = char_literals,
          .indentation = false,
          .continuation_keywords = kCContinuations,
          .header_endings = kBracketHeaders};
}

// Keyword-block languages: a block ends at a line less indented than it (its closing keyword,
// or whatever follows).
constexpr LanguageFacts keyword_blocks(std::string_view id, Words aliases, Words ext, Words comments,
                                       std::string_view quotes, Words closers, Words continuations,
                                       Words headers, Words starts = {}, bool brackets = true) {
  return {.id = id,
          .aliases = aliases,
          .extensions = ext,
          .line_comments = comments,
          .quotes = quotes,
          .brackets = brackets,
          .closing_keywords = closers,
          .continuation_keywords = continuations,
          .header_endings = headers,
          .header_starts = starts};
}

constexpr std::array kLanguages{
    LanguageFacts{.id = "python",
                  .aliases = kPythonNames,
                  .extensions = kPythonExt,
                  .line_comments = kHash,
                  .quotes = "\"'",
                  .continuation_keywords = kPythonContinuations,
                  .header_endings = kPythonHeaders},
    c_like("c", kCNames, kCExt, "\"'", true),
    with_raw_strings(c_like("cpp", kCppNames, kCppExt, "\"'", true)),
    with_keywords(c_like("objective-c", kObjcNames, kObjcExt, "\"'", true), kObjcClosers, kObjcStarts),
    c_like("csharp", kCsNames, kCsExt, "\"'", true),
    c_like("java", none, kJavaExt, "\"'", true),
    c_like("kotlin", kKotlinNames, kKotlinExt, "\"'", true),
    c_like("scala", none, kScalaExt, "\"'", true),
    c_like("swift", none, kSwiftExt, "\"'", false),
    c_like("dart", none, kDartExt, "\"'", false),
    c_like("groovy", none, kGroovyExt, "\"'", false),
    c_like("zig", none, kZigExt, "\"'", true),
    c_like("proto", kProtoNames, kProtoExt, "\"'", false),
    with_heredocs(c_like("perl", kPerlNames, kPerlExt, "\"'", false, kHash)),
    c_like("powershell", kPowershellNames, kPowershellExt, "\"'", false, kHash),
    c_like("terraform", kHclNames, kHclExt, "\"", false, kSlashesHash),
    c_like("graphql", kGraphqlNames, kGraphqlExt, "\"", false, kHash),
    LanguageFacts{.id = "r",
                  .extensions = kRExt,
                  .line_comments = kHash,
                  .quotes = "\"'`",
                  .header_endings = kBracketHeaders},
    LanguageFacts{.id = "clojure",
                  .aliases = kClojureNames,
                  .extensions = kClojureExt,
                  .line_comments = kSemicolons,
                  .quotes = "\"",
                  .indentation = false},
    LanguageFacts{.id = "haskell",
                  .aliases = kHaskellNames,
                  .extensions = kHaskellExt,
                  .line_comments = kDashes,
                  .block_comment_open = "{-",
                  .block_comment_close = "-}",
                  .quotes = "\"",
                  .header_endings = kHaskellHeaders},
    LanguageFacts{.id = "nim",
                  .extensions = kNimExt,
                  .line_comments = kHash,
                  .quotes = "\"'",
                  .header_endings = kPythonHeaders},
    LanguageFacts{.id = "coffeescript",
                  .aliases = kCoffeeNames,
                  .extensions = kCoffeeExt,
                  .line_comments = kHash,
                  .quotes = "\"'`",
                  .header_endings = kCoffeeHeaders},
    LanguageFacts{.id = "makefile",
                  .aliases = kMakeNames,
                  .line_comments = kHash,
                  .quotes = "\"'",
                  .brackets = false,
                  .indentation = false,
                  .closing_keywords = kMakeClosers,
                  .continuation_keywords = kShellContinuations,
                  .header_starts = kMakeStarts},
    with_regexes(c_like("javascript", kJsNames, kJsExt, "\"'`", false)),
    with_regexes(c_like("typescript", kTsNames, kTsExt, "\"'`", false)),
    c_like("go", kGoNames, kGoExt, "\"'`", true),
    with_raw_strings(c_like("rust", kRustNames, kRustExt, "\"'", true)),
    with_heredocs(c_like("php", none, kPhpExt, "\"'", false, kSlashesHash)),
    c_like("css", kCssNames, kCssExt, "\"'", false, none),
    c_like("json", kJsonNames, kJsonExt, "\"", false),
    with_heredocs(keyword_blocks("ruby", kRubyNames, kRubyExt, kHash, "\"'`", kEnd, kRubyContinuations,
                                 kRubyHeaders, kRubyStarts)),
    LanguageFacts{.id = "lua",
                  .extensions = kLuaExt,
                  .line_comments = kDashes,
                  .block_comment_open = "--[[",
                  .block_comment_close = "]]",
                  .quotes = "\"'",
                  .closing_keywords = kLuaClosers,
                  .continuation_keywords = kLuaContinuations,
                  .header_endings = kLuaHeaders,
                  .header_starts = kLuaStarts},
    // In shell, ")" ends a case pattern and "}" a function: neither is counted as a bracket.
    with_heredocs(keyword_blocks("shellscript", kShellNames, kShellExt, kHash, "\"'", kShellClosers,
                                 kShellContinuations, kShellHeaders, {}, false)),
    keyword_blocks("elixir", kElixirNames, kElixirExt, kHash, "\"'", kEnd, kElixirContinuations,
                   kElixirHeaders),
    keyword_blocks("julia", kJuliaNames, kJuliaExt, kHash, "\"'", kEnd, kJuliaContinuations, kJuliaHeaders,
                   kJuliaStarts),
    keyword_blocks("erlang", none, kErlangExt, kPercent, "\"", kEnd, none, kElixirHeaders),
    LanguageFacts{.id = "html",
                  .aliases = kHtmlNames,
                  .extensions = kHtmlExt,
                  .block_comment_open = "<!--",
                  .block_comment_close = "-->",
                  .brackets = false,
                  .indentation = false,
                  .markup = true},
    LanguageFacts{.id = "yaml",
                  .aliases = kYamlNames,
                  .extensions = kYamlExt,
                  .line_comments = kHash,
                  .quotes = "\"",
                  .brackets = false,
                  .header_endings = kColon},
    LanguageFacts{.id = "toml", .extensions = kTomlExt, .line_comments = kHash, .quotes = "\"'"},
    LanguageFacts{.id = "sql",
                  .aliases = kSqlNames,
                  .extensions = kSqlExt,
                  .line_comments = kDashes,
                  .block_comment_open = "/*",
                  .block_comment_close = "*/",
                  .quotes = "'\"",
                  .indentation = false},
    LanguageFacts{.id = "markdown",
                  .aliases = kMarkdownNames,
                  .extensions = kMarkdownExt,
                  .brackets = false,
                  .indentation = false,
                  .fences_are_content = true},
};

constexpr LanguageFacts kFallback{.line_comments = kSlashesHash,
                                  .block_comment_open = "/*",
                                  .block_comment_close = "*/",
                                  .quotes = "\"'`",
                                  .header_endings = kPythonHeaders};

bool contains(Words words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

} // namespace

const LanguageFacts& language_facts(std::string_view language_id) {
  for (const auto& l : kLanguages)
    if (l.id == language_id || contains(l.aliases, language_id)) return l;
  return kFallback;
}

std::string_view language_for_path(std::string_view path) {
  const std::string name =
      boost::algorithm::to_lower_copy(std::string(path.substr(path.find_last_of('/') + 1)));
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return name == "makefile" || name == "gnumakefile" ? "makefile" : "";
  const std::string_view ext = std::string_view(name).substr(dot);
  for (const auto& l : kLanguages)
    if (contains(l.extensions, ext)) return l.id;
  return "";
}

bool names_language(const LanguageFacts& facts, std::string_view tag) {
  const std::string t = boost::algorithm::to_lower_copy(std::string(tag));
  return !facts.id.empty() && (t == facts.id || contains(facts.aliases, t));
}

} // namespace fimlsp::fim
