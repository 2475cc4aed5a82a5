// Incremental didChange edits in each position encoding against a naive reference: a std::string
// whose lines are found by scanning and whose positions go through the line's whole text.
#include "fimlsp/server/documents.hpp"
#include "fuzz_input.hpp"
#include <algorithm>

namespace {
namespace s = fimlsp::server;
namespace p = fimlsp::protocol;

std::string text_from(fuzz::Input& in, std::size_t max) {
  // Multi-byte characters, surrogate-pair ones, CRLF and stray bytes are what the encodings differ on.
  static constexpr std::string_view kAtoms[] = {"a", "\n",       "\r\n", "é",  "€",
                                                "😀", "\xF0\x9F", "\xFF", "\t", "\r"};
  std::string out;
  for (std::uint32_t n = in.number(static_cast<std::uint32_t>(max)); n-- > 0;) {
    const std::uint8_t b = in.byte();
    out += b < 200 ? kAtoms[b % std::size(kAtoms)] : std::string_view(reinterpret_cast<const char*>(&b), 1);
  }
  return out;
}

// The byte offset of `pos` in `ref`, found the slow way.
std::size_t naive_offset(const std::string& ref, p::Position pos, s::PositionEncoding e) {
  std::size_t start = 0;
  for (std::uint32_t l = 0; l < pos.line; ++l) {
    start = ref.find('\n', start);
    if (start == std::string::npos) return ref.size();
    ++start;
  }
  std::size_t end = std::min(ref.find('\n', start), ref.size());
  if (end > start && end < ref.size() && ref[end - 1] == '\r') --end;
  return start + s::byte_offset_in_line(std::string_view(ref).substr(start, end - start), pos.character, e);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  static constexpr s::PositionEncoding kEncodings[] = {s::PositionEncoding::Utf8, s::PositionEncoding::Utf16,
                                                       s::PositionEncoding::Utf32};
  const auto encoding = kEncodings[in.byte() % 3];
  s::DocumentStore store(encoding);
  std::string ref = text_from(in, 200);
  store.open({"file:///f", "python", 1, ref});

  for (int round = 0; round < 16 && !in.empty(); ++round) {
    p::DidChangeTextDocumentParams params{"file:///f", round + 2, {}};
    std::string next = ref;
    bool impossible = false;
    for (std::uint32_t n = 1 + in.number(3); n-- > 0;) {
      p::TextDocumentContentChangeEvent change;
      if (in.byte() % 8 != 0) {
        const auto lines = static_cast<std::uint32_t>(std::count(next.begin(), next.end(), '\n') + 2);
        p::Range r{{in.number(lines), in.number(40)}, {in.number(lines), in.number(40)}};
        if (in.byte() % 4 != 0 && (r.start.line > r.end.line ||
                                   (r.start.line == r.end.line && r.start.character > r.end.character)))
          std::swap(r.start, r.end);
        impossible = impossible || r.start.line > r.end.line ||
                     (r.start.line == r.end.line && r.start.character > r.end.character);
        change.range = r;
      }
      change.text = text_from(in, 12);
      if (change.range) {
        const std::size_t a = naive_offset(next, change.range->start, encoding);
        const std::size_t b = naive_offset(next, change.range->end, encoding);
        FUZZ_CHECK(impossible || a <= b);
        if (!impossible) next.replace(a, b - a, change.text);
      } else {
        next = change.text;
      }
      params.contentChanges.push_back(std::move(change));
    }
    const auto error = store.change(params);
    FUZZ_CHECK(error.has_value() == impossible);
    if (!impossible) ref = next;
    const s::Document* doc = store.find("file:///f");
    FUZZ_CHECK(doc && doc->text.text() == ref);

    // A position read back from any offset is where that offset is, or the start of its character.
    const std::size_t offset = in.number(static_cast<std::uint32_t>(ref.size()));
    const p::Position pos = s::position_of(doc->text, offset, encoding);
    const std::size_t back = s::offset_of(doc->text, pos, encoding);
    FUZZ_CHECK(back == naive_offset(ref, pos, encoding));
    FUZZ_CHECK(back <= offset);
  }
  return 0;
}
