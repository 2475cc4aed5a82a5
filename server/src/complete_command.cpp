#include "fimlsp/server/complete_command.hpp"
#include "fimlsp/fim/backend_stream.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/fim/suggest/language_facts.hpp"
#include "fimlsp/server/cursor_context.hpp"
#include "fimlsp/server/file_uri.hpp"
#include "fimlsp/server/logging.hpp"
#include "fimlsp/server/other_files_context.hpp"
#include "fimlsp/server/position_encoding.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
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

// {"text", "usage": {"promptTokens", "completionTokens"} or null, "timing": {"firstTextMs",
// "totalMs"}}: milliseconds from the request's start; firstTextMs null when no text came.
std::string json_result(const std::string& text, const std::optional<fim::Usage>& usage,
                        fim::Clock::time_point start, std::optional<fim::Clock::time_point> first_text,
                        fim::Clock::time_point end) {
  auto ms = [&](fim::Clock::time_point t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", std::chrono::duration<double, std::milli>(t - start).count());
    return std::string(buf);
  };
  std::string out = "{\"text\":" + boost::json::serialize(boost::json::string_view(text)) + ",\"usage\":";
  out += usage ? "{\"promptTokens\":" + std::to_string(usage->prompt_tokens) +
                     ",\"completionTokens\":" + std::to_string(usage->completion_tokens) + "}"
               : "null";
  out += ",\"timing\":{\"firstTextMs\":" + (first_text ? ms(*first_text) : "null") +
         ",\"totalMs\":" + ms(end) + "}}";
  return out;
}

int exit_code_of(const boost::system::error_code& ec) {
  if (!ec) return kCompleted;
  if (ec == fim::error::http_status) return kHttpStatus;
  if (ec == fim::error::tls) return kTls;
  if (ec == fim::error::config) return kUsage;
  return kNetwork;
}

} // namespace

int run_complete(const CompleteRequest& request, const fim::Settings& settings) {
  const std::string& target_arg = request.target;
  auto fail = [](int code, const std::string& message) {
    std::cerr << "fim-lsp complete: " << message << "\n";
    return code;
  };
  auto target = parse_target(target_arg);
  if (!target) return fail(kUsage, "expected FILE:LINE:COL (1-based), got '" + target_arg + "'");
  const bool from_stdin = target->file == "-";
  if (!from_stdin && !request.path.empty())
    return fail(kUsage, "--path names the text read from stdin (FILE -)");
  std::ostringstream contents;
  if (from_stdin) {
    contents << std::cin.rdbuf();
  } else {
    std::ifstream in(target->file, std::ios::binary);
    if (!in) return fail(kUsage, "cannot read " + target->file);
    contents << in.rdbuf();
  }
  // The name the text goes by: its extension gives the language, its place the imports.
  const std::string file = from_stdin ? request.path : target->file;
  const TextBuffer text(contents.str());
  if (target->line > text.line_count())
    return fail(kUsage, (from_stdin ? std::string("stdin") : target->file) + " has " +
                            std::to_string(text.line_count()) + " lines, not " +
                            std::to_string(target->line));

  const std::size_t line = target->line - 1;
  const std::size_t cursor =
      text.line_start(line) +
      byte_offset_in_line(text.line_text(line), target->column - 1, PositionEncoding::Utf32);
  fim::CompletionInput input = cut_at_cursor(text, cursor, settings.context, file);
  input.language_id = request.language.empty() ? std::string(fim::language_for_path(file)) : request.language;

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
  if (!file.empty()) {
    std::error_code ec;
    const std::string path = std::filesystem::absolute(file, ec).lexically_normal().string();
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
    if (request.json) return; // one JSON object at the end
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
  const auto started = fim::Clock::now();
  std::optional<fim::Clock::time_point> first_text;
  const auto deadline = started + std::chrono::milliseconds(settings.endpoint.timeoutMs);
  boost::asio::co_spawn(io,
                        backend.stream(
                            plan, key,
                            [&](std::string_view piece) {
                              if (!first_text) first_text = fim::Clock::now();
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
  if (request.json) {
    std::cout << json_result(suggestion, outcome.usage, started, first_text, fim::Clock::now()) << "\n";
    std::cout.flush();
    return suggestion.empty() ? kNoSuggestion : kCompleted;
  }
  if (suggestion.empty()) return fail(kNoSuggestion, "the model had nothing to suggest here");
  std::cout << std::string_view(suggestion).substr(printed);
  if (::isatty(STDOUT_FILENO)) std::cout << "\n";
  std::cout.flush();
  return kCompleted;
}

} // namespace fimlsp::server
