// fim-lsp benchmark: drives the real fim-lsp binary over pipes like an editor, against the
// loopback HTTPS test backend with a known generation time G, and prints a table of medians
// and ranges over repeated runs. Usage: fim-lsp-bench [--runs N] [--quick] [--context]
#include "context_bench.hpp"
#include "fimlsp/server/documents.hpp"
#include "support/connect_proxy.hpp"
#include "support/session.hpp"
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

// The backend's generation time: first token after 150 ms, then 15 tokens 10 ms apart.
constexpr auto kFirst = 150ms;
constexpr auto kGap = 10ms;
constexpr int kTokens = 16;
constexpr double kG = 150 + 10 * (kTokens - 1); // 300 ms from request to the last token

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Reply time minus the time the backend took for the last request (its timers run a little
// late on a busy machine; that is not fim-lsp's overhead).
double overhead_ms(const Session& s, Clock::time_point sent, Clock::time_point replied) {
  const auto rs = s.backend.requests();
  if (rs.empty() || !rs.back().completed) return ms(replied - sent) - kG;
  return ms(replied - sent) - ms(rs.back().finished - rs.back().received);
}

Reply generation(const std::string& text) {
  Reply r;
  r.chunks.clear();
  // kTokens chunks of the text, the last one carrying the rest.
  const std::size_t n = std::max<std::size_t>(1, text.size() / kTokens);
  for (int i = 0; i < kTokens; ++i) {
    const std::size_t at = std::min(text.size(), i * n);
    r.chunks.push_back(i + 1 == kTokens ? text.substr(at) : text.substr(at, n));
  }
  r.first_delay = kFirst;
  r.chunk_delay = kGap;
  return r;
}

// The suggestion the backend makes for a prompt: derived from the text before the cursor, so a
// stale answer is visible.
std::string suggestion_for(const std::string& body) {
  const std::string prompt(json::parse(body).at("prompt").as_string());
  const auto start = prompt.rfind('\n', prompt.find("<|fim_suffix|>"));
  const auto end = prompt.find("<|fim_suffix|>");
  std::string line = prompt.substr(start == std::string::npos ? 14 : start + 1,
                                   end - (start == std::string::npos ? 14 : start + 1));
  const auto word = line.substr(line.rfind(' ') + 1);
  return "_" + word + "_done();";
}

long rss_kb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == "VmRSS:") return in >> value, value;
    in.ignore(1 << 20, '\n');
  }
  return -1;
}

struct Stats {
  std::vector<double> v;
  void add(double x) { v.push_back(x); }
  double pct(double p) const {
    if (v.empty()) return 0;
    auto s = v;
    std::sort(s.begin(), s.end());
    return s[std::min(s.size() - 1, static_cast<std::size_t>(p * (s.size() - 1) + 0.5))];
  }
  double median() const { return pct(0.5); }
  double min() const { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }
  double max() const { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }
};

// Rows of the table: name → one value per run.
std::map<std::string, Stats> results;
std::vector<std::string> order;
void record(const std::string& name, double value) {
  if (!results.contains(name)) order.push_back(name);
  results[name].add(value);
}

std::string doc_line(int i) {
  return "value_" + std::to_string(i) + " = compute(" + std::to_string(i) + ")\n";
}

// Sequential requests on a warm server, and the first request after initialize.
void overhead(int requests) {
  Session s({{"endpoint", {{"timeoutMs", 5000}}}});
  s.backend.set_handler([](const RecordedRequest& r) { return generation(suggestion_for(r.body)); });
  s.open("file:///o.py", "");
  // First request right after initialize: the connection was warmed at initialize.
  s.change("file:///o.py", 0, 0, 0, 0, "x = first");
  auto start = Clock::now();
  auto text = s.complete_at("file:///o.py", 0, 9);
  record("first request after initialize: overhead (ms)", overhead_ms(s, start, Clock::now()));
  if (std::getenv("FIM_BENCH_TRACE")) std::fprintf(stderr, "%s\n", s.lsp.stderr_text().c_str());
  Stats per;
  const auto handshakes = s.backend.handshakes();
  for (int i = 0; i < requests; ++i) {
    s.change("file:///o.py", 0, 0, 0, 0, doc_line(i));
    start = Clock::now();
    text = s.complete_at("file:///o.py", 0, static_cast<std::uint32_t>(doc_line(i).size() - 1));
    per.add(overhead_ms(s, start, Clock::now()));
    std::this_thread::sleep_for(200ms); // the user pauses before the next suggestion
  }
  record("overhead, warm, sequential: median (ms)", per.median());
  record("overhead, warm, sequential: p90 (ms)", per.pct(0.9));
  record("overhead, warm, sequential: max (ms)", per.max());
  record("overhead, warm, sequential: new handshakes",
         static_cast<double>(s.backend.handshakes() - handshakes));
}

