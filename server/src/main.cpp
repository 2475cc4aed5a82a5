// fim-lsp: the language server on stdin/stdout, or `fim-lsp complete FILE:LINE:COL`.
#include "fimlsp/server/cli.hpp"
#include "fimlsp/server/complete_command.hpp"
#include "fimlsp/server/doctor_command.hpp"
#include "fimlsp/server/language_server.hpp"
#include "fimlsp/server/logging.hpp"
#include "fimlsp/server/stdio_transport.hpp"
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

using namespace fimlsp::server;

namespace {

int run_server(const CliOptions& options, fimlsp::fim::Settings settings) {
  boost::asio::io_context io(1);
  std::unique_ptr<StdioTransport> transport;
  LanguageServer* running = nullptr;
  bool output_gone = false;
  // A client that closed stdout, or read nothing for kOutputStall, is gone: end as `exit` does
  // (posted, so that the server is not re-entered from inside its own send).
  auto send = [&](std::string body) {
    if (output_gone) return;
    const auto written = transport->write(body);
    if (written == StdioTransport::Written::Ok) return;
    output_gone = true;
    const std::string why =
        written == StdioTransport::Written::Closed
            ? "stdout closed"
            : "the client read nothing from stdout for " + std::to_string(kOutputStall.count()) + " s";
    boost::asio::post(io, [&running, why] { running->output_gone(why); });
  };
  // Exit at once: the reader thread may be blocked in read(), and pending HTTP streams end with us.
  auto exit = [](int code) {
    std::cout.flush();
#if defined(__SANITIZE_ADDRESS__)
    __lsan_do_leak_check(); // _exit() skips LeakSanitizer's check at exit: run it here, every thread alive
#endif
    ::_exit(code);
  };
  LanguageServer server(io.get_executor(), send, exit, std::move(settings));
  running = &server;
  transport = std::make_unique<StdioTransport>(
      io.get_executor(),
      [&server](std::vector<std::string> bodies) {
        for (auto& body : bodies)
          server.handle(body);
      },
      [&server] { server.input_closed(); });
  if (options.client_pid) server.watch_process(*options.client_pid);
  // SIGTERM and SIGINT end the server as `exit` does, on the io thread.
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&server](boost::system::error_code ec, int signal) {
    if (!ec) server.signalled(signal);
  });
  // The reader thread posts from outside: keep run() going until exit.
  auto work = boost::asio::make_work_guard(io);
  io.run();
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN); // a closed stdout or socket is an error return, not a crash
  CliOptions options = parse_cli(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.error.empty()) {
    std::cerr << "fim-lsp: " << options.error << "\n";
    return 2;
  }
  switch (options.mode) {
  case CliOptions::Mode::Version:
    std::cout << "fim-lsp " << FIM_LSP_VERSION << "\n";
    return 0;
  case CliOptions::Mode::Help:
    std::cout << usage();
    return 0;
  case CliOptions::Mode::CompleteHelp:
    std::cout << complete_usage();
    return 0;
  case CliOptions::Mode::DoctorHelp:
    std::cout << doctor_usage();
    return 0;
  default:
    break;
  }
  if (options.log_level) set_log_level(*options.log_level);
  if (options.log_file && !set_log_file(*options.log_file)) {
    std::cerr << "fim-lsp: cannot open the log file " << *options.log_file << "\n";
    return 2;
  }
  auto settings = settings_from_cli(options);
  if (options.mode == CliOptions::Mode::Doctor) return run_doctor(settings, std::cout); // says what is wrong
  for (auto& w : settings.warnings)
    log_line(LogLevel::Warn, w);
  if (!settings.settings) {
    std::cerr << "fim-lsp: " << settings.error << "\n";
    return 2;
  }
  if (options.mode == CliOptions::Mode::Complete) return run_complete(options.complete, *settings.settings);
  return run_server(options, *settings.settings);
}
