// Every LSP type conversion: any JSON value is read as each params type without throwing; a
// refusal names the field, and what is read back as a Position or Range survives a round trip.
#include "fimlsp/protocol/lsp_types.hpp"
#include "fuzz_input.hpp"
#include <boost/json/parse.hpp>

namespace {
namespace p = fimlsp::protocol;

template <class T> std::optional<T> read(const boost::json::value& v) {
  std::string error;
  auto out = p::parse_params<T>(v, error);
  FUZZ_CHECK(out.has_value() == error.empty());
  return out;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  auto v = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  if (auto pos = read<p::Position>(v)) {
    auto back = read<p::Position>(p::to_json(*pos));
    FUZZ_CHECK(back && back->line == pos->line && back->character == pos->character);
  }
  if (auto range = read<p::Range>(v)) {
    auto back = read<p::Range>(p::to_json(*range));
    FUZZ_CHECK(back && back->start.line == range->start.line && back->end.character == range->end.character);
  }
  read<p::TextDocumentItem>(v);
  read<p::TextDocumentContentChangeEvent>(v);
  read<p::InitializeParams>(v);
  read<p::DidOpenTextDocumentParams>(v);
  read<p::DidChangeTextDocumentParams>(v);
  read<p::DidCloseTextDocumentParams>(v);
  read<p::SelectedCompletionInfo>(v);
  read<p::InlineCompletionParams>(v);
  read<p::CompletionParams>(v);
  read<p::CancelParams>(v);
  read<p::DidChangeConfigurationParams>(v);
  return 0;
}
