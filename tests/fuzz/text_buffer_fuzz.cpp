// TextBuffer against a std::string: the fuzz bytes choose texts (repeated, to cross the chunks
// of a few KiB) and edits at any offset; after each edit every query agrees with the string.
#include "fimlsp/server/text_buffer.hpp"
#include "fuzz_input.hpp"
#include <algorithm>

namespace {
// `s` repeated as often as the input says, so that short inputs make large texts.
std::string grown(fuzz::Input& in, std::size_t max) {
  std::string unit = in.text(max);
  std::string out;
  for (std::uint32_t n = in.number(600); n-- > 0 && !unit.empty();)
    out += unit;
  return out.empty() ? unit : out;
}

std::size_t line_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')) + 1;
}
std::size_t line_start(const std::string& s, std::size_t line) {
  std::size_t at = 0;
  for (; line > 0; --line) {
    at = s.find('\n', at);
    if (at == std::string::npos) return s.size();
    ++at;
  }
  return at;
}
std::size_t line_end(const std::string& s, std::size_t line) {
  std::size_t start = line_start(s, line), nl = s.find('\n', start);
  if (nl == std::string::npos) return s.size();
  return nl > start && s[nl - 1] == '\r' ? nl - 1 : nl;
}

void check(const fimlsp::server::TextBuffer& buf, const std::string& ref, fuzz::Input& in) {
  FUZZ_CHECK(buf.size() == ref.size());
  FUZZ_CHECK(buf.line_count() == line_count(ref));
  const std::size_t line = in.number(static_cast<std::uint32_t>(line_count(ref) + 1));
  FUZZ_CHECK(buf.line_start(line) == line_start(ref, line));
  if (line < line_count(ref)) {
    FUZZ_CHECK(buf.line_end(line) == line_end(ref, line));
    FUZZ_CHECK(buf.line_text(line) ==
               ref.substr(line_start(ref, line), line_end(ref, line) - line_start(ref, line)));
  }
  const std::size_t offset = in.number(static_cast<std::uint32_t>(ref.size()));
  FUZZ_CHECK(buf.line_of(offset) ==
             static_cast<std::size_t>(std::count(ref.begin(), ref.begin() + offset, '\n')));
  const std::size_t length = in.number(UINT16_MAX);
  FUZZ_CHECK(buf.substr(offset, length) == ref.substr(offset, length));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  std::string ref = grown(in, 64);
  fimlsp::server::TextBuffer buf(ref);
  check(buf, ref, in);
  for (int edits = 0; edits < 64 && !in.empty(); ++edits) {
    const std::size_t offset = in.number(static_cast<std::uint32_t>(ref.size() + 8));
    const std::size_t length = in.byte() & 1 ? in.number(UINT16_MAX) : in.number(16);
    const std::string text = grown(in, 32);
    buf.replace(offset, length, text);
    const std::size_t at = std::min(offset, ref.size());
    ref.replace(at, std::min(length, ref.size() - at), text);
    check(buf, ref, in);
  }
  FUZZ_CHECK(buf.text() == ref);
  return 0;
}
