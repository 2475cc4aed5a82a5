#include "fimlsp/protocol/lsp_types.hpp"
#include <limits>

namespace fimlsp::protocol {
namespace {

// The error sink and the path of the value being read, clangd ObjectMapper style: each field
// read extends the path, so a failure anywhere names its place ("contentChanges[2].range.start.line").
struct Path {
  std::string& error;
  std::string path;

  bool fail(std::string_view what) const {
    error = (path.empty() ? std::string("params") : path) + ": " + std::string(what);
    return false;
  }
  Path field(std::string_view key) const {
    return Path{error, path.empty() ? std::string(key) : path + "." + std::string(key)};
  }
  Path index(std::size_t i) const { return Path{error, path + "[" + std::to_string(i) + "]"}; }
};

// Inbound fields: every read() returns false after setting the error through `at`.
bool read(const json::value& v, const Path& at, std::string& out) {
  if (!v.is_string()) return at.fail("expected string");
  out = v.get_string();
  return true;
}
bool read(const json::value& v, const Path& at, bool& out) {
  if (!v.is_bool()) return at.fail("expected boolean");
  out = v.get_bool();
  return true;
}
bool read(const json::value& v, const Path& at, json::value& out) {
  (void)at;
  out = v;
  return true;
}
// to_number rejects negatives for unsigned targets, fractions and values out of range.
template <class N> bool read_number(const json::value& v, const Path& at, N& out, std::string_view what) {
  boost::system::error_code ec;
  N n = v.is_number() ? v.to_number<N>(ec) : N{};
  if (!v.is_number() || ec) return at.fail(what);
  out = n;
  return true;
}
bool read(const json::value& v, const Path& at, std::uint32_t& out) {
  return read_number(v, at, out, "expected unsigned 32-bit integer");
}
bool read(const json::value& v, const Path& at, std::int64_t& out) {
  return read_number(v, at, out, "expected integer");
}
bool read(const json::value& v, const Path& at, int& out) {
  return read_number(v, at, out, "expected integer");
}
bool read(const json::value& v, const Path& at, Id& out) {
  if (v.is_string()) return out = std::string(v.get_string()), true;
  std::int64_t n = 0;
  if (!(v.is_int64() || v.is_uint64()) || !read(v, at, n)) return at.fail("expected integer or string");
  out = n;
  return true;
}
template <class T> bool read(const json::value& v, const Path& at, std::vector<T>& out) {
  const json::array* a = v.if_array();
  if (!a) return at.fail("expected array");
  out.clear();
  out.resize(a->size());
  for (std::size_t i = 0; i < a->size(); ++i)
    if (!read((*a)[i], at.index(i), out[i])) return false;
  return true;
}

// An object's fields: required ones must be present and not null, optional ones may be either.
class Fields {
public:
  Fields(const json::value& v, Path at) : object_(v.if_object()), at_(std::move(at)) {
    if (!object_) at_.fail("expected object");
  }
  explicit operator bool() const { return object_ != nullptr; }

