#include "fimlsp/protocol/lsp_types.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

namespace fimlsp::test {
namespace {

using namespace protocol;

template <class T> T parse_ok(std::string_view params) {
  std::string error;
  auto out = parse_params<T>(json::parse(params), error);
  INFO(error);
  REQUIRE(out.has_value());
  CHECK(error.empty());
  return *out;
}

template <class T> std::string parse_error(std::string_view params) {
  std::string error;
  auto out = parse_params<T>(json::parse(params), error);
  CHECK_FALSE(out.has_value());
  return error;
}

} // namespace

TEST_CASE("lsp types: didOpen with extra fields") {
  auto p = parse_ok<DidOpenTextDocumentParams>(
      R"({"textDocument":{"uri":"file:///a.py","languageId":"python","version":0,"text":"x = 1\n","extra":[1]},
          "somethingNew":{"a":null}})");
  CHECK(p.textDocument.uri == "file:///a.py");
  CHECK(p.textDocument.languageId == "python");
  CHECK(p.textDocument.version == 0);
  CHECK(p.textDocument.text == "x = 1\n");
}

TEST_CASE("lsp types: errors name the failing field's path") {
  CHECK(parse_error<DidOpenTextDocumentParams>(R"({"textDocument":{"uri":5}})") ==
        "textDocument.uri: expected string");
  CHECK(parse_error<DidOpenTextDocumentParams>(R"({})") == "textDocument: missing");
  CHECK(parse_error<DidOpenTextDocumentParams>(R"({"textDocument":[]})") == "textDocument: expected object");
  CHECK(parse_error<DidOpenTextDocumentParams>(
            R"({"textDocument":{"uri":"u","languageId":"c","text":""}})") == "textDocument.version: missing");
  CHECK(parse_error<DidOpenTextDocumentParams>(R"([1])") == "params: expected object");
  CHECK(parse_error<DidCloseTextDocumentParams>(R"({"textDocument":{"uri":null}})") ==
        "textDocument.uri: expected string");

  CHECK(parse_error<InlineCompletionParams>(R"({"textDocument":{"uri":"u"},"position":{"character":1}})") ==
        "position.line: missing");
  CHECK(parse_error<InlineCompletionParams>(
            R"({"textDocument":{"uri":"u"},"position":{"line":0,"character":0},"context":{}})") ==
        "context.triggerKind: missing");
  CHECK(parse_error<InlineCompletionParams>(
            R"({"textDocument":{"uri":"u"},"position":{"line":0,"character":0},
                "context":{"triggerKind":1,"selectedCompletionInfo":{"range":{"start":{"line":0,"character":0}},"text":""}}})") ==
        "context.selectedCompletionInfo.range.end: missing");
  CHECK(
      parse_error<DidChangeTextDocumentParams>(
          R"({"textDocument":{"uri":"u","version":2},"contentChanges":[{"text":"a"},{"range":{"start":{"line":0,"character":0},"end":{"line":-1,"character":0}},"text":"b"}]})") ==
      "contentChanges[1].range.end.line: expected unsigned 32-bit integer");
  CHECK(parse_error<DidChangeTextDocumentParams>(R"({"textDocument":{"uri":"u"},"contentChanges":{}})") ==
        "contentChanges: expected array");
  CHECK(parse_error<InitializeParams>(R"({"capabilities":{"general":{"positionEncodings":["utf-8",8]}}})") ==
        "capabilities.general.positionEncodings[1]: expected string");
  CHECK(parse_error<InitializeParams>(R"({"capabilities":{"window":{"workDoneProgress":"yes"}}})") ==
        "capabilities.window.workDoneProgress: expected boolean");
  CHECK(parse_error<CancelParams>(R"({"id":1.5})") == "id: expected integer or string");
  CHECK(parse_error<CancelParams>(R"({})") == "id: missing");
}

TEST_CASE("lsp types: uint32 numbers reject negatives, fractions and out-of-range values") {
  for (const char* bad : {"-1", "1.5", "4294967296", "1e20", "\"3\"", "true", "null"}) {
    CAPTURE(bad);
    CHECK(parse_error<Position>(R"({"line":)" + std::string(bad) + R"(,"character":0})") ==
          "line: expected unsigned 32-bit integer");
  }
  auto p = parse_ok<Position>(R"({"line":4294967295,"character":2.0})");
  CHECK(p.line == 4294967295u);
  CHECK(p.character == 2u);
}