// The same sequential requests to an endpoint reached through a loopback CONNECT proxy (the
// proxy's own relaying is part of the figure).
void overhead_through_proxy(int requests) {
  ConnectProxy proxy;
  Session s({{"endpoint", {{"timeoutMs", 5000}}}});
  s.backend.set_handler([](const RecordedRequest& r) { return generation(suggestion_for(r.body)); });
  s.lsp.notify(
      "workspace/didChangeConfiguration",
      {{"settings", {{"endpoint", {{"baseUrl", proxied_url(s.backend.port())}, {"proxy", proxy.url()}}}}}});
  s.sync();
  s.open("file:///p.py", "");
  s.change("file:///p.py", 0, 0, 0, 0, "x = first");
  if (s.complete_at("file:///p.py", 0, 9).empty()) std::fprintf(stderr, "no suggestion through the proxy\n");
  Stats per;
  const auto tunnels = proxy.seen().tunnels;
  for (int i = 0; i < requests; ++i) {
    std::this_thread::sleep_for(200ms); // the user pauses before the next suggestion
    s.change("file:///p.py", 0, 0, 0, 0, doc_line(i));
    const auto start = Clock::now();
    s.complete_at("file:///p.py", 0, static_cast<std::uint32_t>(doc_line(i).size() - 1));
    per.add(overhead_ms(s, start, Clock::now()));
  }
  record("overhead through a loopback proxy, warm, sequential: median (ms)", per.median());
  record("overhead through a loopback proxy, warm, sequential: max (ms)", per.max());
  record("overhead through a loopback proxy, warm, sequential: new tunnels",
         static_cast<double>(proxy.seen().tunnels - tunnels));
}

// 40 keystrokes 30 ms apart, each $/cancelRequest + didChange + request.
void typing_burst() {
  Session s;
  s.backend.set_handler([](const RecordedRequest& r) { return generation(suggestion_for(r.body)); });
  s.open("file:///b.py", "");
  const std::string typed = "result = compute_the_answer(alpha, beta)";
  const auto handshakes_before = s.backend.handshakes();
  std::int64_t last = 0;
  Clock::time_point last_key;
  for (std::size_t i = 0; i < typed.size(); ++i) {
    if (i) std::this_thread::sleep_for(30ms); // the typist's pace
    if (last) s.lsp.notify("$/cancelRequest", {{"id", last}});
    s.change("file:///b.py", 0, static_cast<std::uint32_t>(i), 0, static_cast<std::uint32_t>(i),
             typed.substr(i, 1));
    last_key = Clock::now();
    last = s.inline_request("file:///b.py", 0, static_cast<std::uint32_t>(i + 1));
  }
  const std::string final_text = s.inline_text(last, 10s);
  if (std::getenv("FIM_BENCH_TRACE")) std::fprintf(stderr, "%s\n", s.lsp.stderr_text().c_str());
  record("burst: last keystroke -> final suggestion (ms)", ms(Clock::now() - last_key));
  record("burst: final suggestion correct (1 = yes)", final_text == "_beta)_done();" ? 1 : 0);
  if (final_text != "_beta)_done();")
    std::fprintf(stderr, "burst: final suggestion '%s'\n", final_text.c_str());
  s.backend.wait_until(
      [](const std::vector<RecordedRequest>& rs) {
        return std::all_of(rs.begin(), rs.end(), [](auto& r) { return r.completed || r.client_hung_up; });
      },
      5s);
  auto rs = s.backend.requests();
  record("burst: upstream requests started", static_cast<double>(rs.size()));
  record("burst: upstream requests aborted",
         static_cast<double>(
             std::count_if(rs.begin(), rs.end(), [](auto& r) { return r.client_hung_up.has_value(); })));
  record("burst: upstream requests completed",
         static_cast<double>(std::count_if(rs.begin(), rs.end(), [](auto& r) { return r.completed; })));
  record("burst: new TCP+TLS handshakes", static_cast<double>(s.backend.handshakes() - handshakes_before));
}

