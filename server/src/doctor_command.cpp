#include "fimlsp/server/doctor_command.hpp"
#include "fimlsp/fim/backend_stream.hpp"
#include "fimlsp/fim/net/connector.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/net/tls_context.hpp"
#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/fim/providers/registry.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <cstdio>

namespace fimlsp::server {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// One line per step: a mark, the step's name, what was found; on failure the fix below it.
class Report {
public:
  explicit Report(std::ostream& out) : out_(out) {}
  void pass(std::string_view step, const std::string& found) { line("\u2713", step, found); }
  void note(const std::string& text) { out_ << "              " << text << "\n"; }
  int fail(std::string_view step, int code, const std::string& found, const std::string& fix) {
    line("\u2717", step, found);
    if (!fix.empty()) note("fix: " + fix);
    failed_ = step;
    return code;
  }
  // The last line: which step failed, or that all passed.
  void summary(int code) {
    if (code == kDoctorOk)
      out_ << "doctor: all checks passed\n";
    else
      out_ << "doctor: failed at " << failed_ << " (exit code " << code << ")\n";
  }

private:
  void line(std::string_view mark, std::string_view step, const std::string& found) {
    std::string name(step);
    name.resize(std::max<std::size_t>(name.size(), 11), ' ');
    out_ << mark << " " << name << " " << found << "\n";
  }
  std::ostream& out_;
  std::string failed_ = "an internal error";
};

std::string ms_since(fim::Clock::time_point start, fim::Clock::time_point end = fim::Clock::now()) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f ms", std::chrono::duration<double, std::milli>(end - start).count());
  return buf;
}

// The name `connect` will resolve: the proxy's when connections go through one.
asio::awaitable<int> check_resolve(Report& report, const fim::Target& target, int timeout_ms) {
  const auto ex = co_await asio::this_coro::executor;
  const std::string host = target.proxy ? target.proxy->host : target.endpoint.host;
  const std::string port = target.proxy ? target.proxy->port : target.endpoint.port;
  tcp::resolver resolver(ex);
  asio::steady_timer timer(ex, std::chrono::milliseconds(timeout_ms));
  timer.async_wait([&resolver](boost::system::error_code ec) {
    if (!ec) resolver.cancel();
  });
  const auto start = fim::Clock::now();
  auto [ec, results] = co_await resolver.async_resolve(host, port, asio::as_tuple(asio::use_awaitable));
  timer.cancel();
  const std::string whose = target.proxy ? "the proxy's host " + host : host;
  if (ec)
    co_return report.fail("resolve", kDoctorResolve, "cannot resolve " + whose + ": " + ec.message(),
                          target.proxy ? "check the proxy's address in " + target.proxy->source
                                       : "check endpoint.baseUrl's host name and this machine's DNS");
  std::string found = whose + " \u2192 " + results.begin()->endpoint().address().to_string();
  if (results.size() > 1) found += " (+" + std::to_string(results.size() - 1) + " more)";
  report.pass("resolve", found + " in " + ms_since(start));
  co_return kDoctorOk;
}

