// The suggestion pipeline (head filters, stop rules, clean-up) on any stream: no crash; the text
// shown is a piece of what streamed; what was called stable while streaming is where the final
// text starts; and a valid UTF-8 stream is never cut inside a code point.
#include "fimlsp/fim/suggest/pipeline.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace f = fimlsp::fim;
  static constexpr const char* kLanguages[] = {"python", "cpp", "javascript", "go",
                                               "rust",   "",    "ruby",       "lua"};
  fuzz::Input in(data, size);
  f::StopRules rules;
  rules.single_line = in.byte() & 1;
  rules.max_lines = 1 + in.number(12);
  for (std::uint32_t n = in.number(2); n-- > 0;)
    if (auto stop = in.text(16); !stop.empty()) rules.stops.push_back(stop);
  const char* language = kLanguages[in.byte() % std::size(kLanguages)];
  std::string prefix = in.text(200), suffix = in.text(200);
  std::string line_after = suffix.substr(0, suffix.find('\n'));
  if (line_after.ends_with('\r')) line_after.pop_back();
  std::string splits = in.text(32);
  const std::string_view stream = in.rest();
  const bool valid = fuzz::valid_utf8(stream) && fuzz::valid_utf8(prefix) && fuzz::valid_utf8(suffix);
  for (const auto& stop : rules.stops)
    if (!fuzz::valid_utf8(stop)) return 0; // a stop string is what a user writes: text

  f::SuggestionPipeline pipeline(rules, prefix, suffix, line_after, language);
  fuzz::Input choices(reinterpret_cast<const std::uint8_t*>(splits.data()), splits.size());
  std::string stable; // the longest start that was called stable while streaming
  bool complete = false;
  fuzz::in_pieces(stream, choices, [&](std::string_view piece) {
    if (complete) return;
    complete = pipeline.append(piece);
    const std::size_t n = pipeline.stable_prefix();
    FUZZ_CHECK(n <= pipeline.streamed().size());
    std::string now(pipeline.streamed().substr(0, n));
    FUZZ_CHECK(now.starts_with(stable) || stable.starts_with(now));
    if (now.size() > stable.size()) stable = now;
  });
  pipeline.finish();
  const std::string& text = pipeline.text();
  FUZZ_CHECK(text.size() <= stream.size());
  FUZZ_CHECK(stream.find(text) != std::string_view::npos);
  FUZZ_CHECK(text.starts_with(stable));
  if (valid) FUZZ_CHECK(fuzz::valid_utf8(text));
  return 0;
}
