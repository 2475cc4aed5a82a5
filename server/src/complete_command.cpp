#include "fimlsp/server/complete_command.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/net/http_client.hpp"
#include "fimlsp/fim/suggest/postprocess.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/server/cursor_context.hpp"
#include "fimlsp/server/position_encoding.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace fimlsp::server {

namespace {

struct Target {
  std::string file;
  std::size_t line = 0, column = 0; // 1-based
};

// FILE:LINE:COL, split from the right so that FILE may hold ':'.
std::optional<Target> parse_target(const std::string& s) {
  auto number = [](std::string_view v, std::size_t& out) {
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && p == v.data() + v.size() && out >= 1;
  };
  const auto c2 = s.rfind(':');
  if (c2 == std::string::npos || c2 == 0) return std::nullopt;
  const auto c1 = s.rfind(':', c2 - 1);
  if (c1 == std::string::npos || c1 == 0) return std::nullopt;
  Target t{s.substr(0, c1)};
  if (!number(std::string_view(s).substr(c1 + 1, c2 - c1 - 1), t.line) ||
      !number(std::string_view(s).substr(c2 + 1), t.column))
    return std::nullopt;
  return t;
}

int exit_code_of(fim::Failure f) {
  switch (f) {
  case fim::Failure::None:
    return kCompleted;
  case fim::Failure::Http:
    return kHttpStatus;
  case fim::Failure::Tls:
    return kTls;
  case fim::Failure::Config:
    return kUsage;
  default:
    return kNetwork;
  }
}

} // namespace

int run_complete(const std::string& target_arg, const fim::Settings& settings) {
  auto fail = [](int code, const std::string& message) {
    std::cerr << "fim-lsp complete: " << message << "\n";
    return code;
  };
  auto target = parse_target(target_arg);
  if (!target) return fail(kUsage, "expected FILE:LINE:COL (1-based), got '" + target_arg + "'");
  std::ifstream in(target->file, std::ios::binary);
  if (!in) return fail(kUsage, "cannot read " + target->file);
  std::ostringstream contents;
  contents << in.rdbuf();
  const TextBuffer text(contents.str());
  if (target->line > text.line_count())
    return fail(kUsage, target->file + " has " + std::to_string(text.line_count()) + " lines, not " +
                            std::to_string(target->line));

  const std::size_t line = target->line - 1;
  const std::size_t cursor =
      text.line_start(line) +
      byte_offset_in_line(text.line_text(line), target->column - 1, PositionEncoding::Utf32);
  const fim::CompletionInput input = cut_at_cursor(text, cursor, settings.context, target->file);

  std::string error;
  const auto endpoint = fim::parse_endpoint(settings.endpoint.baseUrl, error);
  if (!endpoint) return fail(kUsage, error);
  const std::string key = fim::read_api_key(settings);
  if (key.empty() && !endpoint->loopback)
    return fail(kNoKey, "no API key: set it with `export " + settings.endpoint.apiKeyEnv + "=sk-...`");
  const fim::FimTemplate* tmpl = fim::find_template(settings.templateName);
  if (!tmpl) return fail(kUsage, "unknown template '" + settings.templateName + "'");

  boost::asio::io_context io(1);
  fim::CompletionClient client(io.get_executor());
  if (auto e = client.configure(*endpoint, settings.endpoint.caFile); !e.empty()) return fail(kUsage, e);

  fim::StopRules rules{!input.line_after.empty(), settings.maxLines,
                       std::vector<std::string>(tmpl->stops.begin(), tmpl->stops.end())};
  rules.stops.insert(rules.stops.end(), settings.request.stop.begin(), settings.request.stop.end());
  fim::SuggestionBuilder builder(rules);
  // Lines are printed as they complete; the last one waits for the final clean-up.
  std::size_t printed = 0;
  auto print_complete_lines = [&] {
    const std::string_view t = builder.text();
    const auto nl = t.rfind('\n');
    if (nl == std::string_view::npos || nl + 1 <= printed) return;
    std::cout << t.substr(printed, nl + 1 - printed) << std::flush;
    printed = nl + 1;
  };

  fim::HttpOutcome outcome;
  const auto body = fim::build_request_body(settings, fim::render_prompt(*tmpl, input.prefix, input.suffix));
  const auto deadline = fim::Clock::now() + std::chrono::milliseconds(settings.endpoint.timeoutMs);
  boost::asio::co_spawn(
      io,
      client.stream(
          body, key,
          [&](std::string_view piece) {
            const bool more = !builder.append(piece);
            print_complete_lines();
            return more;
          },
          {}, deadline),
      [&](std::exception_ptr e, fim::HttpOutcome o) {
        outcome = e ? fim::HttpOutcome{fim::Failure::Malformed, 0, "internal error"} : std::move(o);
      });
  io.run();

  if (outcome.failure != fim::Failure::None && outcome.failure != fim::Failure::Cancelled)
    return fail(exit_code_of(outcome.failure), outcome.message);
  builder.finish();
  const std::string suggestion = fim::clean_suggestion(builder.text(), input.line_after, input.suffix);
  if (suggestion.size() > printed && suggestion.compare(0, printed, builder.text().substr(0, printed)) == 0)
    std::cout << suggestion.substr(printed);
  if (printed == 0 && suggestion.empty()) return fail(kNoSuggestion, "the model had nothing to suggest here");
  if (::isatty(STDOUT_FILENO)) std::cout << "\n";
  std::cout.flush();
  return kCompleted;
}

} // namespace fimlsp::server