  template <class T> bool required(std::string_view key, T& out) const {
    const json::value* v = object_->if_contains(key);
    if (!v) return at_.field(key).fail("missing");
    return read(*v, at_.field(key), out);
  }
  template <class T> bool optional(std::string_view key, T& out) const {
    const json::value* v = object_->if_contains(key);
    return !v || v->is_null() || read(*v, at_.field(key), out);
  }
  template <class T> bool optional(std::string_view key, std::optional<T>& out) const {
    const json::value* v = object_->if_contains(key);
    if (!v || v->is_null()) return true;
    return read(*v, at_.field(key), out.emplace());
  }
  // A nested object that may be absent or null (then `fn` is not called).
  template <class Fn> bool optional_object(std::string_view key, Fn fn) const {
    const json::value* v = object_->if_contains(key);
    if (!v || v->is_null()) return true;
    Fields inner(*v, at_.field(key));
    return inner && fn(inner);
  }
  template <class Fn> bool required_object(std::string_view key, Fn fn) const {
    if (!object_->if_contains(key)) return at_.field(key).fail("missing");
    Fields inner(object_->at(key), at_.field(key));
    return inner && fn(inner);
  }

private:
  const json::object* object_;
  Path at_;
};

bool read(const json::value& v, const Path& at, Position& out) {
  Fields f(v, at);
  return f && f.required("line", out.line) && f.required("character", out.character);
}
bool read(const json::value& v, const Path& at, Range& out) {
  Fields f(v, at);
  return f && f.required("start", out.start) && f.required("end", out.end);
}
bool read(const json::value& v, const Path& at, TextDocumentItem& out) {
  Fields f(v, at);
  return f && f.required("uri", out.uri) && f.required("languageId", out.languageId) &&
         f.required("version", out.version) && f.required("text", out.text);
}
// {range, text} edits part of the document, {text} replaces it; rangeLength is deprecated and ignored.
bool read(const json::value& v, const Path& at, TextDocumentContentChangeEvent& out) {
  Fields f(v, at);
  return f && f.optional("range", out.range) && f.required("text", out.text);
}
bool read(const json::value& v, const Path& at, SelectedCompletionInfo& out) {
  Fields f(v, at);
  return f && f.required("range", out.range) && f.required("text", out.text);
}
bool read_uri(const Fields& f, std::string& uri) {
  return f.required_object("textDocument", [&](const Fields& doc) { return doc.required("uri", uri); });
}

// workspaceFolders: [{uri, name}] or null; an entry without a string uri is skipped.
bool read_folders(const Fields& f, std::vector<std::string>& out) {
  json::value folders;
  if (!f.optional("workspaceFolders", folders)) return false;
  if (auto* a = folders.if_array())
    for (auto& item : *a)
      if (auto* o = item.if_object(); o && o->contains("uri") && o->at("uri").is_string())
        out.emplace_back(o->at("uri").get_string());
  return true;
}

bool read(const json::value& v, const Path& at, InitializeParams& out) {
  Fields f(v, at);
  // processId and capabilities are required by the spec, but nothing is lost by tolerating their absence.
  return f && f.optional("processId", out.processId) &&
         f.optional_object("clientInfo",
                           [&](const Fields& c) { return c.optional("name", out.clientName); }) &&
         f.optional_object("capabilities",
                           [&](const Fields& caps) {
                             return caps.optional_object("general", [&](const Fields& g) {
                               return g.optional("positionEncodings", out.positionEncodings);
                             }) && caps.optional_object("workspace", [&](const Fields& w) {
                               return w.optional("configuration", out.configurationSupport) &&
                                      w.optional_object("didChangeWatchedFiles", [&](const Fields& d) {
                                        return d.optional("dynamicRegistration",
                                                          out.watchedFilesRegistration);
                                      });
                             }) && caps.optional_object("window", [&](const Fields& w) {
                               return w.optional("workDoneProgress", out.workDoneProgress);
                             }) && caps.optional_object("experimental", [&](const Fields& e) {
                               return e.optional("fimLspStatus", out.statusNotifications);
                             });
                           }) &&
         f.optional("initializationOptions", out.initializationOptions) &&
         f.optional("rootUri", out.rootUri) && f.optional("rootPath", out.rootPath) &&
         read_folders(f, out.workspaceFolders);
}
bool read(const json::value& v, const Path& at, DidOpenTextDocumentParams& out) {
  Fields f(v, at);
  return f && f.required("textDocument", out.textDocument);
}
bool read(const json::value& v, const Path& at, DidChangeTextDocumentParams& out) {
  Fields f(v, at);
  return f && f.required_object("textDocument", [&](const Fields& doc) {
    return doc.required("uri", out.uri) && doc.optional("version", out.version);
  }) && f.required("contentChanges", out.contentChanges);
}
bool read(const json::value& v, const Path& at, DidCloseTextDocumentParams& out) {
  Fields f(v, at);
  return f && read_uri(f, out.uri);
}
bool read(const json::value& v, const Path& at, InlineCompletionParams& out) {
  Fields f(v, at);
  return f && read_uri(f, out.uri) && f.required("position", out.position) &&
         f.optional_object("context", [&](const Fields& c) {
           return c.required("triggerKind", out.triggerKind) &&
                  c.optional("selectedCompletionInfo", out.selectedCompletionInfo);
         });
}
bool read(const json::value& v, const Path& at, CompletionParams& out) {
  Fields f(v, at);
  return f && read_uri(f, out.uri) && f.required("position", out.position) &&
         f.optional_object("context", [&](const Fields& c) {
           return c.required("triggerKind", out.triggerKind) &&
                  c.optional("triggerCharacter", out.triggerCharacter);
         });
}
bool read(const json::value& v, const Path& at, CancelParams& out) {
  Fields f(v, at);
  return f && f.required("id", out.id);
}
bool read(const json::value& v, const Path& at, DidChangeConfigurationParams& out) {
  Fields f(v, at);
  return f && f.optional("settings", out.settings);
}

} // namespace

template <class T> std::optional<T> parse_params(const json::value& params, std::string& error) {
  T out{};
  error.clear();
  if (!read(params, Path{error, ""}, out)) return std::nullopt;
  return out;
}

template std::optional<Position> parse_params(const json::value&, std::string&);
template std::optional<Range> parse_params(const json::value&, std::string&);
template std::optional<TextDocumentItem> parse_params(const json::value&, std::string&);
template std::optional<TextDocumentContentChangeEvent> parse_params(const json::value&, std::string&);
template std::optional<InitializeParams> parse_params(const json::value&, std::string&);
template std::optional<DidOpenTextDocumentParams> parse_params(const json::value&, std::string&);
template std::optional<DidChangeTextDocumentParams> parse_params(const json::value&, std::string&);
template std::optional<DidCloseTextDocumentParams> parse_params(const json::value&, std::string&);
template std::optional<SelectedCompletionInfo> parse_params(const json::value&, std::string&);
template std::optional<InlineCompletionParams> parse_params(const json::value&, std::string&);
template std::optional<CompletionParams> parse_params(const json::value&, std::string&);
template std::optional<CancelParams> parse_params(const json::value&, std::string&);
template std::optional<DidChangeConfigurationParams> parse_params(const json::value&, std::string&);

json::value to_json(const Position& p) {
  return json::object{{"line", p.line}, {"character", p.character}};
}
json::value to_json(const Range& r) {
  return json::object{{"start", to_json(r.start)}, {"end", to_json(r.end)}};
}

json::value to_json(const TextEdit& e) {
  return json::object{{"range", to_json(e.range)}, {"newText", e.newText}};
}

json::value to_json(const InlineCompletionItem& item) {
  json::object o{{"insertText", item.insertText}};
  if (item.range) o["range"] = to_json(*item.range);
  return o;
}

json::value to_json(const InlineCompletionList& list) {
  json::array items;
  for (const auto& item : list.items)
    items.push_back(to_json(item));
  return json::object{{"items", std::move(items)}};
}

json::value to_json(const CompletionItem& item) {
  json::object o{{"label", item.label}, {"kind", item.kind}};
  if (!item.detail.empty()) o["detail"] = item.detail;
  if (!item.documentation.empty())
    o["documentation"] = json::object{{"kind", "plaintext"}, {"value", item.documentation}};
  if (item.filterText) o["filterText"] = *item.filterText;
  if (!item.sortText.empty()) o["sortText"] = item.sortText;
  if (item.preselect) o["preselect"] = true;
  o["insertTextFormat"] = 1;
  o["insertText"] = item.insertText;
  if (item.textEdit) o["textEdit"] = to_json(*item.textEdit);
  return o;
}

json::value to_json(const CompletionList& list) {
  json::array items;
  for (const auto& item : list.items)
    items.push_back(to_json(item));
  return json::object{{"isIncomplete", list.isIncomplete}, {"items", std::move(items)}};
}

json::value to_json(const ShowMessageParams& p) {
  return json::object{{"type", p.type}, {"message", p.message}};
}

} // namespace fimlsp::protocol
