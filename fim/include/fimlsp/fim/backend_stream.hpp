#pragma once
// The real CompletionStream: the HTTP client, with today's one request shape (POST
// {baseUrl}/completions, the rendered prompt in "prompt").
#include "fimlsp/fim/completion_stream.hpp"
#include "fimlsp/fim/log.hpp"
#include "fimlsp/fim/net/http_client.hpp"

namespace fimlsp::fim {

class BackendStream final : public CompletionStream {
public:
  BackendStream(boost::asio::any_io_executor ex, Reporter reporter);

  boost::system::error_code configure(const Settings& settings, std::string& diagnostics) override;
  void prewarm() override;
  boost::asio::awaitable<StreamOutcome> stream(CompletionPlan plan, std::string api_key, OnText on_text,
                                               boost::asio::cancellation_slot cancel,
                                               Clock::time_point deadline) override;

  const ClientStats& stats() const { return client_.stats(); }

private:
  CompletionClient client_;
};

} // namespace fimlsp::fim
