// fim-lsp soak: the real binary over pipes against the loopback HTTPS test backend with fast
// replies, for many requests interleaved at random with edits, cancels, supersedes, closes and
// reopens (one document of 1 MB), and a backend fault for about one request in ten. It checks
// and prints: every request answered exactly once with a well-formed reply, the server's RSS and
// open descriptors after warm-up, the backend connections open at once, and a final request
// answered exactly. Usage: fim-lsp-soak [--requests N] [--seed S] [--no-rss-check]
// (--no-rss-check: for a sanitizer build, whose quarantine holds freed memory on purpose)
#include "support/lsp_process.hpp"
#include "support/test_backend.hpp"
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kDocuments = 10;
constexpr std::size_t kInFlight = 6; // requests the client keeps outstanding
constexpr int kTimeoutMs = 300;      // endpoint.timeoutMs: stalls past it end at it
constexpr std::size_t kSamples = 40; // RSS and descriptor readings over the run

std::size_t rss_kb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with("VmRSS:")) return std::stoul(line.substr(6));
  return 0;
}

// The server's open descriptors: sockets (its only sockets are its connections to the backend)
// and the others.
struct Descriptors {
  std::size_t sockets = 0, others = 0;
};
Descriptors descriptors(int pid) {
  Descriptors d;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::error_code link_ec;
    const auto target = std::filesystem::read_symlink(it->path(), link_ec);
    if (link_ec) continue; // closed while being listed
    ++(target.string().starts_with("socket:") ? d.sockets : d.others);
  }
  return d;
}

// Least-squares slope of y over x.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i], sy += y[i], sxx += x[i] * x[i], sxy += x[i] * y[i];
  }
  const double d = n * sxx - sx * sx;
  return d == 0 ? 0 : (n * sxy - sx * sy) / d;
}

// The backend's reply: fast text, or one fault drawn at random for about one request in ten.
Reply draw_reply(std::mt19937& rng, std::map<std::string, int>& drawn) {
  Reply r;
  r.chunks = {"x = ", "1", "\n"};
  if (rng() % 10 != 0) return r;
  // Every fault kind, and a stall shorter than the deadline.
  const std::size_t pick = rng() % (std::size(kFaults) + 1);
  const char* name = pick < std::size(kFaults) ? kFaults[pick].name : "slow";
  const Fault fault = pick < std::size(kFaults) ? kFaults[pick].fault : Fault::None;
  ++drawn[name];

  r.fault = fault;
  r.retry_after = "0"; // a 429 or 503 that asks for no wait: the next request goes out
  if (std::string_view(name) == "slow")
    r.first_delay = std::chrono::milliseconds(kTimeoutMs / 3); // a stall shorter than the deadline
  if (fault == Fault::Endless) r.chunks = {"y", std::string(256, 'y')};
  return r;
}

struct Doc {
  std::string uri;
  std::vector<std::string> lines;
  bool open = false;
  std::string text() const {
    std::string t;
    for (std::size_t i = 0; i < lines.size(); ++i)
      t += lines[i] + (i + 1 < lines.size() ? "\n" : "");
    return t;
  }
};

} // namespace

