#include "fimlsp/protocol/framing.hpp"
#include <doctest/doctest.h>
#include <random>
#include <vector>

namespace fimlsp::test {
namespace {

using protocol::frame;
using protocol::FrameReader;

// A reader that records its log lines, and drains every body it has.
struct Harness {
  std::vector<std::string> logs;
  FrameReader reader;
  explicit Harness(std::size_t max = protocol::kMaxContentLength)
      : reader([this](std::string_view line) { logs.emplace_back(line); }, max) {}

  std::vector<std::string> feed(std::string_view bytes) {
    reader.feed(bytes);
    std::vector<std::string> out;
    while (auto body = reader.next())
      out.push_back(std::move(*body));
    return out;
  }
  std::vector<std::string> feed_bytewise(std::string_view bytes) {
    std::vector<std::string> out;
    for (char c : bytes)
      for (auto& b : feed(std::string_view(&c, 1)))
        out.push_back(std::move(b));
    return out;
  }
};

std::string body_of(int i) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(i) + R"(,"method":"m","params":{"text":")" +
         std::string(static_cast<std::size_t>(i % 97), 'x') + "\"}}";
}

} // namespace

TEST_CASE("frame writes a Content-Length header") {
  CHECK(frame("{}") == "Content-Length: 2\r\n\r\n{}");
  CHECK(frame("") == "Content-Length: 0\r\n\r\n");
}

TEST_CASE("framing: one byte at a time") {
  Harness h;
  std::string stream = frame(body_of(1)) + frame("é") + frame(body_of(2));
  auto bodies = h.feed_bytewise(stream);
  REQUIRE(bodies.size() == 3);
  CHECK(bodies[0] == body_of(1));
  CHECK(bodies[1] == "é");
  CHECK(bodies[2] == body_of(2));
  CHECK(h.logs.empty());
}

TEST_CASE("framing: several messages in one read, and random seeded splits") {
  std::string stream;
  std::vector<std::string> expected;
  for (int i = 0; i < 300; ++i) {
    expected.push_back(body_of(i));
    stream += frame(expected.back());
  }
  {
    Harness h;
    CHECK(h.feed(stream) == expected);
  }
  for (unsigned seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> chunk(1, 200);
    Harness h;
    std::vector<std::string> got;
    for (std::size_t pos = 0; pos < stream.size();) {
      std::size_t n = std::min(chunk(rng), stream.size() - pos);
      for (auto& b : h.feed(std::string_view(stream).substr(pos, n)))
        got.push_back(std::move(b));
      pos += n;
    }
    CHECK(got == expected);
    CHECK(h.logs.empty());
  }
}

TEST_CASE("framing: Content-Type and header spelling variants") {
  Harness h;
  std::string stream =
      "Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"
      "content-type: application/vscode-jsonrpc; charset=utf8\r\ncontent-length:3\r\n\r\n[1]"
      "CONTENT-LENGTH:   1  \r\nContent-Type: application/vscode-jsonrpc; Charset=\"UTF-8\"\r\n\r\n1"
      "X-Custom: anything\r\nContent-Length: 1\r\n\r\n2";
  auto bodies = h.feed(stream);
  CHECK(bodies == std::vector<std::string>{"{}", "[1]", "1", "2"});
  CHECK(h.logs.empty());

  Harness latin;
  CHECK(latin.feed("Content-Type: text/plain; charset=latin1\r\nContent-Length: 2\r\n\r\n{}") ==
        std::vector<std::string>{"{}"});
  REQUIRE(latin.logs.size() == 1);
  CHECK(latin.logs[0].find("latin1") != std::string::npos);
}

TEST_CASE("framing: bad header blocks are logged and the reader resyncs") {
  const std::string good = frame(R"({"ok":1})");
  struct Case {
    std::string name;
    std::string bad;
    const char* log_fragment;
  };
  std::vector<Case> cases = {
      {"missing Content-Length", "Content-Type: application/vscode-jsonrpc\r\n\r\n{\"lost\":1}",
       "without Content-Length"},
      {"non-numeric value", "Content-Length: abc\r\n\r\n{}", "bad Content-Length"},
      {"negative value", "Content-Length: -5\r\n\r\n{}", "bad Content-Length"},
      {"empty value", "Content-Length: \r\n\r\n{}", "bad Content-Length"},
      {"trailing junk in value", "Content-Length: 12x\r\n\r\n{}", "bad Content-Length"},
      {"over the cap", "Content-Length: 67108865\r\n\r\n{}", "over the limit"},
      {"beyond size_t", "Content-Length: 99999999999999999999999999\r\n\r\n{}", "over the limit"},
      {"line without colon", "garbage line\r\n\r\n", "malformed header"},
      {"empty header block", "\r\n\r\n", "without Content-Length"},
  };
  for (auto& c : cases) {
    CAPTURE(c.name);
    for (bool bytewise : {false, true}) {
      CAPTURE(bytewise);
      Harness h;
      std::string stream = c.bad + good + good;
      auto bodies = bytewise ? h.feed_bytewise(stream) : h.feed(stream);
      CHECK(bodies == std::vector<std::string>{R"({"ok":1})", R"({"ok":1})"});
      REQUIRE(h.logs.size() == 1);
      CHECK(h.logs[0].find(c.log_fragment) != std::string::npos);
    }
  }
}

TEST_CASE("framing: conflicting duplicates resync at the second header") {
  // The resync point is the next "Content-Length:", which here is inside the rejected block.
  Harness h;
  CHECK(h.feed("Content-Length: 9\r\nContent-Length: 2\r\n\r\n{}") == std::vector<std::string>{"{}"});
  CHECK(h.logs.size() == 1);
}

TEST_CASE("framing: a custom cap is honoured without allocating the claimed size") {
  Harness h(16);
  CHECK(h.feed("Content-Length: 17\r\n\r\n").empty());
  CHECK(h.logs.size() == 1);
  CHECK(h.feed(frame("0123456789abcdef")) == std::vector<std::string>{"0123456789abcdef"});
}

TEST_CASE("framing: garbage without headers is dropped, not buffered") {
  Harness h;
  std::string junk(1 << 20, 'z');
  for (int i = 0; i < 8; ++i)
    CHECK(h.feed(junk).empty());
  CHECK(h.logs.size() == 1); // one report, then silence while skipping
  // Garbage with no header terminator, then a message right after it.
  CHECK(h.feed("zzz" + frame("{}")) == std::vector<std::string>{"{}"});

  Harness glued;
  CHECK(glued.feed("noise" + frame("[]")) == std::vector<std::string>{"[]"});
  CHECK(glued.logs.size() == 1);
}

TEST_CASE("framing: the resync marker may arrive split across reads") {
  Harness h;
  std::string junk(10000, 'q');
  CHECK(h.feed(junk + "Content-Le").empty());
  CHECK(h.feed("ngth: 2\r\n\r\n{}") == std::vector<std::string>{"{}"});
  CHECK(h.logs.size() == 1);
}

TEST_CASE("framing: an incomplete body waits for more bytes") {
  Harness h;
  CHECK(h.feed("Content-Length: 10\r\n\r\n01234").empty());
  CHECK(h.feed("5678").empty());
  CHECK(h.feed("9Content-Length: 0\r\n\r\n") == std::vector<std::string>{"0123456789", ""});
  CHECK(h.logs.empty());
}

} // namespace fimlsp::test
