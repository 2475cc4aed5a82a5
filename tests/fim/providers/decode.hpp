#pragma once
// Feeds a reply to a provider's decoder in pieces, as the HTTP layer would.
#include "fimlsp/fim/providers/provider.hpp"
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fimlsp::test {

inline fim::ResponseHead head(int status, std::string content_type,
                              std::vector<std::pair<std::string, std::string>> more = {}) {
  fim::ResponseHead h{.status = status, .reason = status == 200 ? "OK" : "Too Many Requests"};
  h.fields.emplace_back("Content-Type", std::move(content_type));
  for (auto& f : more)
    h.fields.push_back(std::move(f));
  return h;
}

// The text pieces joined, and the result.
struct Decoded {
  std::string text;
  std::size_t pieces = 0;
  bool stopped = false; // feed returned false
  fim::DecodedReply reply;
};

// Decodes `body` fed `step` bytes at a time.
inline Decoded decode(const fim::Provider& provider, const fim::ResponseHead& h, std::string_view body,
                      std::size_t step = 1, std::function<bool(std::string_view)> on_text = {}) {
  Decoded d;
  auto decoder = provider.make_decoder();
  fim::ReplyDecoder::OnText sink = [&](std::string_view t) {
    d.text += t;
    ++d.pieces;
    return on_text ? on_text(t) : true;
  };
  decoder->start(h);
  for (std::size_t i = 0; i < body.size() && !d.stopped; i += step)
    d.stopped = !decoder->feed(body.substr(i, step), sink);
  if (!d.stopped) decoder->finish(sink);
  d.reply = decoder->result();
  return d;
}

} // namespace fimlsp::test