int main(int argc, char** argv) {
  long requests = 50000;
  unsigned seed = 1;
  bool rss_check = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--requests" && i + 1 < argc)
      requests = std::stol(argv[++i]);
    else if (arg == "--seed" && i + 1 < argc)
      seed = static_cast<unsigned>(std::stoul(argv[++i]));
    else if (arg == "--no-rss-check")
      rss_check = false;
  }
  std::mt19937 rng(seed);

  BackendOptions bo;
  bo.record_bodies = false;
  TestBackend backend(bo);
  // The backend copies its handler for each request: the draws' state lives out here.
  std::mutex drawn_mutex;
  std::map<std::string, int> drawn;
  std::mt19937 backend_rng(seed + 1);
  backend.set_handler([&](const RecordedRequest&) {
    std::lock_guard lock(drawn_mutex);
    return draw_reply(backend_rng, drawn);
  });
  LspProcess lsp({"--stdio", "--log-level", "warn"}, {"DASHSCOPE_API_KEY=sk-soak-0123456789"});
  lsp.initialize(
      json::object(),
      {{"endpoint",
        {{"baseUrl", backend.base_url()}, {"caFile", backend.ca_file()}, {"timeoutMs", kTimeoutMs}}},
       {"debounceMs", 0}});

  std::vector<Doc> docs(kDocuments);
  for (int d = 0; d < kDocuments; ++d) {
    docs[d].uri = "file:///soak/doc" + std::to_string(d) + ".py";
    const int lines = d == 0 ? 20000 : 40; // doc0: 1 MB
    for (int l = 0; l < lines; ++l)
      docs[d].lines.push_back(d == 0 ? "value_" + std::to_string(l) + " = compute(" + std::string(30, 'a') +
                                           ")  # pad"
                                     : "line " + std::to_string(l) + " = ");
  }
  int version = 1;
  auto open = [&](Doc& doc) {
    lsp.notify(
        "textDocument/didOpen",
        {{"textDocument",
          {{"uri", doc.uri}, {"languageId", "python"}, {"version", ++version}, {"text", doc.text()}}}});
    doc.open = true;
  };
  for (auto& doc : docs)
    open(doc);

  std::set<std::int64_t> outstanding;
  std::map<std::int64_t, int> answers;
  std::map<std::string, long> kinds; // of reply
  long malformed = 0, twice = 0;
  auto is_response = [](const json::value& v) {
    const auto* o = v.if_object();
    return o && o->contains("id") && !o->contains("method");
  };
  auto take = [&](const json::value& v) {
    const auto& o = v.as_object();
    const std::int64_t id = o.at("id").is_int64() ? o.at("id").as_int64() : -1;
    if (++answers[id] > 1) ++twice;
    outstanding.erase(id);
    if (o.contains("result")) {
      const auto& r = o.at("result");
      const bool ok =
          r.is_null() || (r.is_object() && r.as_object().contains("items") && r.at("items").is_array());
      if (!ok) ++malformed;
      kinds[r.is_null() || r.at("items").as_array().empty() ? "empty" : "suggestion"]++;
    } else if (o.contains("error") && o.at("error").is_object() &&
               o.at("error").as_object().contains("code")) {
      kinds["error " + std::to_string(o.at("error").at("code").as_int64())]++;
    } else {
      ++malformed;
    }
  };
  // Takes every reply that has arrived; waits for one when `until_below` are still outstanding.
  auto drain = [&](std::size_t until_below) {
    while (auto m = lsp.wait_for(is_response, outstanding.size() >= until_below ? 10s : 0ms))
      take(*m);
  };

  std::vector<double> xs, rss, fds;
  std::size_t max_fds_warm = 0, max_conns = 0, conn_limit_breaks = 0;
  const long warm_up = requests / 10;
  const auto started = Clock::now();
  for (long n = 0; n < requests; ++n) {
    Doc& doc = docs[rng() % kDocuments];
    if (!doc.open) open(doc);
    const auto line = static_cast<std::uint32_t>(rng() % doc.lines.size());
    const auto col = static_cast<std::uint32_t>(doc.lines[line].size());
    switch (rng() % 20) {
    case 0:
    case 1:
    case 2: { // an edit: type at the end of a line
      const std::string typed = rng() % 4 == 0 ? "\n" : std::string(1, static_cast<char>('a' + rng() % 26));
      lsp.notify("textDocument/didChange", {{"textDocument", {{"uri", doc.uri}, {"version", ++version}}},
                                            {"contentChanges",
                                             {{{"range",
                                                {{"start", {{"line", line}, {"character", col}}},
                                                 {"end", {{"line", line}, {"character", col}}}}},
                                               {"text", typed}}}}});
      if (typed == "\n")
        doc.lines.insert(doc.lines.begin() + line + 1, "");
      else
        doc.lines[line] += typed;
      break;
    }
    case 3: // close and (at its next turn) reopen; not the 1 MB one too often
      if (&doc != &docs[0] || rng() % 10 == 0) {
        lsp.notify("textDocument/didClose", {{"textDocument", {{"uri", doc.uri}}}});
        doc.open = false;
      }
      break;
    default:
      break;
    }
    if (!doc.open) continue;
    const std::int64_t id =
        lsp.request("textDocument/inlineCompletion", {{"textDocument", {{"uri", doc.uri}}},
                                                      {"position", {{"line", line}, {"character", col}}},
                                                      {"context", {{"triggerKind", 2}}}});
    outstanding.insert(id);
    const unsigned what = rng() % 10;
    if (what == 0) lsp.notify("$/cancelRequest", {{"id", id}});
    if (what == 1) { // superseded at once by the next character's request
      lsp.notify("textDocument/didChange", {{"textDocument", {{"uri", doc.uri}, {"version", ++version}}},
                                            {"contentChanges",
                                             {{{"range",
                                                {{"start", {{"line", line}, {"character", col}}},
                                                 {"end", {{"line", line}, {"character", col}}}}},
                                               {"text", "z"}}}}});
      doc.lines[line] += "z";
      outstanding.insert(lsp.request("textDocument/inlineCompletion",
                                     {{"textDocument", {{"uri", doc.uri}}},
                                      {"position", {{"line", line}, {"character", col + 1}}},
                                      {"context", {{"triggerKind", 2}}}}));
    }
    drain(kInFlight);
    if (outstanding.size() >= kInFlight) {
      std::fprintf(stderr, "FAIL: %zu requests unanswered for 10 s\n", outstanding.size());
      return 1;
    }
    // The server's connections: one stream per outstanding request, at most two more per
    // document (a superseded request's stream runs on for the typed-ahead cache until the next
    // request shows it useless; a prefetch, on by default for this loopback backend), and 2
    // (keep-alive idle ones or the warm spare).
    const std::size_t sockets = descriptors(lsp.pid()).sockets;
    max_conns = std::max(max_conns, sockets);
    if (sockets > outstanding.size() + 2 * kDocuments + 2) ++conn_limit_breaks;
    if (n % std::max<long>(1, requests / static_cast<long>(kSamples)) == 0) {
      const double rss_mb = rss_kb(lsp.pid()) / 1024.0;
      const std::size_t f = descriptors(lsp.pid()).others;
      if (n <= warm_up) {
        max_fds_warm = std::max(max_fds_warm, f);
      } else {
        xs.push_back(static_cast<double>(n));
        rss.push_back(rss_mb);
        fds.push_back(static_cast<double>(f));
      }
    }
  }
  drain(1);
  while (!outstanding.empty()) {
    auto m = lsp.wait_for(is_response, 10s);
    if (!m) break;
    take(*m);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  for (auto id : outstanding)
    std::printf("  unanswered: request %lld\n", static_cast<long long>(id));

  // A final request, on a fresh document, answered exactly.
  backend.set_reply([] {
    Reply r;
    r.chunks = {"final"};
    return r;
  }());
  lsp.notify("textDocument/didOpen", {{"textDocument",
                                       {{"uri", "file:///soak/final.py"},
                                        {"languageId", "python"},
                                        {"version", ++version},
                                        {"text", "answer = "}}}});
  const auto final_id =
      lsp.request("textDocument/inlineCompletion", {{"textDocument", {{"uri", "file:///soak/final.py"}}},
                                                    {"position", {{"line", 0}, {"character", 9}}},
                                                    {"context", {{"triggerKind", 1}}}});
  std::string final_text = "(no reply)";
  if (auto reply = lsp.wait_response(final_id, 10s); reply && reply->at("result").is_object()) {
    const auto& items = reply->at("result").at("items").as_array();
    final_text = items.empty() ? "" : std::string(items[0].at("insertText").as_string());
  }

  const double rss_slope = slope(xs, rss) * 10000; // MB per 10,000 requests
  const double fd_max = fds.empty() ? 0 : *std::max_element(fds.begin(), fds.end());
  long answered_once = 0;
  for (const auto& [id, count] : answers)
    answered_once += count == 1;
  const std::size_t sent = answers.size() + outstanding.size();

  std::printf("fim-lsp soak: %ld iterations, %zu requests in %.1f s (%.0f/s), seed %u\n", requests, sent,
              seconds, sent / seconds, seed);
  std::printf("  replies:");
  for (const auto& [k, v] : kinds)
    std::printf(" %s %ld;", k.c_str(), v);
  std::printf("\n  faults drawn:");
  for (const auto& [k, v] : drawn)
    std::printf(" %s %d;", k.c_str(), v);
  std::printf("\n  backend requests %zu, connections accepted %zu, at most %zu open at once (%ld times more "
              "than outstanding requests + two per document + 2)\n",
              backend.requests().size(), backend.handshakes(), max_conns,
              static_cast<long>(conn_limit_breaks));
  std::printf("  RSS after warm-up: %.1f MB first, %.1f MB last, slope %+.2f MB per 10,000 requests\n",
              rss.empty() ? 0 : rss.front(), rss.empty() ? 0 : rss.back(), rss_slope);
  std::printf("  open descriptors other than connections: at most %zu in warm-up, at most %.0f after\n",
              max_fds_warm, fd_max);
  std::printf("  final request: \"%s\"\n", final_text.c_str());

  int failures = 0;
  auto check = [&](bool ok, const char* what) {
    if (!ok) {
      std::printf("FAIL: %s\n", what);
      ++failures;
    }
  };
  check(outstanding.empty(), "every request answered");
  check(twice == 0, "no request answered twice");
  check(answered_once == static_cast<long>(answers.size()), "each answered exactly once");
  check(malformed == 0, "every reply well-formed");
  check(!rss_check || rss_slope <= 1.0, "RSS flat after warm-up (slope <= 1 MB per 10,000 requests)");
  check(fd_max <= static_cast<double>(max_fds_warm),
        "open descriptors (other than connections) flat after warm-up");
  check(conn_limit_breaks == 0, "connections never more than outstanding requests + two per document + 2");
  check(final_text == "final", "the final request answered exactly");
  lsp.close_stdin();
  check(lsp.wait_exit(5s).has_value(), "the server exits when stdin closes");
  std::printf(failures ? "soak FAILED\n" : "soak passed\n");
  return failures ? 1 : 0;
}