// Typing the shown suggestion one character at a time.
void typed_ahead() {
  Session s;
  s.backend.set_handler([](const RecordedRequest&) { return generation("compute_total(items, tax_rate)"); });
  s.open("file:///t.py", "total = \n");
  const std::string suggestion = s.complete_at("file:///t.py", 0, 8);
  const auto before = s.backend.requests().size();
  Stats per;
  bool correct = true;
  for (std::size_t i = 0; i + 1 < suggestion.size(); ++i) {
    s.change("file:///t.py", 0, static_cast<std::uint32_t>(8 + i), 0, static_cast<std::uint32_t>(8 + i),
             suggestion.substr(i, 1));
    const auto start = Clock::now();
    const auto rest = s.complete_at("file:///t.py", 0, static_cast<std::uint32_t>(9 + i));
    per.add(ms(Clock::now() - start));
    correct = correct && rest == suggestion.substr(i + 1);
    std::this_thread::sleep_for(20ms);
  }
  record("typed-ahead: answer latency per key, median (ms)", per.median());
  record("typed-ahead: answer latency per key, max (ms)", per.max());
  record("typed-ahead: upstream requests", static_cast<double>(s.backend.requests().size() - before));
  record("typed-ahead: answers correct (1 = yes)", correct ? 1 : 0);
}

// Typing the first characters of the suggestion while its stream is still running.
void in_flight_reuse() {
  Session s;
  s.backend.set_handler([](const RecordedRequest&) { return generation("compute_total(items, tax_rate)"); });
  s.open("file:///r.py", "total = \n");
  auto id = s.inline_request("file:///r.py", 0, 8);
  s.backend.wait_until([](auto& rs) { return !rs.empty(); }, 5s);
  const std::string typed = "comp";
  for (std::size_t i = 0; i < typed.size(); ++i) {
    std::this_thread::sleep_for(30ms);
    s.lsp.notify("$/cancelRequest", {{"id", id}});
    s.change("file:///r.py", 0, static_cast<std::uint32_t>(8 + i), 0, static_cast<std::uint32_t>(8 + i),
             typed.substr(i, 1));
    id = s.inline_request("file:///r.py", 0, static_cast<std::uint32_t>(9 + i));
  }
  const auto text = s.inline_text(id, 10s);
  record("in-flight reuse: upstream requests started", static_cast<double>(s.backend.requests().size()));
  record("in-flight reuse: final answer correct (1 = yes)", text == "ute_total(items, tax_rate)" ? 1 : 0);
  if (text != "ute_total(items, tax_rate)")
    std::fprintf(stderr, "in-flight: final answer '%s'\n", text.c_str());
}

// The next line for a prompt: numbered by the lines before the cursor, so that the answer after
// an accept is known, and a stale one is visible.
std::string next_line_for(const std::string& body) {
  const std::string prompt(json::parse(body).at("prompt").as_string());
  const auto from = prompt.find("<|fim_prefix|>"), to = prompt.find("<|fim_suffix|>");
  const auto lines =
      std::count(prompt.begin() + static_cast<long>(from), prompt.begin() + static_cast<long>(to), '\n');
  return "\nvalue_" + std::to_string(lines) + " = compute()";
}

