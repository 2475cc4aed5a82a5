#pragma once
// The real CompletionStream: the provider makes the request, fim/net sends it and streams the
// reply's bytes back, the provider's decoder turns them into text pieces.
#include "fimlsp/fim/completion_stream.hpp"
#include "fimlsp/fim/log.hpp"
#include "fimlsp/fim/net/http_client.hpp"
#include "fimlsp/fim/net/proxy.hpp"
#include <functional>
#include <set>
#include <string>

namespace fimlsp::fim {

class Provider;

// The most text a reply may stream: a backend that ignores max_tokens and never stops is cut here
// (a token is rarely over 16 bytes of text), and without max_tokens at 4096 tokens' worth.
inline constexpr std::size_t kReplyBytesPerToken = 16;
inline constexpr std::size_t kReplyMargin = 4096;
std::size_t reply_byte_limit(const RequestSettings& request);

class BackendStream final : public CompletionStream {
public:
  // `env` is where the proxy variables are read (default: the process environment).
  BackendStream(boost::asio::any_io_executor ex, Reporter reporter, EnvLookup env = {});

  boost::system::error_code configure(const Settings& settings, std::string& diagnostics) override;
  void prewarm() override;
  boost::asio::awaitable<StreamOutcome> stream(CompletionPlan plan, std::string api_key, OnText on_text,
                                               boost::asio::cancellation_slot cancel,
                                               Clock::time_point deadline) override;

  ClientStats stats() const { return client_.stats(); }

private:
  HttpClient client_;
  const Provider* provider_ = nullptr; // null until configured
  std::function<void(Severity, std::string_view)> log_;
  EnvLookup env_;
  std::set<std::string> told_unsent_; // "api key": a setting the shape cannot send, logged once
};

} // namespace fimlsp::fim
