#include "fimlsp/server/other_files_context.hpp"
#include "fimlsp/fim/context/exclude.hpp"
#include "fimlsp/fim/context/imports.hpp"
#include "fimlsp/fim/prompt/similar_windows.hpp"
#include "fimlsp/server/file_uri.hpp"
#include "fimlsp/server/logging.hpp"
#include <algorithm>

namespace fimlsp::server {

namespace {

std::uint64_t mix(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s)
    h = (h ^ c) * 0x100000001B3ull;
  return (h ^ 0xFF) * 0x100000001B3ull;
}
std::uint64_t mix(std::uint64_t h, std::uint64_t n) {
  for (int i = 0; i < 8; ++i, n >>= 8)
    h = (h ^ (n & 0xFF)) * 0x100000001B3ull;
  return h;
}

// The last `n` lines of `s` (and the line the text ends in).
std::string_view last_lines(std::string_view s, std::size_t n) {
  std::size_t at = s.size();
  for (std::size_t i = 0; i <= n && at > 0; ++i) {
    const auto nl = s.rfind('\n', at - 1);
    if (nl == std::string_view::npos) return s;
    at = nl;
  }
  return s.substr(at);
}

std::string_view first_lines(std::string_view s, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto nl = s.find('\n', at);
    if (nl == std::string_view::npos) return s;
    at = nl + 1;
  }
  return s.substr(0, at);
}

std::string base_name(std::string_view path) {
  while (path.size() > 1 && path.ends_with('/'))
    path.remove_suffix(1);
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

} // namespace

OtherFilesContext::OtherFilesContext(boost::asio::any_io_executor ex) : index_(ex) {
  configure(settings_);
}

void OtherFilesContext::set_roots(std::vector<std::string> roots) {
  roots_.clear();
  for (auto& r : roots) {
    std::string root = "/" + fim::join_path("", r);
    if (!r.starts_with('/') || root == "/" || std::find(roots_.begin(), roots_.end(), root) != roots_.end())
      continue;
    roots_.push_back(std::move(root));
  }
  frozen_.clear();
}

bool OtherFilesContext::excluded(const std::string& relative) {
  if (auto it = excluded_.find(relative); it != excluded_.end()) return it->second;
  const bool out = fim::is_excluded(relative, settings_.exclude);
  if (excluded_.size() >= 100000) excluded_.clear(); // bounded; recomputed as needed
  excluded_.emplace(relative, out);
  return out;
}

void OtherFilesContext::configure(const fim::ContextSettings& settings, const std::string& template_name) {
  template_ = template_name;
  if (settings.exclude != settings_.exclude) {
    excluded_.clear();
    imports_.clear();
  }
  settings_ = settings;
  index_.configure(settings.maxFileBytes, settings.exclude);
  frozen_.clear();
}

void OtherFilesContext::touched(const std::string& uri, bool edited) {
  auto& s = seen_[uri];
  s.last = ++tick_;
  if (edited) ++s.edits;
}

void OtherFilesContext::closed(const std::string& uri) {
  seen_.erase(uri);
  imports_.erase(uri);
  open_texts_.erase(uri);
  frozen_.erase(uri);
  ++tick_;
}

void OtherFilesContext::file_changed(const std::string& uri, bool created_or_deleted) {
  if (auto path = path_of_uri(uri)) index_.invalidate(*path, created_or_deleted);
}

std::uint64_t OtherFilesContext::edits(const std::string& uri) const {
  const auto it = seen_.find(uri);
  return it == seen_.end() ? 0 : it->second.edits;
}

std::optional<OtherFilesContext::Place> OtherFilesContext::place_of(const std::string& uri) const {
  const auto path = path_of_uri(uri);
  if (!path) return std::nullopt;
  // The innermost workspace folder holding the file; with no folders, its own directory.
  const std::string* best = nullptr;
  for (auto& r : roots_)
    if (path->size() > r.size() && path->starts_with(r) && ((*path)[r.size()] == '/' || r == "/"))
      if (!best || r.size() > best->size()) best = &r;
  if (best) return Place{*best, path->substr(*best == "/" ? 1 : best->size() + 1)};
  if (!roots_.empty()) return std::nullopt; // outside the workspace
  // Never the whole file system: a file right under "/" has no workspace.
  const auto slash = path->rfind('/');
  if (slash == 0) return std::nullopt;
  return Place{path->substr(0, slash), path->substr(slash + 1)};
}

