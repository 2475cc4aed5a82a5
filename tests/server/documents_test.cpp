#include "fimlsp/server/documents.hpp"
#include <algorithm>
#include <doctest/doctest.h>
#include <numeric>
#include <random>

namespace fimlsp::test {

using protocol::Position;
using protocol::Range;
using server::DocumentStore;
using server::PositionEncoding;
using server::TextBuffer;

namespace {

protocol::TextDocumentItem item(std::string uri, std::string text, std::int64_t version = 1) {
  return {std::move(uri), "cpp", version, std::move(text)};
}

protocol::TextDocumentContentChangeEvent edit(Position start, Position end, std::string text) {
  return {Range{start, end}, std::move(text)};
}

protocol::DidChangeTextDocumentParams changes(std::string uri, std::int64_t version,
                                              std::vector<protocol::TextDocumentContentChangeEvent> events) {
  return {std::move(uri), version, std::move(events)};
}

} // namespace

TEST_CASE("positions to offsets and back, with clamping") {
  // Line 0 "a中😀\r\n" (a@0 中@1 😀@4 \r@8), line 1 "xy\n" (@10), line 2 "" (@13).
  const TextBuffer t("a\xE4\xB8\xAD\xF0\x9F\x98\x80\r\nxy\n");
  REQUIRE(t.size() == 13);
  const auto U8 = PositionEncoding::Utf8, U16 = PositionEncoding::Utf16, U32 = PositionEncoding::Utf32;
  CHECK(offset_of(t, {0, 2}, U16) == 4);
  CHECK(offset_of(t, {0, 3}, U16) == 4); // between the surrogates: the emoji's start
  CHECK(offset_of(t, {0, 4}, U16) == 8);
  CHECK(offset_of(t, {0, 5}, U16) == 8); // past the line's end: before its \r\n
  CHECK(offset_of(t, {0, 3}, U32) == 8);
  CHECK(offset_of(t, {0, 8}, U8) == 8);
  CHECK(offset_of(t, {0, 2}, U8) == 1);
  CHECK(offset_of(t, {1, 1}, U16) == 11);
  CHECK(offset_of(t, {1, 4000000000u}, U16) == 12);
  CHECK(offset_of(t, {2, 0}, U16) == 13);
  CHECK(offset_of(t, {2, 7}, U16) == 13);
  CHECK(offset_of(t, {3, 0}, U16) == 13); // past the last line: the document's end
  CHECK(offset_of(t, {4000000000u, 9}, U32) == 13);

  const auto pos = [&](std::size_t offset, PositionEncoding e) {
    const Position p = position_of(t, offset, e);
    return std::make_pair(p.line, p.character);
  };
  CHECK(pos(4, U16) == std::make_pair(0u, 2u));
  CHECK(pos(8, U16) == std::make_pair(0u, 4u));
  CHECK(pos(8, U32) == std::make_pair(0u, 3u));
  CHECK(pos(8, U8) == std::make_pair(0u, 8u));
  CHECK(pos(6, U16) == std::make_pair(0u, 2u)); // inside the emoji: its start
  CHECK(pos(9, U16) == std::make_pair(0u, 4u)); // between \r and \n: the line's end
  CHECK(pos(11, U16) == std::make_pair(1u, 1u));
  CHECK(pos(13, U16) == std::make_pair(2u, 0u));
  CHECK(pos(99, U16) == std::make_pair(2u, 0u));
}

TEST_CASE("the store opens, changes, finds and closes documents") {
  DocumentStore store;
  CHECK(store.encoding() == PositionEncoding::Utf16);
  store.open(item("file:///a.cpp", "int main() {\n}\n", 3));
  REQUIRE(store.find("file:///a.cpp"));
  CHECK(store.find("file:///b.cpp") == nullptr);
  CHECK(store.find("file:///a.cpp")->version == 3);
  CHECK(store.find("file:///a.cpp")->languageId == "cpp");

  // Two edits in order: the second's positions are in the text the first produced.
  CHECK_FALSE(store.change(
      changes("file:///a.cpp", 4, {edit({1, 0}, {1, 0}, "  return 0;\n"), edit({2, 0}, {2, 1}, "};")})));
  CHECK(store.find("file:///a.cpp")->text.text() == "int main() {\n  return 0;\n};\n");
  CHECK(store.find("file:///a.cpp")->version == 4);

  // A change without a range replaces the document; ranged changes may follow it.
  CHECK_FALSE(store.change(changes("file:///a.cpp", 5, {{std::nullopt, "x\ny"}, edit({1, 1}, {1, 1}, "z")})));
  CHECK(store.find("file:///a.cpp")->text.text() == "x\nyz");

  store.open(item("file:///a.cpp", "reopened", 9)); // reopening replaces
  CHECK(store.find("file:///a.cpp")->text.text() == "reopened");
  CHECK(store.find("file:///a.cpp")->version == 9);
  CHECK(store.size() == 1);

  CHECK(store.close("file:///a.cpp"));
  CHECK_FALSE(store.close("file:///a.cpp"));
  CHECK(store.find("file:///a.cpp") == nullptr);
  CHECK(store.size() == 0);
}

TEST_CASE("a bad didChange is refused whole") {
  DocumentStore store;
  const auto unknown = store.change(changes("file:///nope", 2, {edit({0, 0}, {0, 0}, "x")}));
  REQUIRE(unknown);
  CHECK(unknown->find("file:///nope") != std::string::npos);

  store.open(item("file:///a", "one\ntwo\n", 1));
  const auto reversed =
      store.change(changes("file:///a", 2, {edit({0, 0}, {0, 0}, "zero "), edit({1, 2}, {1, 1}, "")}));
  REQUIRE(reversed);
  CHECK(reversed->find("contentChanges[1]") != std::string::npos);
  CHECK(store.find("file:///a")->text.text() == "one\ntwo\n"); // the valid first change is not applied
  CHECK(store.find("file:///a")->version == 1);

  // Positions beyond the document clamp instead of failing.
  CHECK_FALSE(store.change(changes("file:///a", 3, {edit({1, 99}, {40, 0}, "!")})));
  CHECK(store.find("file:///a")->text.text() == "one\ntwo!");
}

TEST_CASE("utf-8 and utf-32 stores interpret characters in their encoding") {
  const std::string text = "\xF0\x9F\x98\x80x"; // 😀x
  DocumentStore u8(PositionEncoding::Utf8), u32(PositionEncoding::Utf32);
  u8.open(item("u", text));
  u32.open(item("u", text));
  CHECK_FALSE(u8.change(changes("u", 2, {edit({0, 4}, {0, 5}, "y")})));
  CHECK_FALSE(u32.change(changes("u", 2, {edit({0, 1}, {0, 2}, "y")})));
  CHECK(u8.find("u")->text.text() == "\xF0\x9F\x98\x80y");
  CHECK(u32.find("u")->text.text() == "\xF0\x9F\x98\x80y");
}

namespace {

// The reference: a plain string, with UTF-16 positions computed by decoding from the line's
// start. Only well-formed UTF-8 plus lone 0xFF / 0x80 bytes are ever inserted, and edits cut at
// code point boundaries, so a lead byte always keeps its continuation bytes.
struct Reference {
  std::string text;

