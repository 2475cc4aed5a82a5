#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/fim/suggest/pipeline.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

using fim::SuggestionPipeline;

namespace {

fim::StopRules qwen_rules(bool single_line = false, int max_lines = 10) {
  fim::StopRules r;
  r.single_line = single_line;
  r.max_lines = max_lines;
  const auto* t = fim::find_template("qwen");
  r.stops.assign(t->stops.begin(), t->stops.end());
  return r;
}

struct Cursor {
  std::string suffix, line_after;
};

SuggestionPipeline pipeline_at(const Cursor& c, int max_lines = 10) {
  const bool single_line = c.line_after.find_first_not_of(" \t") != std::string::npos;
  return SuggestionPipeline(qwen_rules(single_line, max_lines), "prefix", c.suffix, c.line_after);
}

std::string final_text(const Cursor& c, std::string_view stream) {
  auto p = pipeline_at(c);
  p.append(stream);
  p.finish();
  return p.text();
}

// Cursors and streams the clean-up has something to say about.
const std::vector<Cursor> kCursors{
    {"\n}\n", ""}, {"   \n}\n", "   "}, {"\n    return x\n\ndef g():\n", ""}, {")\nnext", ")"}, {"", ""},
};
const std::vector<std::string> kStreams{
    "a();\n}\n",
    "a();\n}",
    "  a();\n  b();\n}\n\n",
    "if (a) {\n  b();\n}\n",
    "x = 1\n    return x\ndef g():\n",
    "\n\n  \n",
    "one\n\ntwo  \n\nthree\n",
    "a, b)",
    "x<|endoftext|>more\n",
    "}\n}\n}\nx\n",
};

// What may follow a start of a stream, for the filters' streaming promises.
const std::vector<std::string> kTails{"", "\n", "  ", "}", "\n}", "\n}\n", "x\n", "\n    return x", ")"};

// The filter applied to `start` followed by `tail`.
std::string applied(const fim::Filter& f, std::string_view start, const std::string& tail,
                    const fim::FilterContext& ctx) {
  std::string text = std::string(start) + tail;
  f.apply(text, ctx);
  return text;
}

} // namespace