// Accepting the shown suggestion as VS Code and Neovim do (a didChange inserting it), then the
// request at the new cursor: the wait for the next suggestion, with and without prefetch. The
// user reads each suggestion for 400 ms (longer than G) before accepting it.
void accept_next(bool prefetch, int accepts) {
  const std::string mode = prefetch ? "prefetch on" : "prefetch off";
  Session s({{"endpoint", {{"timeoutMs", 5000}}}, {"suggestion", {{"prefetch", prefetch}}}});
  s.backend.set_handler([](const RecordedRequest& r) { return generation(next_line_for(r.body)); });
  s.open("file:///n.py", "x = 0");
  std::uint32_t line = 0, column = 5;
  std::string shown = s.complete_at("file:///n.py", line, column);
  Stats per;
  bool correct = true;
  for (int i = 0; i < accepts; ++i) {
    std::this_thread::sleep_for(400ms); // reading it
    s.change("file:///n.py", line, column, line, column, shown);
    line += static_cast<std::uint32_t>(std::count(shown.begin(), shown.end(), '\n'));
    column = static_cast<std::uint32_t>(shown.size() - shown.rfind('\n') - 1);
    const auto start = Clock::now();
    shown = s.complete_at("file:///n.py", line, column);
    per.add(ms(Clock::now() - start));
    correct = correct && shown == "\nvalue_" + std::to_string(line) + " = compute()";
  }
  // With prefetch, the last suggestion shown has its prefetch too (never used here): wait for it.
  const std::size_t expected = 1 + accepts + (prefetch ? 1 : 0);
  s.backend.wait_until([&](const auto& rs) { return rs.size() >= expected; }, 5s);
  record("accept -> next suggestion, " + mode + ": median (ms)", per.median());
  record("accept -> next suggestion, " + mode + ": max (ms)", per.max());
  record("accept -> next suggestion, " + mode + ": upstream requests for " + std::to_string(accepts) +
             " accepts",
         static_cast<double>(s.backend.requests().size()));
  record("accept -> next suggestion, " + mode + ": answers correct (1 = yes)", correct ? 1 : 0);
}

// $/cancelRequest → reply, and → upstream connection closed (seen at the backend).
void cancel() {
  Session s;
  Reply stall;
  stall.first_delay = 30s;
  s.backend.set_reply(stall);
  s.open("file:///c.py", "x = \n");
  auto id = s.inline_request("file:///c.py", 0, 4);
  s.backend.wait_until([](auto& rs) { return !rs.empty(); }, 5s);
  std::this_thread::sleep_for(50ms);
  const auto start = Clock::now();
  s.lsp.notify("$/cancelRequest", {{"id", id}});
  s.lsp.wait_response(id);
  record("cancel: reply (ms)", ms(Clock::now() - start));
  s.backend.wait_until([](auto& rs) { return rs[0].client_hung_up.has_value(); }, 5s);
  const auto hung = s.backend.requests()[0].client_hung_up;
  record("cancel: upstream connection closed (ms)", hung ? ms(*hung - start) : -1);
}

std::string big_document(std::size_t bytes) {
  std::string text;
  text.reserve(bytes + 64);
  for (int i = 0; text.size() < bytes; ++i)
    text += doc_line(i);
  return text;
}

void big_file(std::size_t mb) {
  Session s({{"endpoint", {{"timeoutMs", 5000}}}});
  s.backend.set_handler([](const RecordedRequest& r) { return generation(suggestion_for(r.body)); });
  const std::string text = big_document(mb << 20);
  const auto lines = static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n'));
  const std::string name = std::to_string(mb) + " MB file: ";
  // A request for a document that is not open is answered at once: it marks when everything
  // sent before it has been processed.
  auto probe = [&s] {
    auto id = s.lsp.request("textDocument/inlineCompletion", {{"textDocument", {{"uri", "file:///none"}}},
                                                              {"position", {{"line", 0}, {"character", 0}}}});
    s.lsp.wait_response(id, 60s);
  };
  probe();
  auto start = Clock::now();
  s.open("file:///big.py", text);
  probe();
  record(name + "didOpen (ms)", ms(Clock::now() - start));
  start = Clock::now();
  for (std::uint32_t i = 0; i < 200; ++i) {
    const std::uint32_t line = lines / 200 * i;
    s.change("file:///big.py", line, 3, line, 3, "z");
  }
  probe();
  record(name + "200 edits spread across the file (ms)", ms(Clock::now() - start));
  start = Clock::now();
  s.change("file:///big.py", lines / 2, 0, lines / 2, 0, "q");
  probe();
  record(name + "one edit, with the probe round trip (ms)", ms(Clock::now() - start));
  std::this_thread::sleep_for(200ms);
  start = Clock::now();
  const auto answer = s.complete_at("file:///big.py", lines / 3, 5);
  record(name + "completion overhead (ms)", overhead_ms(s, start, Clock::now()));
  record(name + "RSS after (MB)", rss_kb(s.lsp.pid()) / 1024.0);
  (void)answer;
}

