#include "fimlsp/fim/net/ndjson.hpp"
#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace fimlsp::fim;

namespace {

std::vector<std::string> lines(std::string_view bytes, std::size_t step) {
  NdjsonParser p;
  std::vector<std::string> out;
  auto on = [&](std::string_view l) { out.emplace_back(l); };
  for (std::size_t i = 0; i < bytes.size(); i += step)
    p.feed(bytes.substr(i, step), on);
  p.finish(on);
  return out;
}

} // namespace

TEST_CASE("ndjson: lines are the same however the bytes are split; CRLF, blank lines, a last line") {
  const std::string bytes = "{\"a\":1}\n{\"b\":2}\r\n\n  \r\n{\"c\":3}";
  const std::vector<std::string> want{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"};
  for (std::size_t step : {1, 2, 3, 5, 1000}) {
    CAPTURE(step);
    CHECK(lines(bytes, step) == want);
  }
  CHECK(lines("", 1).empty());
  CHECK(lines("\n\n", 1).empty());
}

TEST_CASE("ndjson: an endless line is passed on cut short, and the next line is whole") {
  const std::string huge(NdjsonParser::kMaxLine + 100, 'x');
  auto got = lines(huge + "\n{\"ok\":true}\n", 1 << 16);
  REQUIRE(got.size() == 2);
  CHECK(got[0].size() == NdjsonParser::kMaxLine);
  CHECK(got[1] == "{\"ok\":true}");
}
