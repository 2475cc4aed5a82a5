// The golden corpus through the real binary: each case's document opened with its languageId,
// the model text served by the loopback backend in its chunks, and the items accepted as editors
// accept them — the inline item's range replaced by its insertText (VS Code, Neovim), the popup
// item's textEdit applied (Helix, eglot). The document must become prefix + show + suffix.
#include "support/session.hpp"
#include "support/suggestion_case.hpp"
#include <doctest/doctest.h>
#include <map>
#include <memory>
#include <set>

namespace fimlsp::test {

namespace {

// UTF-16 code units of a UTF-8 text.
std::uint32_t utf16_length(std::string_view s) {
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if ((u & 0xC0) == 0x80) continue;
    n += u >= 0xF0 ? 2 : 1;
  }
  return n;
}

json::value position_of(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const auto line_start = before.rfind('\n') + 1;
  return {{"line", std::count(before.begin(), before.end(), '\n')},
          {"character", utf16_length(before.substr(line_start))}};
}

// The byte offset of an LSP position (UTF-16) in `text`.
std::size_t offset_of(std::string_view text, const json::value& position) {
  std::size_t at = 0;
  for (auto line = position.at("line").to_number<std::int64_t>(); line > 0; --line)
    at = text.find('\n', at) + 1;
  for (auto units = position.at("character").to_number<std::int64_t>(); units > 0 && at < text.size();) {
    const auto u = static_cast<unsigned char>(text[at]);
    const std::size_t len = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
    units -= len == 4 ? 2 : 1;
    at += len;
  }
  return at;
}

std::string accept(std::string_view text, const json::value& range, std::string_view insert) {
  const std::size_t start = offset_of(text, range.at("start")), end = offset_of(text, range.at("end"));
  return std::string(text.substr(0, start)) + std::string(insert) + std::string(text.substr(end));
}

} // namespace

TEST_SUITE("suggestion corpus through the binary") {

  TEST_CASE("every golden case: the accepted inline item and popup item give the document the user wants") {
    std::map<std::string, std::unique_ptr<Session>> sessions; // one per distinct @@ settings
    std::map<std::string, std::set<std::string>> seen;        // documents each has answered
    int n = 0;
    for (const SuggestionCase& c : load_suggestion_corpus()) {
      CAPTURE(c.name());
      REQUIRE(c.error.empty());
      // A fresh session when a case repeats a document seen before: the server would rightly
      // answer it from its typed-ahead cache.
      auto& s = sessions[c.settings];
      if (!s || !seen[c.settings].insert(c.document).second) {
        s = std::make_unique<Session>(c.settings.empty() ? json::object()
                                                         : json::parse(c.settings).as_object());
        seen[c.settings] = {c.document};
      }
      Reply reply;
      reply.chunks = c.chunks;
      s->backend.set_reply(reply);
      const std::string prefix = c.prefix(), suffix = c.suffix();
      const std::string text = prefix + suffix, wanted = prefix + c.show + suffix;
      const std::string uri = "file:///corpus/" + std::to_string(++n) + "-" + c.file.stem().string();
      s->open(uri, text, c.language);
      const json::value at = position_of(text, prefix.size());
      const json::value params{{"textDocument", {{"uri", uri}}}, {"position", at}};

      auto inline_reply = s->lsp.wait_response(s->lsp.request("textDocument/inlineCompletion", params));
      REQUIRE(inline_reply);
      const auto& items = inline_reply->at("result").at("items").as_array();
      if (c.show.empty()) {
        CHECK_MESSAGE(items.empty(), c.name() << ": shows " << json::serialize(items));
      } else {
        REQUIRE_MESSAGE(items.size() == 1, c.name() << ": no item");
        const auto& item = items[0];
        const std::string got = accept(text, item.at("range"), item.at("insertText").as_string());
        CHECK_MESSAGE(got == wanted, c.name() << " (inline)\n--- wanted\n"
                                              << visible_whitespace(wanted) << "\n--- got\n"
                                              << visible_whitespace(got));
      }

      auto popup_reply = s->lsp.wait_response(s->lsp.request("textDocument/completion", params));
      REQUIRE(popup_reply);
      const auto& popup = popup_reply->at("result").at("items").as_array();
      if (c.show.empty()) {
        CHECK(popup.empty());
      } else {
        REQUIRE(popup.size() == 1);
        const auto& edit = popup[0].at("textEdit");
        const std::string got = accept(text, edit.at("range"), edit.at("newText").as_string());
        CHECK_MESSAGE(got == wanted, c.name() << " (popup)\n--- wanted\n"
                                              << visible_whitespace(wanted) << "\n--- got\n"
                                              << visible_whitespace(got));
      }
      s->lsp.notify("textDocument/didClose", {{"textDocument", {{"uri", uri}}}});
    }
    CHECK(n >= 100);
  }
}

} // namespace fimlsp::test