const OtherFilesContext::Imports& OtherFilesContext::imports_of(const DocumentStore& docs,
                                                                const std::string& uri, const Place& place) {
  auto& imp = imports_[uri];
  const std::uint64_t e = edits(uri);
  const Document* doc = docs.find(uri);
  if (imp.edits == e || !doc) return imp;
  imp.edits = e;
  imp.language = fim::import_language(doc->languageId, place.relative);
  if (imp.language.empty()) {
    imp.found.clear();
    imp.candidates.clear();
    return imp;
  }
  const std::string* go_module = imp.language == "go" ? index_.go_module(place.root) : nullptr;
  if (imp.language == "go" && !go_module) {
    imp.edits = ~std::uint64_t{0}; // again once go.mod is read
    imp.found.clear();
    imp.candidates.clear();
    return imp;
  }
  const std::string head = doc->text.substr(0, kImportHead);
  auto found = fim::import_candidates(imp.language, place.relative, head, go_module ? *go_module : "");
  if (found == imp.found && !imp.candidates.empty()) return imp; // typing elsewhere in the file
  imp.found = std::move(found);
  // Excluded paths are never tried.
  imp.candidates = imp.found;
  for (auto& c : imp.candidates)
    std::erase_if(c, [&](const std::string& p) { return excluded(p); });
  std::erase_if(imp.candidates, [](const auto& c) { return c.empty(); });
  return imp;
}

void OtherFilesContext::prepare(const DocumentStore& docs, const std::string& uri,
                                std::function<void()> then) {
  prepare_round(docs, uri, std::move(then), 0);
}

void OtherFilesContext::prepare_round(const DocumentStore& docs, const std::string& uri,
                                      std::function<void()> then, int round) {
  const auto place = settings_.otherFiles ? place_of(uri) : std::nullopt;
  const Document* doc = docs.find(uri);
  if (!place || !doc || round > 2 || excluded(place->relative)) return then();
  const std::string_view language = fim::import_language(doc->languageId, place->relative);
  if (language == "go" && !index_.go_module(place->root))
    return index_.read_go_module(place->root, [this, &docs, uri, then = std::move(then), round]() mutable {
      prepare_round(docs, uri, std::move(then), round + 1);
    });
  const auto& imports = imports_of(docs, uri, *place);
  if (imports.candidates.empty() || index_.lookup(place->root, imports.candidates)) return then();
  index_.resolve(place->root, imports.candidates, std::move(then));
}

std::shared_ptr<const fim::IndexedText> OtherFilesContext::open_text(const Document& doc,
                                                                     const std::string& uri) {
  auto& t = open_texts_[uri];
  const std::uint64_t e = edits(uri);
  if (!t.text || t.edits != e) {
    t.text = std::make_shared<const fim::IndexedText>(fim::index_text(doc.text.substr(0, doc.text.size())));
    t.edits = e;
  }
  return t.text;
}

std::string OtherFilesContext::around_cursor(std::string_view prefix, std::string_view suffix) {
  std::string around(last_lines(prefix, 12));
  around += first_lines(suffix, 4);
  return around;
}

