// Every provider's reply decoder, streamed and not: any status, content type and body in any
// split decode to the same text and result as in one piece, and once on_text asks to stop it is
// never called again.
#include "fimlsp/fim/providers/registry.hpp"
#include "fuzz_input.hpp"

namespace {
namespace f = fimlsp::fim;

struct Decoded {
  std::string text;
  f::DecodedReply result;
};

Decoded decode(const f::Provider& provider, const f::ResponseHead& head, std::string_view body,
               fuzz::Input* splits) {
  Decoded out;
  auto decoder = provider.make_decoder();
  decoder->start(head);
  auto on_text = [&](std::string_view piece) {
    out.text.append(piece);
    return true;
  };
  bool reading = true;
  if (splits)
    fuzz::in_pieces(body, *splits,
                    [&](std::string_view piece) { reading = reading && decoder->feed(piece, on_text); });
  else
    reading = decoder->feed(body, on_text);
  if (reading) decoder->finish(on_text);
  out.result = decoder->result();
  return out;
}

bool same(const f::DecodedReply& a, const f::DecodedReply& b) {
  auto usage = [](const f::DecodedReply& r) {
    return r.usage ? std::pair{r.usage->prompt_tokens, r.usage->completion_tokens}
                   : std::pair<std::uint64_t, std::uint64_t>{};
  };
  return a.ec == b.ec && a.message == b.message && a.usage.has_value() == b.usage.has_value() &&
         usage(a) == usage(b) && a.finish_reason == b.finish_reason && a.retry_after == b.retry_after &&
         a.done == b.done;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  auto names = f::provider_names();
  const f::Provider* provider = f::find_provider(names[in.byte() % names.size()]);
  FUZZ_CHECK(provider);

  static constexpr int kStatuses[] = {200, 200, 200, 206, 400, 401, 403, 404, 429, 500, 503, 301, 302, 307};
  static constexpr const char* kTypes[] = {"text/event-stream",    "application/json",
                                           "application/x-ndjson", "",
                                           "text/plain",           "text/event-stream; charset=utf-8"};
  f::ResponseHead head;
  head.status = kStatuses[in.byte() % std::size(kStatuses)];
  if (const char* type = kTypes[in.byte() % std::size(kTypes)]; *type)
    head.fields.emplace_back("Content-Type", type);
  if (auto retry = in.text(40); !retry.empty()) head.fields.emplace_back("Retry-After", retry);
  if (auto location = in.text(48); !location.empty()) head.fields.emplace_back("Location", location);
  std::string splits = in.text(32);
  const std::size_t stop_after = in.byte();
  std::string_view body = in.rest();

  Decoded whole = decode(*provider, head, body, nullptr);
  fuzz::Input choices(reinterpret_cast<const std::uint8_t*>(splits.data()), splits.size());
  Decoded split = decode(*provider, head, body, &choices);
  FUZZ_CHECK(whole.text == split.text);
  FUZZ_CHECK(same(whole.result, split.result));

  // A consumer that stops after some pieces is never called again.
  auto decoder = provider->make_decoder();
  decoder->start(head);
  std::size_t calls = 0;
  bool stopped = false;
  auto on_text = [&](std::string_view) {
    FUZZ_CHECK(!stopped);
    stopped = ++calls > stop_after;
    return !stopped;
  };
  if (decoder->feed(body, on_text)) decoder->finish(on_text);
  return 0;
}
