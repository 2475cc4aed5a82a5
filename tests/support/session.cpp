#include "support/session.hpp"
#include <stdexcept>

namespace fimlsp::test {

namespace {

// Merges `over` into `base`, object by object.
void merge(json::object& base, const json::object& over) {
  for (const auto& [k, v] : over) {
    if (v.is_object() && base.contains(k) && base[k].is_object())
      merge(base[k].as_object(), v.as_object());
    else
      base[k] = v;
  }
}

} // namespace

Session::Session(json::object options, json::object capabilities, BackendOptions backend_options,
                 std::vector<std::string> env)
    : backend(backend_options), lsp({"--stdio", "--log-level", "debug"}, std::move(env)) {
  // Prefetch off: the tests count the backend's requests; tests/e2e/prefetch_test.cpp turns it on.
  json::object init{
      {"endpoint", {{"baseUrl", backend.base_url()}, {"caFile", backend.ca_file()}, {"timeoutMs", 2000}}},
      {"suggestion", {{"prefetch", false}}}};
  merge(init, options);
  init_result = lsp.initialize(capabilities, init);
}

void Session::open(const std::string& uri, const std::string& text, const std::string& language) {
  lsp.notify(
      "textDocument/didOpen",
      {{"textDocument", {{"uri", uri}, {"languageId", language}, {"version", version}, {"text", text}}}});
}

void Session::change(const std::string& uri, std::uint32_t sl, std::uint32_t sc, std::uint32_t el,
                     std::uint32_t ec, const std::string& text) {
  json::object range{{"start", {{"line", sl}, {"character", sc}}},
                     {"end", {{"line", el}, {"character", ec}}}};
  lsp.notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", ++version}}},
                                        {"contentChanges", {{{"range", range}, {"text", text}}}}});
}

std::int64_t Session::inline_request(const std::string& uri, std::uint32_t line, std::uint32_t character) {
  return lsp.request("textDocument/inlineCompletion",
                     {{"textDocument", {{"uri", uri}}},
                      {"position", {{"line", line}, {"character", character}}},
                      {"context", {{"triggerKind", 2}}}});
}

std::string Session::inline_text(std::int64_t id, std::chrono::milliseconds timeout) {
  auto reply = lsp.wait_response(id, timeout);
  if (!reply)
    throw std::runtime_error("no reply to request " + std::to_string(id) + "; stderr:\n" + lsp.stderr_text());
  const auto& o = reply->as_object();
  if (o.contains("error")) throw std::runtime_error("error reply: " + json::serialize(*reply));
  const auto& items = o.at("result").at("items").as_array();
  return items.empty() ? "" : std::string(items[0].at("insertText").as_string());
}

void Session::sync() {
  const auto id = lsp.request("textDocument/inlineCompletion",
                              {{"textDocument", {{"uri", "file:///sync-probe-never-opened"}}},
                               {"position", {{"line", 0}, {"character", 0}}}});
  if (!lsp.wait_response(id))
    throw std::runtime_error("no reply to the sync probe; stderr:\n" + lsp.stderr_text());
}

int Session::messages_shown() const {
  int shown = 0;
  for (const auto& m : lsp.received())
    if (m.as_object().contains("method") && m.at("method") == "window/showMessage") ++shown;
  return shown;
}

std::string Session::complete_at(const std::string& uri, std::uint32_t line, std::uint32_t character) {
  return inline_text(inline_request(uri, line, character));
}

} // namespace fimlsp::test