fim::OtherFiles OtherFilesContext::build(const DocumentStore& docs, const std::string& uri,
                                         std::size_t cursor_line, std::string_view around) {
  const auto place = settings_.otherFiles ? place_of(uri) : std::nullopt;
  const Document* doc = docs.find(uri);
  if (!place || !doc || settings_.maxOtherChars == 0 || excluded(place->relative)) return {};

  // The sources, in rank order: imported files, then the other open documents by recency.
  struct Source {
    std::string relative;
    std::uint64_t version; // edits of an open document, the index's version of a file read
    bool imported;
    std::shared_ptr<const fim::IndexedText> text;
    const Document* open = nullptr;
    std::string uri;
  };
  std::vector<Source> sources;
  std::vector<std::pair<std::uint64_t, std::string>> recent; // (tick, uri)
  for (auto& [u, s] : seen_)
    if (u != uri && docs.find(u)) recent.emplace_back(s.last, u);
  std::sort(recent.begin(), recent.end(), std::greater<>());
  std::unordered_map<std::string, std::string> open_by_relative;
  for (auto& [tick, u] : recent) {
    auto p = place_of(u);
    if (p && p->root == place->root) open_by_relative.emplace(p->relative, u);
  }
  const auto& imports = imports_of(docs, uri, *place);
  if (!imports.candidates.empty())
    if (auto files = index_.lookup(place->root, imports.candidates))
      for (const fim::IndexedFile* f : *files) {
        // Open in the editor: what the user sees, not what is saved.
        if (open_by_relative.count(f->relative) ||
            std::any_of(sources.begin(), sources.end(),
                        [&](const Source& s) { return s.relative == f->relative; }))
          continue;
        sources.push_back({f->relative, f->version, true, f->text, nullptr, ""});
      }
  // An import that is open counts as imported, at the place of the import.
  for (auto& c : imports.candidates)
    for (auto& p : c)
      if (auto it = open_by_relative.find(p); it != open_by_relative.end()) {
        if (std::none_of(sources.begin(), sources.end(), [&](const Source& s) { return s.relative == p; }))
          sources.push_back({p, edits(it->second), true, nullptr, docs.find(it->second), it->second});
        break;
      }
  std::size_t open_count = 0;
  for (auto& [tick, u] : recent) {
    if (open_count == kMaxOpenSources) break;
    auto p = place_of(u);
    if (!p || p->root != place->root) continue;
    if (std::any_of(sources.begin(), sources.end(),
                    [&](const Source& s) { return s.relative == p->relative; }))
      continue;
    const Document* d = docs.find(u);
    // Never read, never sent: excluded files (open or not), and files over the size limit.
    if (excluded(p->relative) || d->text.size() > settings_.maxFileBytes) continue;
    sources.push_back({p->relative, edits(u), false, nullptr, d, u});
    ++open_count;
  }

  std::uint64_t fp = mix(0xCBF29CE484222325ull, place->root);
  for (auto& s : sources)
    fp = mix(mix(mix(fp, s.relative), s.version), std::uint64_t{s.imported});
  auto& frozen = frozen_[uri];
  const std::size_t distance =
      cursor_line > frozen.line ? cursor_line - frozen.line : frozen.line - cursor_line;
  if (frozen.sources != fp || distance > kStableLines) {
    std::vector<fim::SnippetSource> ranked;
    for (auto& s : sources) {
      if (s.open) s.text = open_text(*s.open, s.uri);
      ranked.push_back({s.relative, s.text.get(), s.imported});
    }
    fim::OtherFiles other;
    other.repo = base_name(place->root);
    other.path = place->relative;
    other.language = doc->languageId;
    const fim::FimTemplate* tpl = fim::find_template(template_);
    if (!tpl) tpl = fim::find_template("qwen");
    other.snippets = fim::select_snippets(ranked, fim::identifier_set(around), settings_.maxOtherChars,
                                          fim::snippet_cost(*tpl, other));
    other.fingerprint = fim::fingerprint_of(other);
    frozen = {fp, cursor_line, std::move(other)};
  }
  if (log_enabled(LogLevel::Debug) && !frozen.result.snippets.empty()) {
    std::string line = "context: " + std::to_string(frozen.result.snippets.size()) + " other file(s):";
    for (auto& s : frozen.result.snippets)
      line += " " + s.path + " (" + std::to_string(s.path.size() + s.text.size()) + " bytes)";
    log_line(LogLevel::Debug, line);
  }
  return frozen.result;
}

} // namespace fimlsp::server
