#include "context_bench.hpp"
#include "fimlsp/server/cursor_context.hpp"
#include "fimlsp/server/other_files_context.hpp"
#include "support/io_driver.hpp"
#include "support/session.hpp"
#include "support/temp_dir.hpp"
#include <algorithm>
#include <thread>

namespace fimlsp::test {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double us(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// A module of about 60 lines: functions named after the module, so that each is relevant to a
// different cursor.
std::string module_text(int i) {
  std::string s = "import os\n\n";
  for (int f = 0; f < 12; ++f) {
    const std::string name = "m" + std::to_string(i) + "_fn" + std::to_string(f);
    s += "def " + name + "(value, scale):\n    result = value * scale + " + std::to_string(f) + "\n    log_" +
         name + "(result)\n    return result\n\n";
  }
  return s;
}

std::string uri_of(const TempDir& dir, const std::string& relative) {
  return "file://" + dir.path() + "/" + relative;
}

} // namespace

void context_in_process(const Record& record, int files) {
  TempDir dir;
  for (int i = 0; i < files; ++i)
    dir.write("pkg" + std::to_string(i / 100) + "/mod" + std::to_string(i) + ".py", module_text(i));
  IoDriver driver;
  server::DocumentStore docs;
  server::OtherFilesContext context(driver.io.get_executor());
  context.set_roots({dir.path()});
  context.configure(fim::ContextSettings{});
  for (int i = 0; i < 20; ++i) {
    const std::string rel = "pkg" + std::to_string(i) + "/mod" + std::to_string(i * 100 + 7) + ".py";
    docs.open({uri_of(dir, rel), "python", 1, module_text(i * 100 + 7)});
    context.touched(uri_of(dir, rel), true);
  }
  std::string main =
      "from pkg1.mod101 import m101_fn3\nfrom pkg2 import mod202\nimport pkg3.mod303\n"
      "import pkg4.mod404\nfrom pkg5.mod505 import m505_fn1\n\n\ndef run(items):\n    total = \n";
  for (int i = 0; i < 200; ++i)
    main += "# line " + std::to_string(i) + "\n";
  const std::string uri = uri_of(dir, "app/main.py");
  docs.open({uri, "python", 1, main});
  context.touched(uri, true);
  bool ready = false;
  const auto read_start = Clock::now();
  context.prepare(docs, uri, [&] { ready = true; });
  driver.run_until([&] { return ready; }, 10s);
  record("context: first request, imports read from disk (ms)", us(Clock::now() - read_start) / 1000);

  // Typing "m101_fn3(items" into the current file, one request per keystroke.
  const std::string typed = "m101_fn3(items, 2)";
  std::vector<double> typing;
  std::size_t snippets = 0, bytes = 0;
  for (std::size_t i = 0; i < typed.size(); ++i) {
    protocol::DidChangeTextDocumentParams change{uri, 2 + static_cast<std::int64_t>(i), {}};
    change.contentChanges.push_back(
        {protocol::Range{{8, static_cast<std::uint32_t>(12 + i)}, {8, static_cast<std::uint32_t>(12 + i)}},
         typed.substr(i, 1)});
    docs.change(change);
    context.touched(uri, true);
    const auto start = Clock::now();
    bool now = false;
    context.prepare(docs, uri, [&] { now = true; });
    if (!now) driver.run_until([&] { return now; }, 10s);
    const auto* doc = docs.find(uri);
    const std::size_t cursor = server::offset_of(doc->text, {8, static_cast<std::uint32_t>(13 + i)},
                                                 server::PositionEncoding::Utf16);
    const auto input = server::cut_at_cursor(doc->text, cursor, fim::ContextSettings{}, uri);
    const auto other =
        context.build(docs, uri, 8, server::OtherFilesContext::around_cursor(input.prefix, input.suffix));
    typing.push_back(us(Clock::now() - start));
    snippets = other.snippets.size();
    bytes = 0;
    for (auto& s : other.snippets)
      bytes += s.path.size() + s.text.size();
  }
  record("context: per request while typing, median (us)", median(typing));
  record("context: per request while typing, max (us)", *std::max_element(typing.begin(), typing.end()));

  // Another open document edited: everything is ranked again.
  std::vector<double> changed;
  for (int k = 0; k < 20; ++k) {
    const std::string other_uri =
        uri_of(dir, "pkg" + std::to_string(k) + "/mod" + std::to_string(k * 100 + 7) + ".py");
    protocol::DidChangeTextDocumentParams change{other_uri, 2 + k, {}};
    change.contentChanges.push_back({protocol::Range{{0, 0}, {0, 0}}, "#\n"});
    docs.change(change);
    context.touched(other_uri, true);
    const auto start = Clock::now();
    const auto* doc = docs.find(uri);
    const auto input = server::cut_at_cursor(doc->text, doc->text.line_end(8), fim::ContextSettings{}, uri);
    (void)context.build(docs, uri, 8, server::OtherFilesContext::around_cursor(input.prefix, input.suffix));
    changed.push_back(us(Clock::now() - start));
  }
  record("context: per request after another document changed, median (us)", median(changed));
  record("context: snippets sent (of 20 open + 5 imported files)", static_cast<double>(snippets));
  record("context: bytes sent (budget 4000 chars)", static_cast<double>(bytes));
}

void context_overhead(const Record& record, int requests) {
  TempDir dir;
  Session s({{"endpoint", {{"timeoutMs", 5000}}}});
  s.backend.set_handler([](const RecordedRequest&) {
    Reply r;
    r.chunks = {"value, 2)"};
    return r;
  });
  for (int i = 0; i < 20; ++i)
    s.open(uri_of(dir, "mod" + std::to_string(i) + ".py"), module_text(i), "python");
  const std::string uri = uri_of(dir, "main.py");
  s.open(uri, "def run(value):\n    return m7_fn3(\n", "python");
  (void)s.complete_at(uri, 1, 18); // warm: the first ranking
  std::vector<double> per;
  for (int i = 0; i < requests; ++i) {
    s.change(uri, 1, 4, 1, 4, "x");
    const auto start = Clock::now();
    (void)s.complete_at(uri, 1, 19 + static_cast<std::uint32_t>(i));
    const auto rs = s.backend.requests();
    per.push_back(us(Clock::now() - start) / 1000 -
                  std::chrono::duration<double, std::milli>(rs.back().finished - rs.back().received).count());
    std::this_thread::sleep_for(200ms);
  }
  const bool has_context = s.backend.requests().back().body.find("<|file_sep|>mod7.py") != std::string::npos;
  record("context: overhead, warm, 20 open files, median (ms)", median(per));
  record("context: definition from the other file in the prompt (1 = yes)", has_context ? 1 : 0);
}

} // namespace fimlsp::test
