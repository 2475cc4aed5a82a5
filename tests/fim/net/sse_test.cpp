#include "fimlsp/fim/net/sse.hpp"
#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace fimlsp::fim;

namespace {

// Feeds `bytes` in pieces of `step` bytes and returns every event's data.
std::vector<std::string> events(std::string_view bytes, std::size_t step, bool finish = true) {
  SseParser p;
  std::vector<std::string> out;
  auto on = [&](std::string_view d) { out.emplace_back(d); };
  for (std::size_t i = 0; i < bytes.size(); i += step)
    p.feed(bytes.substr(i, step), on);
  if (finish) p.finish(on);
  return out;
}

} // namespace

TEST_CASE("sse: events are the same however the bytes are split") {
  const std::string stream = ": keep-alive\r\n\r\n"
                             "event: completion\r\nid: 7\r\ndata: {\"a\":1}\r\n\r\n"
                             "data:first\ndata: second\n\n"
                             "data:  two spaces\r\rdata: [DONE]\n\n";
  const std::vector<std::string> want{"{\"a\":1}", "first\nsecond", " two spaces", "[DONE]"};
  for (std::size_t step : {1, 2, 3, 5, 7, 64, 1000}) {
    CAPTURE(step);
    CHECK(events(stream, step) == want);
  }
}

TEST_CASE("sse: a CRLF split between two feeds is one line end") {
  SseParser p;
  std::vector<std::string> out;
  auto on = [&](std::string_view d) { out.emplace_back(d); };
  p.feed("data: x\r", on);
  p.feed("\n", on);
  CHECK(out.empty());
  p.feed("\r", on);
  CHECK(out == std::vector<std::string>{"x"});
  p.feed("\ndata: y\n\n", on);
  CHECK(out == std::vector<std::string>{"x", "y"});
}

TEST_CASE("sse: comments and fields without data make no event; finish dispatches a pending one") {
  CHECK(events(": only a comment\n\nevent: ping\n\n", 1).empty());
  CHECK(events("data: tail", 1, false).empty());
  CHECK(events("data: tail", 1, true) == std::vector<std::string>{"tail"});
  CHECK(events("data\n\n", 1) == std::vector<std::string>{""});
}

TEST_CASE("sse: fields other than data go to on_other_field when it is set") {
  SseParser p;
  std::vector<std::string> fields, data;
  p.on_other_field = [&](std::string_view f, std::string_view v) {
    fields.push_back(std::string(f) + "=" + std::string(v));
  };
  auto on = [&](std::string_view d) { data.emplace_back(d); };
  p.feed("event: x\nid: 7\ndata: a\n\nerror: {\"code\":500}\n\n: comment\n", on);
  p.finish(on);
  CHECK(fields == std::vector<std::string>{"event=x", "id=7", "error={\"code\":500}"});
  CHECK(data == std::vector<std::string>{"a"});
}