  static std::size_t sequence_length(unsigned char c) {
    if (c >= 0xF0 && c != 0xFF) return 4;
    if (c >= 0xE0 && c != 0xFF) return 3;
    if (c >= 0xC0 && c != 0xFF) return 2;
    return 1;
  }
  std::size_t line_start_before(std::size_t offset) const {
    const std::size_t nl = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
    return nl == std::string::npos ? 0 : nl + 1;
  }
  // The last code point boundary at or before `offset`, never between \r and \n.
  std::size_t boundary_at_or_before(std::size_t offset) const {
    std::size_t i = line_start_before(offset);
    while (i < text.size() && i + sequence_length(text[i]) <= offset)
      i += sequence_length(text[i]);
    if (i > 0 && i < text.size() && text[i - 1] == '\r' && text[i] == '\n') --i;
    return i;
  }
  Position utf16_position(std::size_t offset) const {
    const auto line = static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + offset, '\n'));
    std::uint32_t character = 0;
    for (std::size_t i = line_start_before(offset); i < offset; i += sequence_length(text[i]))
      character += sequence_length(text[i]) == 4 ? 2 : 1;
    return {line, character};
  }
  std::vector<std::size_t> line_starts() const {
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts.push_back(i + 1);
    return starts;
  }
};

const std::vector<std::string> kPieces = {"a",         "z",    " ",        "\t",           "\n",
                                          "\n",        "\r\n", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80",
                                          "e\xCC\x81", "\xFF", "\x80",     "int",          "{}"};

