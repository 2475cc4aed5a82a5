#include "fimlsp/server/complete_command.hpp"
#include "fimlsp/fim/backend_stream.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/fim/suggest/postprocess.hpp"
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

int exit_code_of(const boost::system::error_code& ec) {
  if (!ec) return kCompleted;
  if (ec == fim::error::http_status) return kHttpStatus;
  if (ec == fim::error::tls) return kTls;
  if (ec == fim::error::config) return kUsage;
  return kNetwork;
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
  if (!fim::find_template(settings.templateName))
    return fail(kUsage, "unknown template '" + settings.templateName + "'");

  boost::asio::io_context io(1);
  fim::BackendStream backend(io.get_executor(), {});
  if (backend.configure(settings, error)) return fail(kUsage, error);

  fim::CompletionPlan plan = fim::make_plan(settings, input);
  fim::SuggestionBuilder builder(plan.rules);
  // Lines are printed as they complete; the last one waits for the final clean-up.
  std::size_t printed = 0;
  auto print_complete_lines = [&] {
    const std::string_view t = builder.text();
    const auto nl = t.rfind('\n');
    if (nl == std::string_view::npos || nl + 1 <= printed) return;
    std::cout << t.substr(printed, nl + 1 - printed) << std::flush;
    printed = nl + 1;
  };

  fim::StreamOutcome outcome;
  const auto deadline = fim::Clock::now() + std::chrono::milliseconds(settings.endpoint.timeoutMs);
  boost::asio::co_spawn(io,
                        backend.stream(
                            plan, key,
                            [&](std::string_view piece) {
                              const bool more = !builder.append(piece);
                              print_complete_lines();
                              return more;
                            },
                            {}, deadline),
                        [&](std::exception_ptr e, fim::StreamOutcome o) {
                          outcome =
                              e ? fim::StreamOutcome{.ec = fim::error::malformed, .message = "internal error"}
                                : std::move(o);
                        });
  io.run();

  if (outcome.ec && outcome.ec != fim::error::cancelled)
    return fail(exit_code_of(outcome.ec), outcome.message);
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
