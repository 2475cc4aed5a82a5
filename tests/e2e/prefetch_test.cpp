// Prefetch (suggestion.prefetch): once a suggestion is shown, the one that would follow it is
// asked for; accepting the suggestion (whole, by line or by word) is answered from it, and any
// other edit aborts it.
#include "support/replies.hpp"
#include "support/session.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

const std::string kDoc = "# π\n\nprint(x)\n";
const std::string kShown = "y = 1\nx = 'é'"; // the first suggestion, at (1, 0)
const std::string kNext = "\nz = 2";         // the one after it

// The backend's suggestion: the next one once the first is in the prompt.
void serve_suggestions(TestBackend& backend, Reply first = ok(kShown), Reply next = ok(kNext)) {
  backend.set_handler([first, next](const RecordedRequest& r) {
    return r.body.find("x = 'é'<|fim_suffix|>") != std::string::npos ? next : first;
  });
}

json::object prefetch(bool on) {
  return {{"suggestion", {{"prefetch", on}}}};
}

json::object utf8() {
  return {{"general", {{"positionEncodings", {"utf-8"}}}}};
}

// Where the cursor is after inserting kShown at (1, 0): line 2, after "x = 'é'" in the
// negotiated code units.
std::uint32_t end_column(bool utf8_units) {
  return utf8_units ? 8 : 7;
}

// Whether the server started no prefetch beyond the `before` it had logged: the engine logs each
// when it starts it, so a probe request's log line, written after, bounds the wait.
bool no_prefetch_since(Session& s, std::size_t before) {
  const auto probe =
      s.lsp.request("textDocument/inlineCompletion", {{"textDocument", {{"uri", "file:///never-opened"}}},
                                                      {"position", {{"line", 0}, {"character", 0}}}});
  if (!s.lsp.wait_stderr("<<< textDocument/inlineCompletion(" + std::to_string(probe) + ")")) return false;
  const std::string log = s.lsp.stderr_text();
  std::size_t started = 0;
  for (auto at = log.find("prefetch started"); at != std::string::npos;
       at = log.find("prefetch started", at + 1))
    ++started;
  return started == before;
}

bool prefetch_done(const std::vector<RecordedRequest>& rs) {
  return rs.size() == 2 && rs[1].completed;
}

} // namespace