TEST_SUITE("suggestion pipeline") {

  TEST_CASE("stop strings split across pieces end the suggestion; the clean-up runs at the end") {
    for (std::size_t size = 1; size <= 16; ++size) {
      CAPTURE(size);
      const std::string stream = "foo()  \n\n<|fim_pad|>bar";
      auto p = pipeline_at({"", ""});
      bool complete = false;
      for (std::size_t i = 0; i < stream.size() && !complete; i += size)
        complete = p.append(std::string_view(stream).substr(i, size));
      CHECK(complete);
      CHECK(p.streamed() == "foo()  \n\n");
      CHECK(p.text().empty()); // not finished yet
      p.finish();
      CHECK(p.text() == "foo()");
    }
  }

  TEST_CASE("a possible stop start is held back from streamed() and from the stable prefix") {
    auto p = pipeline_at({"", ""});
    CHECK_FALSE(p.append("a\nb\n<|endo"));
    CHECK(p.streamed() == "a\nb\n");
    CHECK(p.streamed().substr(0, p.stable_prefix()) == "a\nb"); // the newline may still go
    CHECK_FALSE(p.append("rphin|>\n"));
    CHECK(p.streamed() == "a\nb\n<|endorphin|>\n");
    CHECK(p.streamed().substr(0, p.stable_prefix()) == "a\nb\n<|endorphin|>");
    p.finish();
    CHECK(p.text() == "a\nb\n<|endorphin|>");
    CHECK(p.stable_prefix() == p.text().size());
  }

  TEST_CASE("stable_prefix never exceeds what the final text keeps, for every piece size") {
    for (const auto& cursor : kCursors) {
      for (const auto& stream : kStreams) {
        const std::string final = final_text(cursor, stream);
        for (std::size_t size = 1; size <= stream.size(); ++size) {
          CAPTURE(cursor.suffix);
          CAPTURE(stream);
          CAPTURE(size);
          auto p = pipeline_at(cursor);
          std::size_t stable = 0;
          bool complete = false;
          for (std::size_t i = 0; i < stream.size() && !complete; i += size) {
            complete = p.append(std::string_view(stream).substr(i, size));
            const std::size_t now = p.stable_prefix();
            CHECK(now >= stable); // what was shown stays shown
            stable = now;
            REQUIRE(stable <= p.streamed().size());
            CHECK(std::string_view(final).starts_with(p.streamed().substr(0, stable)));
          }
          p.finish();
          CHECK(p.text() == final);
        }
      }
    }
  }

  TEST_CASE("every filter keeps what it promised, whatever follows") {
    for (const auto& cursor : kCursors) {
      const fim::FilterContext ctx("prefix", cursor.suffix, cursor.line_after);
      for (const fim::Filter* f : fim::clean_up_filters()) {
        REQUIRE(static_cast<bool>(f->keeps));
        for (const auto& stream : kStreams) {
          std::size_t seen = 0, kept = 0;
          for (std::size_t end = 1; end <= stream.size(); ++end) {
            const std::string_view start = std::string_view(stream).substr(0, end);
            kept = std::max(kept, f->keeps(start, seen, kept, ctx));
            seen = end;
            for (const auto& tail : kTails) {
              CAPTURE(f->name);
              CAPTURE(start);
              CAPTURE(tail);
              CHECK(std::string_view(applied(*f, start, tail, ctx)).starts_with(start.substr(0, kept)));
            }
          }
        }
      }
    }
  }

  TEST_CASE("a filter that says the stream may end keeps no more than it said, whatever follows") {
    for (const auto& cursor : kCursors) {
      const fim::FilterContext ctx("prefix", cursor.suffix, cursor.line_after);
      for (const fim::Filter* f : fim::clean_up_filters()) {
        if (!f->ends) continue;
        for (const auto& stream : kStreams) {
          for (std::size_t end = 1; end <= stream.size(); ++end) {
            const std::string_view start = std::string_view(stream).substr(0, end);
            const std::size_t n = f->ends(start, ctx);
            if (n == std::string_view::npos) continue;
            for (const auto& tail : kTails) {
              CAPTURE(f->name);
              CAPTURE(start);
              CAPTURE(tail);
              CHECK(std::string_view(start.substr(0, n)).starts_with(applied(*f, start, tail, ctx)));
            }
          }
        }
      }
    }
  }

  TEST_CASE("lines that no filter can remove are stable while the stream runs; a repeated tail never is") {
    auto p = pipeline_at({"\n}\n", ""});
    p.append("  a();\n  b();");
    CHECK(p.streamed().substr(0, p.stable_prefix()) == "  a();"); // "  b();" may still grow
    p.append("\n");
    p.append("}\n");
    CHECK(p.streamed().substr(0, p.stable_prefix()) == "  a();\n  b();");
    p.finish();
    CHECK(p.text() == "  a();\n  b();");
  }

  TEST_CASE("text after the cursor on its line: one line, shown only at the end") {
    auto p = pipeline_at({")\nnext", ")"});
    CHECK(p.append("a, b)\nc"));
    CHECK(p.stable_prefix() == 0);
    p.finish();
    CHECK(p.text() == "a, b");
  }

  TEST_CASE("the filters run in the documented order") {
    std::vector<std::string_view> names;
    for (const fim::Filter* f : fim::clean_up_filters())
      names.push_back(f->name);
    CHECK(names == std::vector<std::string_view>{"trailing_whitespace", "degenerate_loop", "block_end",
                                                 "suffix_lines_repeat", "suffix_overlap", "line_after_repeat",
                                                 "trailing_whitespace", "whitespace_only"});
  }

  TEST_CASE("a pipeline can move: its filters' context stays valid") {
    auto p = pipeline_at({"\n}\n", ""});
    SuggestionPipeline moved = std::move(p);
    moved.append("a();\n}");
    moved.finish();
    CHECK(moved.text() == "a();");
  }

} // TEST_SUITE

} // namespace fimlsp::test
