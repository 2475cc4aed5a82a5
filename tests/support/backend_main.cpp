// fim-test-backend: the loopback test backend as a program, for demos, editor tests and by hand.
#include "support/test_backend.hpp"
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>

using namespace fimlsp::test;

namespace {

int usage(const std::string& problem) {
  std::cerr
      << "fim-test-backend: " << problem << "\n"
      << "usage: fim-test-backend [--http] [--completion TEXT] [--first-delay-ms N] [--chunk-delay-ms N]\n"
         "         [--fault "
         "none|401|401-echo-key|429|500|503|drop|drop-mid-stream|stall-headers|stall-mid-stream|\n"
         "                  malformed-sse|error-chunk|redirect|endless] [--wrong-host] [--dir DIR] "
         "[--ready-file "
         "PATH]\n"
         "         [--exit-on-stdin-eof]\n"
         "Routes under any base path: .../completions, .../fim/completions, .../infill and\n"
         ".../api/generate, each answered in its request shape's format.\n";
  return 2;
}

std::vector<std::string> split_chunks(const std::string& text, std::size_t size = 4) {
  std::vector<std::string> chunks;
  for (std::size_t i = 0; i < text.size(); i += size)
    chunks.push_back(text.substr(i, size));
  return chunks;
}

std::string one_line(std::string s, std::size_t max = 160) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s.size() > max ? s.substr(0, max) + "..." : s;
}

} // namespace

int main(int argc, char** argv) {
  std::map<std::string, Fault> faults{{"none", Fault::None}};
  for (const auto& f : kFaults)
    faults.emplace(f.name, f.fault);
  BackendOptions options;
  Reply reply;
  std::string ready_file;
  bool exit_on_eof = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--http")
        options.tls = false;
      else if (arg == "--wrong-host")
        options.wrong_host_certificate = true;
      else if (arg == "--exit-on-stdin-eof")
        exit_on_eof = true;
      else if (arg == "--completion")
        reply.chunks = split_chunks(value());
      else if (arg == "--first-delay-ms")
        reply.first_delay = std::chrono::milliseconds(std::stoi(value()));
      else if (arg == "--chunk-delay-ms")
        reply.chunk_delay = std::chrono::milliseconds(std::stoi(value()));
      else if (arg == "--dir")
        options.dir = value();
      else if (arg == "--ready-file")
        ready_file = value();
      else if (arg == "--fault") {
        auto it = faults.find(value());
        if (it == faults.end()) return usage("unknown fault " + std::string(argv[i]));
        reply.fault = it->second;
      } else
        return usage("unknown argument " + arg);
    }
  } catch (const std::exception& e) {
    return usage(e.what());
  }

  // Block the stop signals before the server thread starts, so that only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  TestBackend backend(options);
  backend.set_handler([reply](const RecordedRequest& r) {
    std::cerr << "fim-test-backend: connection " << r.connection << " " << r.method << " " << r.target << " "
              << one_line(r.body) << std::endl;
    return reply;
  });

  const std::string ready = boost::json::serialize(
      boost::json::object{{"baseUrl", backend.base_url()}, {"caFile", backend.ca_file()}});
  if (!ready_file.empty()) {
    // Written whole under another name, then renamed: a watcher never reads half a line.
    const std::string tmp = ready_file + ".tmp";
    std::ofstream(tmp) << ready << "\n";
    std::rename(tmp.c_str(), ready_file.c_str());
  }
  std::cout << ready << std::endl;

  if (exit_on_eof) {
    std::thread([] {
      char buf[256];
      while (::read(STDIN_FILENO, buf, sizeof buf) > 0) {
      }
      ::kill(::getpid(), SIGTERM);
    }).detach();
  }
  int sig = 0;
  sigwait(&stop, &sig);
  std::cerr << "fim-test-backend: stopping (" << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ")" << std::endl;
  return 0;
}