// TCP, the proxy's tunnel and TLS, as every request's connection is made.
asio::awaitable<int> check_connection(Report& report, std::shared_ptr<const fim::Target> target,
                                      int timeout_ms, const std::optional<std::string>& ca_file) {
  const auto ex = co_await asio::this_coro::executor;
  auto abort = std::make_shared<fim::Abort>();
  asio::steady_timer timer(ex, std::chrono::milliseconds(timeout_ms));
  timer.async_wait([abort](boost::system::error_code ec) {
    if (!ec) abort->fire(fim::error::timeout);
  });
  const auto start = fim::Clock::now();
  fim::Connected c = co_await fim::connect(ex, target, abort);
  timer.cancel();
  const fim::Endpoint& ep = target->endpoint;
  const std::string to = target->proxy ? "the proxy " + target->proxy->shown : ep.host + ":" + ep.port;
  const std::string message = c.ec == fim::error::timeout ? "no answer within endpoint.timeoutMs" : c.message;
  using Stage = fim::ConnectStage;
  if (c.stage == Stage::resolve)
    co_return report.fail("resolve", kDoctorResolve, message, "check the host name and this machine's DNS");
  if (c.stage == Stage::connect)
    co_return report.fail("connect", kDoctorConnect, message,
                          target->proxy
                              ? "check that the proxy runs and its address in " + target->proxy->source
                              : "check endpoint.baseUrl's port, that the server runs, and firewalls");
  report.pass("connect", (c.conn ? c.conn->peer_address() : to) + (c.conn ? " in " + ms_since(start) : ""));
  if (target->proxy && ep.tls) {
    if (c.stage == Stage::proxy) co_return report.fail("proxy", kDoctorProxy, message, "");
    report.pass("proxy", "tunnel to " + ep.host + ":" + ep.port + " through " + target->proxy->shown +
                             " (from " + target->proxy->source + ")");
  }
  if (!ep.tls) {
    report.pass("tls", "none: plain HTTP" + std::string(ep.loopback ? " to loopback" : ""));
    co_return kDoctorOk;
  }
  const std::string trust = "trust: " + fim::describe_trust(ca_file);
  if (c.ec) {
    const int code = report.fail("tls", kDoctorTls, message,
                                 "if the endpoint's certificate comes from a private CA, set endpoint.caFile "
                                 "(--ca-file) to that CA's PEM");
    report.note(trust);
    co_return code;
  }
  const auto cert = fim::peer_certificate(*c.conn);
  std::string found = cert ? cert->protocol + ", " + cert->subject + ", issued by " + cert->issuer +
                                 ", valid until " + cert->not_after + " (" + std::to_string(cert->days_left) +
                                 " days), host name " + ep.host + " matches"
                           : "handshake done";
  report.pass("tls", found);
  report.note(trust);
  c.conn->close();
  co_return kDoctorOk;
}

// One small request, as the editor's would be made: the model, the shape, the decoder.
asio::awaitable<int> check_completion(Report& report, const fim::Settings& settings, const std::string& key) {
  const auto ex = co_await asio::this_coro::executor;
  std::vector<std::string> notes;
  fim::BackendStream backend(ex, fim::Reporter{[&notes](fim::Severity s, std::string_view line) {
                               if (s == fim::Severity::Warn) notes.emplace_back(line);
                             }});
  std::string diagnostics;
  if (backend.configure(settings, diagnostics))
    co_return report.fail("completion", kDoctorSettings, diagnostics, "");
  fim::Settings small = settings;
  small.request.maxTokens = std::min(settings.request.maxTokens.value_or(16), 16);
  fim::CompletionInput input;
  input.document = "doctor";
  input.prefix = "def add(a, b):\n    return ";
  input.suffix = "\n\n\nprint(add(2, 3))\n";
  input.language_id = "python";
  const fim::CompletionPlan plan = fim::make_plan(small, input);
  std::string text;
  std::optional<fim::Clock::time_point> first;
  const auto start = fim::Clock::now();
  fim::StreamOutcome o = co_await backend.stream(
      plan, key,
      [&](std::string_view piece) {
        if (!first) first = fim::Clock::now();
        text += piece;
        return true;
      },
      {}, start + std::chrono::milliseconds(settings.endpoint.timeoutMs));
  const auto end = fim::Clock::now();
  for (const auto& n : notes)
    report.note("note: " + n);
  if (o.ec == fim::error::http_status && (o.status == 401 || o.status == 403))
    co_return report.fail("completion", kDoctorKeyRefused, o.message,
                          "the endpoint refused the key in " + settings.endpoint.apiKeyEnv +
                              ": check it, and that it belongs to this endpoint (region, provider)");
  if (o.ec) {
    std::string fix = "check model and endpoint.api for this endpoint";
    if (o.status == 429) fix = "rate-limited or out of quota: wait, or check the account's plan";
    if (o.ec == fim::error::timeout)
      fix = "the endpoint is slow or stalled: raise endpoint.timeoutMs or retry";
    co_return report.fail("completion", kDoctorCompletion, o.message, fix);
  }
  std::string shown = text.size() > 60 ? text.substr(0, 60) + "..." : text;
  std::string found = settings.model + " answered " +
                      boost::json::serialize(boost::json::string_view(shown)) + ": first text " +
                      (first ? ms_since(start, *first) : std::string("none")) + ", end " +
                      ms_since(start, end);
  found += o.usage ? ", usage " + std::to_string(o.usage->prompt_tokens) + " prompt + " +
                         std::to_string(o.usage->completion_tokens) + " completion tokens"
                   : ", no usage reported";
  report.pass("completion", found);
  co_return kDoctorOk;
}

