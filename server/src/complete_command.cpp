#include "fimlsp/server/complete_command.hpp"
#include "fimlsp/fim/backend_stream.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/fim/suggest/language_facts.hpp"
#include "fimlsp/server/cursor_context.hpp"
#include "fimlsp/server/logging.hpp"
#include "fimlsp/server/file_uri.hpp"
#include "fimlsp/server/other_files_context.hpp"
#include "fimlsp/server/position_encoding.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <charconv>
#include <filesystem>
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

int run_complete(const std::string& target_arg, const std::string& language, const fim::Settings& settings) {
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
  fim::CompletionInput input = cut_at_cursor(text, cursor, settings.context, target->file);
  input.language_id = language.empty() ? std::string(fim::language_for_path(target->file)) : language;

  std::string error;
  const auto endpoint = fim::parse_endpoint(settings.endpoint.baseUrl, error);
  if (!endpoint) return fail(kUsage, error);
  const std::string key = fim::read_api_key(settings);
  if (key.empty() && !endpoint->loopback)
    return fail(kNoKey, "no API key: set it with `export " + settings.endpoint.apiKeyEnv + "=sk-...`");
  if (!fim::find_template(settings.templateName))
    return fail(kUsage, "unknown template '" + settings.templateName + "'");

  boost::asio::io_context io(1);
  // Warnings (a setting the request shape cannot send) on stderr, as the server logs them.
  fim::BackendStream backend(
      io.get_executor(), fim::Reporter{[](fim::Severity severity, std::string_view line) {
        if (severity == fim::Severity::Warn || severity == fim::Severity::Error)
          log_line(severity == fim::Severity::Warn ? LogLevel::Warn : LogLevel::Error, line);
      }});
  if (backend.configure(settings, error)) return fail(kUsage, error);

  // The files it imports, as the server would send them (there are no other open documents).
  // The root is the working directory when the file is under it, else the file's directory.
  OtherFilesContext other_files(io.get_executor());
  {
    std::error_code ec;
    const std::string path = std::filesystem::absolute(target->file, ec).lexically_normal().string();
    const std::string cwd = std::filesystem::current_path(ec).string();
    const std::string uri = uri_of_path(path);
    if (!ec && path.starts_with(cwd + "/")) other_files.set_roots({cwd});
    other_files.configure(settings.context, settings.templateName);
    DocumentStore docs;
    docs.open({uri, "", 1, contents.str()});
    other_files.touched(uri, true);
    bool ready = false;
    other_files.prepare(docs, uri, [&] { ready = true; });
    while (!ready && io.run_one() > 0) { // the index keeps io running while it reads
    }
    io.restart();
    input.other_files =
        other_files.build(docs, uri, line, OtherFilesContext::around_cursor(input.prefix, input.suffix));
  }

  fim::CompletionPlan plan = fim::make_plan(settings, input);
  // The engine's own pipeline: what is printed is what the editor would show.
  fim::SuggestionPipeline pipeline = fim::make_pipeline(plan);
  // Whole lines are printed as they stream once no filter can change them; the rest waits for
  // the end of the stream and the clean-up.
  std::size_t printed = 0, scanned = 0;
  auto print_stable_lines = [&] {
    const std::string_view sure = pipeline.streamed().substr(0, pipeline.stable_prefix());
    const std::size_t from = scanned; // the newlines before it were looked at already
    scanned = sure.size();
    const auto nl = sure.substr(from).rfind('\n');
    if (nl == std::string_view::npos) return;
    const std::size_t end = from + nl + 1;
    std::cout << sure.substr(printed, end - printed) << std::flush;
    printed = end;
  };

  fim::StreamOutcome outcome;
  const auto deadline = fim::Clock::now() + std::chrono::milliseconds(settings.endpoint.timeoutMs);
  boost::asio::co_spawn(io,
                        backend.stream(
                            plan, key,
                            [&](std::string_view piece) {
                              const bool more = !pipeline.append(piece);
                              print_stable_lines();
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
  pipeline.finish();
  // The final text starts with what was printed (stable_prefix() promised it).
  const std::string& suggestion = pipeline.text();
  if (suggestion.empty()) return fail(kNoSuggestion, "the model had nothing to suggest here");
  std::cout << std::string_view(suggestion).substr(printed);
  if (::isatty(STDOUT_FILENO)) std::cout << "\n";
  std::cout.flush();
  return kCompleted;
}

} // namespace fimlsp::server
