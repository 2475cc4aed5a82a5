// What typing makes stale is cancelled all the way down to the HTTP connection; what typing
// confirms is served without a new request.
#include "support/replies.hpp"
#include "support/session.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace json = boost::json;

TEST_SUITE("cancellation") {

  TEST_CASE("$/cancelRequest: -32800 at once and the upstream request aborted") {
    Session s;
    s.backend.set_reply(held({"never shown"}));
    s.open("file:///c.txt", "abc");
    auto id = s.inline_request("file:///c.txt", 0, 3);
    REQUIRE(received(s.backend, 1));
    s.lsp.notify("$/cancelRequest", {{"id", id}});
    auto reply = s.lsp.wait_response(id);
    REQUIRE(reply);
    CHECK(reply->at("error").at("code") == -32800);
    CHECK(hung_up(s.backend, 0));
    // Exactly one reply: nothing else arrives for that id, and the server keeps serving.
    s.backend.set_reply(ok("d"));
    CHECK(s.complete_at("file:///c.txt", 0, 3) == "d");
    int replies = 0;
    for (auto& m : s.lsp.received())
      if (m.as_object().contains("id") && m.at("id") == id) ++replies;
    CHECK(replies == 1);
  }

  TEST_CASE("a newer request supersedes the older: empty result at once, upstream aborted") {
    Session s;
    s.backend.set_handler([](const RecordedRequest& r) {
      return r.body.find("first<|fim_suffix|>") != std::string::npos ? held({"old"}) : ok("new");
    });
    s.open("file:///s.txt", "first\nsecond\n");
    auto older = s.inline_request("file:///s.txt", 0, 5);
    REQUIRE(received(s.backend, 1));
    auto newer = s.inline_request("file:///s.txt", 1, 6);
    CHECK(s.inline_text(older) == "");
    CHECK(s.inline_text(newer) == "new");
    CHECK(hung_up(s.backend, 0));
  }

  TEST_CASE("didChange and didClose answer pending requests at once") {
    Session s;
    s.backend.set_reply(held({"zzz"}));
    s.open("file:///d.txt", "abc\n");
    auto a = s.inline_request("file:///d.txt", 0, 3);
    REQUIRE(received(s.backend, 1));
    s.change("file:///d.txt", 1, 0, 1, 0, "q");
    CHECK(s.inline_text(a) == "");
    CHECK(hung_up(s.backend, 0));

    auto b = s.inline_request("file:///d.txt", 1, 1);
    REQUIRE(received(s.backend, 2));
    s.lsp.notify("textDocument/didClose", {{"textDocument", {{"uri", "file:///d.txt"}}}});
    CHECK(s.inline_text(b) == "");
    CHECK(hung_up(s.backend, 1));
  }

  TEST_CASE("typed-ahead: typing the shown suggestion is answered from the cache") {
    Session s;
    s.backend.set_reply(ok("return a + b;"));
    s.open("file:///t.c", "int f() {\n  \n}\n");
    CHECK(s.complete_at("file:///t.c", 1, 2) == "return a + b;");
    const std::string typed = "return a";
    for (std::size_t i = 0; i < typed.size(); ++i) {
      s.change("file:///t.c", 1, static_cast<std::uint32_t>(2 + i), 1, static_cast<std::uint32_t>(2 + i),
               typed.substr(i, 1));
      CHECK(s.complete_at("file:///t.c", 1, static_cast<std::uint32_t>(3 + i)) ==
            std::string("return a + b;").substr(i + 1));
    }
    CHECK(s.backend.requests().size() == 1);

    // Typing something else, or a changed suffix, is not served from the cache.
    s.backend.set_reply(ok(" * c;"));
    s.change("file:///t.c", 1, 10, 1, 10, "X");
    CHECK(s.complete_at("file:///t.c", 1, 11) == " * c;");
    CHECK(s.backend.requests().size() == 2);
  }

  TEST_CASE("in-flight reuse: typing the start of a suggestion still streaming keeps its request") {
    Session s;
    // The first chunk comes only once the second request is in: it can only have attached.
    s.backend.set_reply(held({"hel", "lo(", "wor", "ld)"}));
    s.open("file:///r.py", "x = \n");
    auto first = s.inline_request("file:///r.py", 0, 4);
    REQUIRE(received(s.backend, 1));
    // The user types "h" while the suggestion streams: cancel + change + new request, as editors send them.
    s.lsp.notify("$/cancelRequest", {{"id", first}});
    s.change("file:///r.py", 0, 4, 0, 4, "h");
    auto second = s.inline_request("file:///r.py", 0, 5);
    s.sync(); // the second request has attached to the held stream
    s.backend.release();
    CHECK(s.inline_text(second) == "ello(world)");
    CHECK(s.backend.requests().size() == 1);
    CHECK_FALSE(s.backend.requests().at(0).client_hung_up);

    // Typing that diverges from the stream gets a request of its own; the stream that can no
    // longer serve anyone is aborted while it waits before its second chunk.
    s.backend.set_handler([](const RecordedRequest& r) {
      return r.body.find("y = <|fim_suffix|>") != std::string::npos ? held({"ab", "cd"}, {0, 1}) : ok("abcd");
    });
    s.open("file:///r2.py", "y = \n");
    auto third = s.inline_request("file:///r2.py", 0, 4);
    REQUIRE(received(s.backend, 2));
    s.change("file:///r2.py", 0, 4, 0, 4, "Z");
    auto fourth = s.inline_request("file:///r2.py", 0, 5);
    CHECK(s.inline_text(third) == "");
    s.sync();
    s.backend.release();
    CHECK(s.inline_text(fourth) == "abcd");
    CHECK(s.backend.requests().size() == 3);
    CHECK(hung_up(s.backend, 1));
  }

  TEST_CASE("a typing burst ends on the exact suggestion for the final text") {
    Session s;
    s.backend.set_handler([](const RecordedRequest& r) {
      // The suggestion depends on the prompt, so a stale answer would be visible.
      const auto prompt = std::string(json::parse(r.body).at("prompt").as_string());
      const auto end = prompt.find("<|fim_suffix|>");
      Reply reply = ok("<" + prompt.substr(14, end - 14) + ">");
      reply.first_delay = 50ms; // a generation time, so that later keystrokes find streams running
      return reply;
    });
    s.open("file:///b.txt", "");
    std::int64_t last = 0;
    std::vector<std::int64_t> ids;
    const std::string word = "burst";
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (last) s.lsp.notify("$/cancelRequest", {{"id", last}});
      s.change("file:///b.txt", 0, static_cast<std::uint32_t>(i), 0, static_cast<std::uint32_t>(i),
               word.substr(i, 1));
      last = s.inline_request("file:///b.txt", 0, static_cast<std::uint32_t>(i + 1));
      ids.push_back(last);
    }
    CHECK(s.inline_text(last) == "<burst>");
    for (std::size_t i = 0; i + 1 < ids.size(); ++i)
      CHECK(s.lsp.wait_response(ids[i]));
  }

} // TEST_SUITE
