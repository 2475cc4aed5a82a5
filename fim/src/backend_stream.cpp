#include "fimlsp/fim/backend_stream.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/providers/registry.hpp"
#include <algorithm>

namespace fimlsp::fim {

namespace {

// Never let the key reach a log line, even if a backend echoed it.
void redact(std::string& message, const std::string& key) {
  if (key.size() < 4) return;
  for (auto pos = message.find(key); pos != std::string::npos; pos = message.find(key, pos))
    message.replace(pos, key.size(), "[redacted]");
}

} // namespace

std::size_t reply_byte_limit(const RequestSettings& request) {
  const auto tokens = static_cast<std::size_t>(std::max(request.maxTokens.value_or(4096), 0));
  return tokens * kReplyBytesPerToken + kReplyMargin;
}

BackendStream::BackendStream(boost::asio::any_io_executor ex, Reporter reporter, EnvLookup env)
    : client_(std::move(ex),
              [log = reporter.log](std::string_view line) {
                if (log) log(Severity::Debug, line);
              }),
      log_(std::move(reporter.log)), env_(env ? std::move(env) : process_environment()) {}

boost::system::error_code BackendStream::configure(const Settings& settings, std::string& diagnostics) {
  provider_ = nullptr;
  auto endpoint = parse_endpoint(settings.endpoint.baseUrl, diagnostics);
  if (!endpoint) return error::config;
  ProxyChoice proxy = choose_proxy(*endpoint, settings.endpoint.proxy, env_);
  if (!proxy.error.empty()) {
    diagnostics = std::move(proxy.error);
    return error::config;
  }
  if (log_ && !proxy.reason.empty()) log_(Severity::Info, proxy.reason);
  diagnostics = client_.configure(*endpoint, settings.endpoint.caFile, std::move(proxy.proxy));
  if (!diagnostics.empty()) return error::config;
  provider_ = find_provider(settings.endpoint.api);
  if (!provider_) {
    diagnostics = "endpoint.api: unknown request shape \"" + settings.endpoint.api + "\"";
    return error::config;
  }
  for (const std::string& key : provider_->unsent(settings.request))
    if (told_unsent_.insert(settings.endpoint.api + " " + key).second && log_)
      log_(Severity::Warn,
           "endpoint.api \"" + settings.endpoint.api + "\" has no field for " + key + ": it is not sent");
  return {};
}

void BackendStream::prewarm() {
  client_.prewarm();
}

boost::asio::awaitable<StreamOutcome> BackendStream::stream(CompletionPlan plan, std::string api_key,
                                                            OnText on_text,
                                                            boost::asio::cancellation_slot cancel,
                                                            Clock::time_point deadline) {
  StreamOutcome out;
  const Endpoint* ep = client_.endpoint();
  if (!ep || !provider_) {
    out.ec = error::config;
    out.message = "no endpoint configured";
    co_return out;
  }
  if (!ep->tls && !ep->loopback && !api_key.empty()) {
    out.ec = error::config;
    out.message = "refusing to send the API key over plain HTTP to " + ep->host + ": use https://";
    co_return out;
  }

  const std::unique_ptr<ReplyDecoder> decoder = provider_->make_decoder();
  bool text_stopped = false, over_limit = false;
  const std::size_t limit = reply_byte_limit(plan.request);
  std::size_t streamed = 0;
  ReplyDecoder::OnText text = [&](std::string_view piece) {
    if (text_stopped) return false;
    streamed += piece.size();
    if (streamed > limit)
      over_limit = text_stopped = true;
    else if (!on_text(piece))
      text_stopped = true;
    return !text_stopped;
  };
  ResponseSink sink{.on_head =
                        [&](const ResponseHead& head) {
                          decoder->start(head);
                          return true;
                        },
                    .on_body = [&](std::string_view bytes) { return decoder->feed(bytes, text); }};
  HttpRequest request = provider_->make_request(plan, api_key);
  request.own_connection = plan.prefetch;
  HttpOutcome h = co_await client_.send(std::move(request), std::move(sink), cancel, deadline);
  if (!h.ec && !h.stopped) decoder->finish(text);
  const DecodedReply& r = decoder->result();

  out.status = h.status;
  out.handshake_on_path = h.handshake_on_path;
  // Cut at the limit: what came before is kept, as at a normal end, and said in the log.
  out.stopped_early = !h.ec && text_stopped && !over_limit;
  if (!h.ec && over_limit && log_)
    log_(Severity::Warn, "the reply streamed more than " + std::to_string(limit) +
                             " bytes of text (request.maxTokens " +
                             (plan.request.maxTokens ? std::to_string(*plan.request.maxTokens) : "unset") +
                             "): cut there and its connection closed");
  if (h.ec) { // the network's failure (cancelled, timeout, connect, tls, ...) comes first
    out.ec = h.ec;
    out.message = std::move(h.message);
  } else if (!text_stopped) {
    out.ec = r.ec;
    out.message = r.message;
  }
  out.retry_after = r.retry_after;
  out.usage = r.usage;
  redact(out.message, api_key);
  co_return out;
}

} // namespace fimlsp::fim