TEST_CASE("lsp types: optional fields may be absent or null") {
  auto init = parse_ok<InitializeParams>(R"({"processId":null,"clientInfo":null,"capabilities":{},
                                             "initializationOptions":null,"trace":"off"})");
  CHECK_FALSE(init.processId.has_value());
  CHECK(init.clientName.empty());
  CHECK(init.positionEncodings.empty());
  CHECK_FALSE(init.configurationSupport);
  CHECK(init.initializationOptions.is_null());
  parse_ok<InitializeParams>("{}");

  auto full = parse_ok<InitializeParams>(R"({"processId":1234,"clientInfo":{"name":"Neovim","version":"0.12"},
      "capabilities":{"general":{"positionEncodings":["utf-8","utf-16"]},"workspace":{"configuration":true},
                      "window":{"workDoneProgress":true},"textDocument":{"inlineCompletion":{}}},
      "initializationOptions":{"model":"m"}})");
  CHECK(full.processId == 1234);
  CHECK(full.clientName == "Neovim");
  CHECK(full.positionEncodings == std::vector<std::string>{"utf-8", "utf-16"});
  CHECK(full.configurationSupport);
  CHECK(full.workDoneProgress);
  CHECK(full.initializationOptions == json::parse(R"({"model":"m"})"));

  auto inl =
      parse_ok<InlineCompletionParams>(R"({"textDocument":{"uri":"u"},"position":{"line":3,"character":4}})");
  CHECK(inl.uri == "u");
  CHECK(inl.position.line == 3);
  CHECK(inl.position.character == 4);
  CHECK(inl.triggerKind == 2);
  CHECK_FALSE(inl.selectedCompletionInfo.has_value());

  auto sel =
      parse_ok<InlineCompletionParams>(R"({"textDocument":{"uri":"u"},"position":{"line":0,"character":1},
      "context":{"triggerKind":1,"selectedCompletionInfo":{"range":{"start":{"line":0,"character":0},
                                                                     "end":{"line":0,"character":1}},"text":"fo"}},
      "workDoneToken":"t"})");
  CHECK(sel.triggerKind == 1);
  REQUIRE(sel.selectedCompletionInfo.has_value());
  CHECK(sel.selectedCompletionInfo->text == "fo");
  CHECK(sel.selectedCompletionInfo->range.end.character == 1);

  auto comp = parse_ok<CompletionParams>(R"({"textDocument":{"uri":"u"},"position":{"line":0,"character":0},
                                             "context":{"triggerKind":2,"triggerCharacter":"."}})");
  CHECK(comp.triggerKind == 2);
  CHECK(comp.triggerCharacter == ".");
  auto bare = parse_ok<CompletionParams>(R"({"textDocument":{"uri":"u"},"position":{"line":0,"character":0},
                                             "context":{"triggerKind":1,"triggerCharacter":null}})");
  CHECK_FALSE(bare.triggerCharacter.has_value());

  auto cfg = parse_ok<DidChangeConfigurationParams>(R"({"settings":{"fimLsp":{"x":1}}})");
  CHECK(cfg.settings.at("fimLsp").at("x") == 1);
  CHECK(parse_ok<DidChangeConfigurationParams>("{}").settings.is_null());
}

TEST_CASE("lsp types: contentChanges are {range, text} or {text}") {
  auto p = parse_ok<DidChangeTextDocumentParams>(
      R"({"textDocument":{"uri":"file:///x","version":7},"contentChanges":[
      {"range":{"start":{"line":1,"character":2},"end":{"line":1,"character":5}},"rangeLength":3,"text":"abc"},
      {"text":"whole"},
      {"range":null,"text":""}]})");
  CHECK(p.uri == "file:///x");
  CHECK(p.version == 7);
  REQUIRE(p.contentChanges.size() == 3);
  REQUIRE(p.contentChanges[0].range.has_value());
  CHECK(p.contentChanges[0].range->start.line == 1);
  CHECK(p.contentChanges[0].range->start.character == 2);
  CHECK(p.contentChanges[0].range->end.character == 5);
  CHECK(p.contentChanges[0].text == "abc");
  CHECK_FALSE(p.contentChanges[1].range.has_value());
  CHECK(p.contentChanges[1].text == "whole");
  CHECK_FALSE(p.contentChanges[2].range.has_value());

  auto unversioned = parse_ok<DidChangeTextDocumentParams>(
      R"({"textDocument":{"uri":"u","version":null},"contentChanges":[]})");
  CHECK_FALSE(unversioned.version.has_value());
  CHECK(parse_error<DidChangeTextDocumentParams>(
            R"({"textDocument":{"uri":"u"},"contentChanges":[{"range":{}}]})") ==
        "contentChanges[0].range.start: missing");
  CHECK(parse_error<DidChangeTextDocumentParams>(
            R"({"textDocument":{"uri":"u"},"contentChanges":[{"rangeLength":1}]})") ==
        "contentChanges[0].text: missing");
}

TEST_CASE("lsp types: cancel ids keep their type") {
  CHECK(parse_ok<CancelParams>(R"({"id":0})").id == Id{std::int64_t{0}});
  CHECK(parse_ok<CancelParams>(R"({"id":"0"})").id == Id{std::string("0")});
  CHECK(parse_ok<CancelParams>(R"({"id":-9223372036854775808})").id == Id{INT64_MIN});
}

TEST_CASE("lsp types: positions and ranges round-trip through to_json") {
  Range r{{1, 2}, {4294967295u, 0}};
  CHECK(json::serialize(to_json(r)) ==
        R"({"start":{"line":1,"character":2},"end":{"line":4294967295,"character":0}})");
  auto back = parse_ok<Range>(json::serialize(to_json(r)));
  CHECK(back.start.line == 1);
  CHECK(back.start.character == 2);
  CHECK(back.end.line == 4294967295u);
  CHECK(back.end.character == 0);
}

} // namespace fimlsp::test

TEST_CASE("outbound types: inline and popup items as clients read them") {
  using namespace fimlsp::protocol;
  const Range at{{2, 5}, {2, 5}};
  CHECK(to_json(InlineCompletionList{{{"x + 1", at}}}) ==
        json::parse(R"({"items":[{"insertText":"x + 1","range":{"start":{"line":2,"character":5},)"
                    R"("end":{"line":2,"character":5}}}]})"));
  CHECK(to_json(InlineCompletionList{}) == json::parse(R"({"items":[]})"));
  CompletionItem item{.label = "a()", .filterText = "", .insertText = "a()", .textEdit = TextEdit{at, "a()"}};
  const auto j = to_json(CompletionList{.isIncomplete = true, .items = {item}});
  CHECK(j.at("isIncomplete") == true);
  const auto& o = j.at("items").at(0).as_object();
  CHECK(o.at("filterText") == ""); // sent even when empty
  CHECK(o.at("insertTextFormat") == 1);
  CHECK(o.at("textEdit").at("newText") == "a()");
  CHECK_FALSE(o.contains("detail"));
}