TEST_SUITE("prefetch") {

  TEST_CASE(
      "accepting the whole suggestion is answered from the prefetch, with the prompt a fresh request sends") {
    for (const bool utf8_units : {false, true}) {
      CAPTURE(utf8_units);
      Session s(prefetch(true), utf8_units ? utf8() : json::object{});
      serve_suggestions(s.backend);
      s.open("file:///p.py", kDoc, "python");
      CHECK(s.complete_at("file:///p.py", 1, 0) == kShown);
      REQUIRE(s.backend.wait_until(prefetch_done, 5s)); // the user reads the suggestion

      s.change("file:///p.py", 1, 0, 1, 0, kShown); // accepted, as VS Code and Neovim insert it
      CHECK(s.complete_at("file:///p.py", 2, end_column(utf8_units)) == kNext);
      CHECK(s.backend.requests().size() == 2);

      // A fresh request at the accepted position, prefetch off, sends what the prefetch sent.
      Session fresh(prefetch(false), utf8_units ? utf8() : json::object{});
      serve_suggestions(fresh.backend);
      fresh.open("file:///p.py", "# π\n" + kShown + "\nprint(x)\n", "python");
      CHECK(fresh.complete_at("file:///p.py", 2, end_column(utf8_units)) == kNext);
      REQUIRE(fresh.backend.requests().size() == 1);
      CHECK(fresh.backend.requests()[0].body == s.backend.requests()[1].body);
    }
  }

  TEST_CASE("accepting by word and by line keeps the prefetch; the rest is answered from the cache") {
    for (const bool utf8_units : {false, true}) {
      CAPTURE(utf8_units);
      Session s(prefetch(true), utf8_units ? utf8() : json::object{});
      serve_suggestions(s.backend);
      s.open("file:///w.py", kDoc, "python");
      CHECK(s.complete_at("file:///w.py", 1, 0) == kShown);
      REQUIRE(s.backend.wait_until(prefetch_done, 5s));

      s.change("file:///w.py", 1, 0, 1, 0, "y "); // a word
      CHECK(s.complete_at("file:///w.py", 1, 2) == "= 1\nx = 'é'");
      s.change("file:///w.py", 1, 2, 1, 2, "= 1\n"); // the rest of the line
      CHECK(s.complete_at("file:///w.py", 2, 0) == "x = 'é'");
      s.change("file:///w.py", 2, 0, 2, 0, "x = 'é'"); // the rest
      CHECK(s.complete_at("file:///w.py", 2, end_column(utf8_units)) == kNext);
      const auto rs = s.backend.requests();
      CHECK(rs.size() == 2);
      CHECK_FALSE(rs[1].client_hung_up);
    }
  }

  TEST_CASE("accepting while the prefetch still streams attaches to it") {
    Session s(prefetch(true));
    serve_suggestions(s.backend, ok(kShown), held({"\n", "z = 2"}, {0}));
    s.open("file:///a.py", kDoc, "python");
    CHECK(s.complete_at("file:///a.py", 1, 0) == kShown);
    REQUIRE(s.backend.wait_until([](const auto& rs) { return rs.size() == 2; }, 5s));
    s.change("file:///a.py", 1, 0, 1, 0, kShown);
    const auto id = s.inline_request("file:///a.py", 2, end_column(false));
    s.sync();
    s.backend.release();
    CHECK(s.inline_text(id) == kNext);
    CHECK(s.backend.requests().size() == 2);
  }

  TEST_CASE("an edit that is not the suggestion aborts the prefetch, and so does a request elsewhere") {
    for (const bool request_elsewhere : {false, true}) {
      CAPTURE(request_elsewhere);
      // A deadline past the waits below: only the edit or the request can end the prefetch.
      json::object options = prefetch(true);
      options["endpoint"] = json::object{{"timeoutMs", 20000}};
      Session s(options);
      serve_suggestions(s.backend, ok(kShown), held({"\n", "z = 2"}, {0}));
      s.open("file:///d.py", kDoc, "python");
      CHECK(s.complete_at("file:///d.py", 1, 0) == kShown);
      REQUIRE(s.backend.wait_until([](const auto& rs) { return rs.size() == 2; }, 5s));
      if (request_elsewhere) {
        s.backend.set_reply(ok("elsewhere"));
        CHECK(s.complete_at("file:///d.py", 2, 8) == "elsewhere");
      } else {
        s.change("file:///d.py", 1, 0, 1, 0, "q"); // not what was suggested
      }
      CHECK(s.lsp.wait_stderr("prefetch aborted: the user went another way"));
      CHECK(s.backend.wait_until([](const auto& rs) { return rs.size() >= 2 && rs[1].client_hung_up; }, 5s));
    }
  }

  TEST_CASE("no prefetch during a backoff") {
    Session s(prefetch(true));
    Reply limited = fault(Fault::Status429);
    limited.retry_after = "30";
    serve_suggestions(s.backend, ok(kShown), limited); // the prefetch is refused: back off
    s.open("file:///b.py", kDoc, "python");
    CHECK(s.complete_at("file:///b.py", 1, 0) == kShown);
    REQUIRE(s.backend.wait_until([](const auto& rs) { return rs.size() == 2 && rs[1].completed; }, 5s));
    // Typing the suggestion is answered from the cache: shown again, but nothing is asked.
    s.change("file:///b.py", 1, 0, 1, 0, "y");
    CHECK(s.complete_at("file:///b.py", 1, 1) == " = 1\nx = 'é'");
    CHECK(no_prefetch_since(s, 1));
    CHECK(s.backend.requests().size() == 2);
  }

  TEST_CASE("prefetch off: nothing but the requests; unset: on for a loopback endpoint") {
    Session off(prefetch(false));
    serve_suggestions(off.backend);
    off.open("file:///o.py", kDoc, "python");
    CHECK(off.complete_at("file:///o.py", 1, 0) == kShown);
    CHECK(no_prefetch_since(off, 0));
    CHECK(off.backend.requests().size() == 1);

    Session unset({{"suggestion", {{"prefetch", nullptr}}}});
    serve_suggestions(unset.backend);
    unset.open("file:///u.py", kDoc, "python");
    CHECK(unset.complete_at("file:///u.py", 1, 0) == kShown);
    CHECK(unset.backend.wait_until(prefetch_done, 5s));
  }
}