// The document store alone, in this process: the cost of one edit without the pipe round trip.
void store_edit(std::size_t mb) {
  using namespace fimlsp;
  server::DocumentStore store;
  const std::string text = big_document(mb << 20);
  const auto lines = static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n'));
  store.open({"file:///big", "python", 1, text});
  Stats per;
  for (std::uint32_t i = 0; i < 200; ++i) {
    protocol::DidChangeTextDocumentParams change;
    change.uri = "file:///big";
    change.version = 2 + i;
    const std::uint32_t line = lines / 200 * i;
    change.contentChanges.push_back({protocol::Range{{line, 3}, {line, 3}}, "z"});
    const auto start = Clock::now();
    store.change(change);
    per.add(ms(Clock::now() - start) * 1000);
  }
  record(std::to_string(mb) + " MB file: one edit in the document store, median (us)", per.median());
  record(std::to_string(mb) + " MB file: one edit in the document store, max (us)", per.max());
}

void idle() {
  TestBackend backend;
  const auto start = Clock::now();
  LspProcess lsp({"--stdio"});
  lsp.initialize(json::object(),
                 {{"endpoint", {{"baseUrl", backend.base_url()}, {"caFile", backend.ca_file()}}}});
  record("start-up to the initialize reply (ms)", ms(Clock::now() - start));
  std::this_thread::sleep_for(300ms);
  record("idle RSS after initialize (MB)", rss_kb(lsp.pid()) / 1024.0);
}

} // namespace

int main(int argc, char** argv) {
  int runs = 5;
  bool quick = false;
  bool only_context = false; // the "context" rows alone
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--quick")
      quick = true;
    else if (a == "--context")
      only_context = true;
  }
  // As on a stock Debian machine: the system trust store, not a bundle named in the environment
  // (some machines export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt, which OpenSSL parses
  // whole, 25-35 ms, at every configure). The backend's CA comes from endpoint.caFile.
  ::unsetenv("SSL_CERT_FILE");
  ::unsetenv("SSL_CERT_DIR");
  for (int run = 0; run < runs; ++run) {
    std::fprintf(stderr, "run %d/%d\n", run + 1, runs);
    if (only_context) {
      context_in_process(record, quick ? 1000 : 5000);
      context_overhead(record, quick ? 5 : 20);
      continue;
    }
    idle();
    overhead(quick ? 5 : 20);
    overhead_through_proxy(quick ? 5 : 20);
    typing_burst();
    typed_ahead();
    in_flight_reuse();
    accept_next(false, quick ? 4 : 10);
    accept_next(true, quick ? 4 : 10);
    cancel();
    big_file(5);
    store_edit(5);
    context_in_process(record, quick ? 1000 : 5000);
    context_overhead(record, quick ? 5 : 20);
    if (!quick) big_file(50), store_edit(50);
  }
  std::cout << "G = " << kG << " ms (first token " << kFirst.count() << " ms + " << kTokens - 1 << " x "
            << kGap.count() << " ms), " << runs << " runs\n\n";
  std::cout << "| measure | median | range |\n|---|---:|---:|\n";
  for (auto& name : order) {
    auto& s = results[name];
    char line[256];
    std::snprintf(line, sizeof line, "| %s | %.2f | %.2f – %.2f |\n", name.c_str(), s.median(), s.min(),
                  s.max());
    std::cout << line;
  }
}
