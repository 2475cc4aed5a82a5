#include "fimlsp/fim/backend_stream.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/providers/request_body.hpp"

namespace fimlsp::fim {

BackendStream::BackendStream(boost::asio::any_io_executor ex, Reporter reporter)
    : client_(std::move(ex), [log = std::move(reporter.log)](std::string_view line) {
        if (log) log(Severity::Debug, line);
      }) {}

boost::system::error_code BackendStream::configure(const Settings& settings, std::string& diagnostics) {
  auto endpoint = parse_endpoint(settings.endpoint.baseUrl, diagnostics);
  if (!endpoint) return error::config;
  diagnostics = client_.configure(*endpoint, settings.endpoint.caFile);
  return diagnostics.empty() ? boost::system::error_code() : error::config;
}

void BackendStream::prewarm() {
  client_.prewarm();
}

boost::asio::awaitable<StreamOutcome> BackendStream::stream(CompletionPlan plan, std::string api_key,
                                                            OnText on_text,
                                                            boost::asio::cancellation_slot cancel,
                                                            Clock::time_point deadline) {
  HttpOutcome o = co_await client_.stream(build_request_body(plan.model, plan.request, plan.prompt),
                                          std::move(api_key), std::move(on_text), cancel, deadline);
  co_return StreamOutcome{.ec = o.ec,
                          .message = std::move(o.message),
                          .status = o.status,
                          .retry_after = o.retry_after,
                          .stopped_early = o.stopped_early,
                          .handshake_on_path = o.handshake_on_path};
}

} // namespace fimlsp::fim