asio::awaitable<int> run_steps(Report& report, const fim::SettingsResult& result) {
  // Settings: refused keys, unknown keys, and what the request is made of.
  if (!result.settings) co_return report.fail("settings", kDoctorSettings, result.error, "");
  const fim::Settings& s = *result.settings;
  std::string error;
  const auto endpoint = fim::parse_endpoint(s.endpoint.baseUrl, error);
  if (!endpoint) co_return report.fail("settings", kDoctorSettings, error, "");
  if (!fim::find_template(s.templateName))
    co_return report.fail("settings", kDoctorSettings, "unknown template \"" + s.templateName + "\"", "");
  if (!fim::find_provider(s.endpoint.api))
    co_return report.fail("settings", kDoctorSettings,
                          "endpoint.api: unknown request shape \"" + s.endpoint.api + "\"", "");
  if (!result.warnings.empty()) {
    const int code = report.fail("settings", kDoctorSettings, result.warnings.front(),
                                 "remove or correct it: the README's Settings lists every key");
    for (std::size_t i = 1; i < result.warnings.size(); ++i)
      report.note(result.warnings[i]);
    co_return code;
  }
  report.pass("settings", "provider " + s.provider + ", endpoint.api " + s.endpoint.api + ", " +
                              s.endpoint.baseUrl + ", model " + s.model + ", template " + s.templateName);

  // The key: set (never shown), and never sent in the clear to another machine.
  const std::string key = fim::read_api_key(s);
  const std::string& var = s.endpoint.apiKeyEnv;
  if (key.empty() && !endpoint->loopback)
    co_return report.fail("api key", kDoctorKey, var + " is not set",
                          "export " + var +
                              "=sk-... (or set endpoint.apiKeyEnv to the variable that holds it)");
  if (!key.empty() && !endpoint->tls && !endpoint->loopback)
    co_return report.fail("api key", kDoctorKey, "the key would go over plain HTTP to " + endpoint->host,
                          "use https:// in endpoint.baseUrl");
  report.pass("api key", key.empty() ? var + " is not set; a loopback endpoint needs none"
                                     : var + " is set (" + std::to_string(key.size()) + " characters)");

  // The way there: proxy, name, TCP, TLS.
  auto target = std::make_shared<fim::Target>();
  target->endpoint = *endpoint;
  fim::ProxyChoice proxy = fim::choose_proxy(*endpoint, s.endpoint.proxy, fim::process_environment());
  if (!proxy.error.empty()) co_return report.fail("proxy", kDoctorProxy, proxy.error, "");
  target->proxy = std::move(proxy.proxy);
  if (endpoint->tls) {
    target->ctx = fim::make_tls_context(s.endpoint.caFile, error, {});
    if (!target->ctx)
      co_return report.fail("tls", kDoctorTls, error,
                            "point endpoint.caFile (--ca-file) at a readable PEM file");
  }
  if (int code = co_await check_resolve(report, *target, s.endpoint.timeoutMs)) co_return code;
  if (int code = co_await check_connection(report, target, s.endpoint.timeoutMs, s.endpoint.caFile))
    co_return code;
  co_return co_await check_completion(report, s, key);
}

} // namespace

int run_doctor(const fim::SettingsResult& settings, std::ostream& out) {
  Report report(out);
  asio::io_context io(1);
  int code = kDoctorCompletion;
  asio::co_spawn(io, run_steps(report, settings),
                 [&](std::exception_ptr e, int c) { code = e ? kDoctorCompletion : c; });
  io.run();
  report.summary(code);
  out.flush();
  return code;
}

} // namespace fimlsp::server
