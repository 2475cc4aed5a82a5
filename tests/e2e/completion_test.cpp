// Inline and popup completions end to end: the real fim-lsp against the loopback HTTPS backend.
#include "support/session.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::test;
namespace json = boost::json;

namespace {

json::object body_of(const RecordedRequest& r) {
  return json::parse(r.body).as_object();
}

Reply chunks(std::vector<std::string> c) {
  Reply r;
  r.chunks = std::move(c);
  return r;
}

} // namespace

TEST_SUITE("completion") {

  TEST_CASE("an inline completion: the exact request and the ghost text") {
    Session s;
    s.backend.set_reply(chunks({"return ", "a + b;"}));
    s.open("file:///add.c", "int add(int a, int b) {\n  \n}\n");
    const auto id = s.inline_request("file:///add.c", 1, 2);
    auto reply = s.lsp.wait_response(id);
    REQUIRE(reply);
    CHECK(reply->at("result") == json::value{{"items",
                                              {{{"insertText", "return a + b;"},
                                                {"range",
                                                 {{"start", {{"line", 1}, {"character", 2}}},
                                                  {"end", {{"line", 1}, {"character", 2}}}}}}}}});

    auto requests = s.backend.requests();
    REQUIRE(requests.size() == 1);
    const auto& r = requests[0];
    CHECK(r.method == "POST");
    CHECK(r.target == "/v1/completions");
    CHECK(r.authorization == std::string("Bearer ") + kTestKey);
    CHECK(r.content_type.starts_with("application/json"));
    CHECK(
        body_of(r) ==
        json::value{{"model", "qwen-coder-turbo"},
                    {"prompt", "<|fim_prefix|>int add(int a, int b) {\n  <|fim_suffix|>\n}\n<|fim_middle|>"},
                    {"max_tokens", 128},
                    {"stream", true},
                    {"stream_options", {{"include_usage", true}}}});
    CHECK(s.lsp.stderr_text().find(kTestKey) == std::string::npos);
  }

  TEST_CASE("no suffix: the prompt form without <|fim_middle|>") {
    Session s;
    s.backend.set_reply(chunks({"world\")"}));
    s.open("file:///end.py", "print(\"hello ");
    CHECK(s.complete_at("file:///end.py", 0, 13) == "world\")");
    CHECK(body_of(s.backend.requests().at(0)).at("prompt") == "<|fim_prefix|>print(\"hello <|fim_suffix|>");
  }

  TEST_CASE("every parameter of the seed is sent when set, and only then") {
    Session s({{"model", "qwen2.5-coder-7b-instruct"},
               {"request",
                {{"maxTokens", 64},
                 {"temperature", 0.2},
                 {"stop", {"\n\n", "}"}},
                 {"seed", 1234},
                 {"presencePenalty", 0.5},
                 {"stream", false}}}});
    s.backend.set_reply(chunks({"x = 1"}));
    s.open("file:///p.py", "def f():\n    \n");
    CHECK(s.complete_at("file:///p.py", 1, 4) == "x = 1");
    auto body = body_of(s.backend.requests().at(0));
    CHECK(body.at("model") == "qwen2.5-coder-7b-instruct");
    CHECK(body.at("max_tokens") == 64);
    CHECK(body.at("temperature").to_number<double>() == doctest::Approx(0.2));
    CHECK(body.at("stop") == json::array{"\n\n", "}"});
    CHECK(body.at("seed") == 1234);
    CHECK(body.at("presence_penalty").to_number<double>() == doctest::Approx(0.5));
    CHECK_FALSE(body.contains("top_p"));
    CHECK_FALSE(body.contains("stream_options"));
    CHECK((!body.contains("stream") || body.at("stream") == false));
  }

  TEST_CASE("top_p alone is sent; together with temperature it is refused") {
    Session s({{"request", {{"topP", 0.9}}}});
    s.backend.set_reply(chunks({"1"}));
    s.open("file:///t.txt", "a = ");
    CHECK(s.complete_at("file:///t.txt", 0, 4) == "1");
    CHECK(body_of(s.backend.requests().at(0)).at("top_p").to_number<double>() == doctest::Approx(0.9));

    s.lsp.notify("workspace/didChangeConfiguration",
                 {{"settings", {{"fimLsp", {{"request", {{"temperature", 0.3}}}}}}}});
    auto shown = s.lsp.wait_notification("window/showMessage");
    REQUIRE(shown);
    const std::string message(shown->at("params").at("message").as_string());
    CHECK(message.find("temperature") != std::string::npos);
    CHECK(message.find("top") != std::string::npos);
  }

  TEST_CASE("cursor on CJK and emoji lines, in every position encoding") {
    // "  s = \"日本😀" then the cursor, then "\";" — the character offset of the cursor differs per encoding.
    const std::string line = "  s = \"\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80\";";
    const std::string before = "  s = \"\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80";
    struct Case {
      const char* encoding;
      std::uint32_t character;
    };
    // utf-32 is never chosen (utf-8 when offered, else utf-16); its conversions are unit-tested.
    for (Case c : {Case{"utf-16", 7 + 2 + 2}, Case{"utf-8", 7 + 6 + 4}}) {
      CAPTURE(c.encoding);
      Session s({}, {{"general", {{"positionEncodings", {c.encoding}}}}});
      REQUIRE(s.init_result.at("capabilities").at("positionEncoding") == c.encoding);
      s.backend.set_reply(chunks({"\xc3\xa9t\xc3\xa9"}));
      s.open("file:///u.js", "// \xc3\xa9\n" + line + "\n");
      CHECK(s.complete_at("file:///u.js", 1, c.character) == "\xc3\xa9t\xc3\xa9");
      CHECK(body_of(s.backend.requests().at(0)).at("prompt") ==
            json::value("<|fim_prefix|>// \xc3\xa9\n" + before + "<|fim_suffix|>\";\n<|fim_middle|>"));
    }
  }

  TEST_CASE("incremental edits are applied before the prompt is cut") {
    Session s;
    s.backend.set_reply(chunks({"42;"}));
    s.open("file:///e.js", "let x = ;\nlet y = 2;\n");
    s.change("file:///e.js", 1, 4, 1, 5, "z");                 // y -> z
    s.change("file:///e.js", 0, 0, 0, 0, "// \xe6\x97\xa5\n"); // a CJK line on top
    CHECK(s.complete_at("file:///e.js", 1, 8) == "42");        // the ";" after the cursor is not repeated
    CHECK(body_of(s.backend.requests().at(0)).at("prompt") ==
          "<|fim_prefix|>// \xe6\x97\xa5\nlet x = <|fim_suffix|>;\nlet z = 2;\n<|fim_middle|>");
  }

  TEST_CASE(
      "stop rules: text after the cursor keeps the suggestion to one line; the stream is closed early") {
    Session s;
    Reply r = chunks({"foo(a, b", ")\n", "bar();\n", "baz();\n"});
    r.chunk_delay = std::chrono::milliseconds(300);
    s.backend.set_reply(r);
    s.open("file:///s.c", "x = ;\n");
    CHECK(s.complete_at("file:///s.c", 0, 4) == "foo(a, b)");
    // The stream was closed as soon as the line was complete, before the backend finished.
    CHECK(s.backend.wait_until(
        [](const std::vector<RecordedRequest>& rs) { return rs.size() == 1 && rs[0].client_hung_up; },
        std::chrono::seconds(3)));
    CHECK_FALSE(s.backend.requests().at(0).completed);
  }

  TEST_CASE("stop rules: template stop tokens end the suggestion; repeats of the text after the cursor go") {
    Session s;
    s.backend.set_reply(chunks({"if (x) {\n  y();\n}", "<|endo", "ftext|>garbage"}));
    s.open("file:///t.c", "void f() {\n  \n}\n");
    CHECK(s.complete_at("file:///t.c", 1, 2) == "if (x) {\n  y();\n}");

    s.backend.set_reply(chunks({"   \n  "}));
    s.open("file:///w.c", "int a;\n");
    CHECK(s.complete_at("file:///w.c", 1, 0) == "");
  }

  TEST_CASE("selectedCompletionInfo: the item extends the selected popup item and replaces its range") {
    Session s;
    s.backend.set_reply(chunks({"(x)"}));
    s.open("file:///sel.py", "import math\nmath.sq\n");
    auto id = s.lsp.request(
        "textDocument/inlineCompletion",
        {{"textDocument", {{"uri", "file:///sel.py"}}},
         {"position", {{"line", 1}, {"character", 7}}},
         {"context",
          {{"triggerKind", 2},
           {"selectedCompletionInfo",
            {{"range",
              {{"start", {{"line", 1}, {"character", 5}}}, {"end", {{"line", 1}, {"character", 7}}}}},
             {"text", "sqrt"}}}}}});
    auto reply = s.lsp.wait_response(id);
    REQUIRE(reply);
    const auto& item = reply->at("result").at("items").at(0);
    CHECK(item.at("insertText") == "sqrt(x)");
    CHECK(item.at("range") ==
          json::value{{"start", {{"line", 1}, {"character", 5}}}, {"end", {{"line", 1}, {"character", 7}}}});
    CHECK(body_of(s.backend.requests().at(0)).at("prompt") ==
          "<|fim_prefix|>import math\nmath.sqrt<|fim_suffix|>\n<|fim_middle|>");
  }

  TEST_CASE("popup completion: one item that Helix, eglot and Neovim can all use") {
    Session s;
    s.backend.set_reply(chunks({"nt(\"h\xc3\xa9llo\")\n    return 0"}));
    s.open("file:///p.py", "def main():\n    pri\n");
    auto id = s.lsp.request("textDocument/completion", {{"textDocument", {{"uri", "file:///p.py"}}},
                                                        {"position", {{"line", 1}, {"character", 7}}}});
    auto reply = s.lsp.wait_response(id);
    REQUIRE(reply);
    const auto& result = reply->at("result");
    CHECK(result.at("isIncomplete") == true);
    REQUIRE(result.at("items").as_array().size() == 1);
    const auto& item = result.at("items").at(0);
    CHECK(item.at("label") == "nt(\"h\xc3\xa9llo\")");
    CHECK(item.at("filterText") == "pri");
    CHECK(item.at("insertTextFormat") == 1);
    CHECK(item.at("insertText") == "print(\"h\xc3\xa9llo\")\n    return 0");
    CHECK(item.at("textEdit") == json::value{{"range",
                                              {{"start", {{"line", 1}, {"character", 4}}},
                                               {"end", {{"line", 1}, {"character", 7}}}}},
                                             {"newText", "print(\"h\xc3\xa9llo\")\n    return 0"}});
  }

  TEST_CASE("settings: initializationOptions, didChangeConfiguration and workspace/configuration") {
    SUBCASE("a refused value is named and the old settings stay") {
      Session s({{"model", "model-a"}});
      s.backend.set_reply(chunks({"1"}));
      s.open("file:///c.txt", "n = ");
      s.lsp.notify("workspace/didChangeConfiguration",
                   {{"settings", {{"fimLsp", {{"request", {{"seed", -1}}}}}}}});
      auto shown = s.lsp.wait_notification("window/showMessage");
      REQUIRE(shown);
      CHECK(std::string(shown->at("params").at("message").as_string()).find("request.seed") !=
            std::string::npos);
      CHECK(s.complete_at("file:///c.txt", 0, 4) == "1");
      auto body = body_of(s.backend.requests().at(0));
      CHECK(body.at("model") == "model-a");
      CHECK_FALSE(body.contains("seed"));
    }
    SUBCASE("a new model by didChangeConfiguration") {
      Session s;
      s.backend.set_reply(chunks({"1"}));
      s.open("file:///c.txt", "n = ");
      s.lsp.notify("workspace/didChangeConfiguration", {{"settings", {{"fimLsp", {{"model", "model-b"}}}}}});
      CHECK(s.complete_at("file:///c.txt", 0, 4) == "1");
      CHECK(body_of(s.backend.requests().at(0)).at("model") == "model-b");
    }
    SUBCASE("pulled with workspace/configuration when the client supports it") {
      Session s({}, {{"workspace", {{"configuration", true}}}});
      auto ask = s.lsp.wait_for([](const json::value& m) {
        const auto& o = m.as_object();
        return o.contains("method") && o.at("method") == "workspace/configuration";
      });
      REQUIRE(ask);
      CHECK(ask->at("params").at("items").at(0).at("section") == "fimLsp");
      s.lsp.send(
          {{"jsonrpc", "2.0"}, {"id", ask->at("id")}, {"result", json::array{{{"model", "model-c"}}}}});
      s.backend.set_reply(chunks({"1"}));
      s.open("file:///c.txt", "n = ");
      CHECK(s.complete_at("file:///c.txt", 0, 4) == "1");
      CHECK(body_of(s.backend.requests().at(0)).at("model") == "model-c");
    }
  }

} // TEST_SUITE

TEST_SUITE("text that is not Unicode") {

  TEST_CASE(
      "a Latin-1 byte and a lone surrogate in the editor's text: kept in place, the prompt valid UTF-8") {
    Session s;
    s.backend.set_reply(Reply{.chunks = {"1"}});
    // Raw 0xE9 (Neovim passes a Latin-1 buffer's bytes through) and a lone surrogate escape
    // (JSON.stringify of a JavaScript string holding one), each one UTF-16 unit.
    s.lsp.send_raw(
        framed("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
               "{\"uri\":\"file:///l.txt\",\"languageId\":\"plaintext\",\"version\":1,"
               "\"text\":\"caf\xe9 \\udcff = \"}}}"));
    CHECK(s.complete_at("file:///l.txt", 0, 9) == "1");
    REQUIRE(s.backend.requests().size() == 1);
    const std::string body = s.backend.requests()[0].body;
    boost::system::error_code ec;
    const auto v = boost::json::parse(body, ec); // strict: a backend refuses anything else
    REQUIRE_MESSAGE(!ec, body);
    const std::string prompt(v.at("prompt").as_string());
    CHECK(prompt.find("caf\xef\xbf\xbd \xef\xbf\xbd = ") != std::string::npos);
  }
}