std::string random_text(std::mt19937& rng, std::size_t pieces) {
  std::string s;
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  for (std::size_t i = 0; i < pieces; ++i)
    s += kPieces[pick(rng)];
  return s;
}

// Compares text and line starts: every line on small documents and every tenth step, else a
// random sample (checking all lines of a large document at every step is quadratic).
void check_store_matches(const DocumentStore& store, const Reference& ref, std::mt19937& rng,
                         bool all_lines) {
  const server::Document* doc = store.find("file:///r");
  REQUIRE(doc);
  REQUIRE(doc->text.size() == ref.text.size());
  REQUIRE(doc->text.text() == ref.text);
  const auto starts = ref.line_starts();
  REQUIRE(doc->text.line_count() == starts.size());
  std::vector<std::size_t> lines(starts.size());
  std::iota(lines.begin(), lines.end(), std::size_t{0});
  if (!all_lines && lines.size() > 300) {
    std::shuffle(lines.begin(), lines.end(), rng);
    lines.resize(100);
  }
  std::vector<std::size_t> got, want;
  for (std::size_t line : lines) {
    got.push_back(doc->text.line_start(line));
    want.push_back(starts[line]);
  }
  REQUIRE(got == want);
}

void run_random_edits(unsigned seed, std::size_t initial_pieces, int steps) {
  CAPTURE(seed);
  std::mt19937 rng(seed);
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n)(rng); };
  Reference ref{random_text(rng, initial_pieces)};
  DocumentStore store;
  store.open(item("file:///r", ref.text));
  check_store_matches(store, ref, rng, true);

  for (int step = 0; step < steps; ++step) {
    CAPTURE(step);
    std::vector<protocol::TextDocumentContentChangeEvent> events;
    const std::size_t count = 1 + (pick(4) == 0 ? pick(3) : 0); // sometimes several per didChange
    for (std::size_t k = 0; k < count; ++k) {
      if (pick(150) == 0) { // a whole-document replacement
        ref.text = random_text(rng, pick(50));
        events.push_back({std::nullopt, ref.text});
        continue;
      }
      std::size_t start = ref.boundary_at_or_before(pick(ref.text.size()));
      // Mostly short edits near the start; sometimes multi-line spans or cuts of tens of KiB.
      const std::size_t span = pick(9) == 0 ? pick(40000) : pick(12);
      std::size_t end = ref.boundary_at_or_before(std::min(ref.text.size(), start + span));
      if (end < start) std::swap(start, end);
      const std::string text = random_text(rng, pick(12) == 0 ? pick(8000) : pick(4));
      Position p_start = ref.utf16_position(start), p_end = ref.utf16_position(end);
      // Exercise clamping: a character past the line's end, a line past the document's end.
      const auto line_end = [&](std::size_t o) {
        std::size_t e = ref.text.find('\n', o);
        if (e == std::string::npos) return ref.text.size();
        return e > 0 && ref.text[e - 1] == '\r' ? e - 1 : e;
      };
      if (end == line_end(end) && pick(3) == 0) p_end.character += 1 + static_cast<std::uint32_t>(pick(100));
      if (end == ref.text.size() && pick(2) == 0) p_end.line += 1 + static_cast<std::uint32_t>(pick(3));
      events.push_back(edit(p_start, p_end, text));
      ref.text.replace(start, end - start, text);
    }
    REQUIRE_FALSE(store.change(changes("file:///r", step + 2, std::move(events))));
    check_store_matches(store, ref, rng, step % 10 == 0);
    // Offsets back to positions agree with the reference too.
    const std::size_t probe = ref.boundary_at_or_before(pick(ref.text.size()));
    const Position got = position_of(store.find("file:///r")->text, probe, PositionEncoding::Utf16);
    const Position want = ref.utf16_position(probe);
    REQUIRE(got.line == want.line);
    REQUIRE(got.character == want.character);
  }
}

} // namespace

TEST_CASE("random UTF-16 edits on the store match a plain string") {
  // Small documents, where every edit is near the chunk structure's edges...
  for (unsigned seed : {11u, 12u, 13u, 14u})
    run_random_edits(seed, 20, 400);
  // ...and documents of hundreds of KiB spanning dozens of chunks.
  for (unsigned seed : {21u, 22u})
    run_random_edits(seed, 60000, 200);
}

} // namespace fimlsp::test
