// Limits that hold: open documents past context.maxOpenBytes are kept out of completions with
// one message, and nothing is lost for the others.
#include "support/replies.hpp"
#include "support/session.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::test;

TEST_SUITE("limits") {

  TEST_CASE("documents past context.maxOpenBytes get no completions, told once; the others keep theirs") {
    Session s({{"context", {{"maxOpenBytes", 1000}}}});
    s.backend.set_reply(ok("1"));
    const std::string big = std::string(590, 'x') + "\na = ";
    s.open("file:///a.txt", big);
    s.open("file:///b.txt", big); // 1190 bytes in all: kept out
    auto message = s.lsp.wait_notification("window/showMessage");
    REQUIRE(message);
    const std::string text(message->at("params").at("message").as_string());
    CHECK(text.find("file:///b.txt") != std::string::npos);
    CHECK(text.find("context.maxOpenBytes") != std::string::npos);

    // The kept-out document: edits are ignored, requests answered with nothing, never sent.
    s.change("file:///b.txt", 1, 4, 1, 4, " ");
    CHECK(s.complete_at("file:///b.txt", 1, 4) == "");
    CHECK(s.backend.requests().empty());
    CHECK(s.complete_at("file:///a.txt", 1, 4) == "1");

    s.open("file:///c.txt", std::string(600, 'y')); // kept out too: no second message
    s.sync();
    CHECK(s.messages_shown() == 1);

    // Closing one makes room: the kept-out document opened again is served.
    s.lsp.notify("textDocument/didClose", {{"textDocument", {{"uri", "file:///a.txt"}}}});
    s.lsp.notify("textDocument/didClose", {{"textDocument", {{"uri", "file:///b.txt"}}}});
    s.open("file:///b.txt", std::string(590, 'z') + "\nb = ");
    CHECK(s.complete_at("file:///b.txt", 1, 4) == "1");
    CHECK(s.backend.requests().size() == 2);
  }
}
