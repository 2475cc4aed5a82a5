#include "fimlsp/server/other_files_context.hpp"
#include "support/io_driver.hpp"
#include "support/temp_dir.hpp"
#include <doctest/doctest.h>
#include <filesystem>

namespace fimlsp::test {

namespace {

struct Fixture {
  Fixture() {
    context.set_roots({dir.path()});
    context.configure(fim::ContextSettings{});
  }
  std::string uri(const std::string& relative) const { return "file://" + dir.path() + "/" + relative; }
  void open(const std::string& relative, const std::string& text) {
    docs.open({uri(relative), "python", 1, text});
    context.touched(uri(relative), true);
  }
  void edit(const std::string& relative, const std::string& text) {
    protocol::DidChangeTextDocumentParams change{uri(relative), 2, {}};
    change.contentChanges.push_back({protocol::Range{{0, 0}, {0, 0}}, text});
    REQUIRE_FALSE(docs.change(change));
    context.touched(uri(relative), true);
  }
  fim::OtherFiles build(const std::string& relative, std::size_t line, const std::string& around) {
    bool ready = false;
    context.prepare(docs, uri(relative), [&] { ready = true; });
    REQUIRE(driver.run_until([&] { return ready; }));
    return context.build(docs, uri(relative), line, around);
  }
  std::vector<std::string> paths(const fim::OtherFiles& o) {
    std::vector<std::string> out;
    for (auto& s : o.snippets)
      out.push_back(s.path);
    return out;
  }

  TempDir dir;
  IoDriver driver;
  server::DocumentStore docs;
  server::OtherFilesContext context{driver.io.get_executor()};
};

} // namespace

TEST_CASE("other files context: the same while only the current file is edited near the same place") {
  Fixture f;
  f.open("a.py", "def alpha_total(x):\n    return x\n");
  f.open("b.py", "def beta_total(x):\n    return x\n");
  f.open("main.py", "x = \n");
  const auto first = f.build("main.py", 0, "x = alpha_total(beta_total(");
  CHECK(f.paths(first) == std::vector<std::string>{"a.py", "b.py"}); // b, the more recent, nearest
  CHECK(first.fingerprint != 0);
  CHECK(first.repo == std::filesystem::path(f.dir.path()).filename().string());

  // Typing in main.py, even text that would rank the files otherwise: kept.
  f.edit("main.py", "alpha_total");
  const auto typed = f.build("main.py", 3, "x = alpha_total(");
  CHECK(typed.fingerprint == first.fingerprint);
  // Far from where they were chosen: chosen again, for the new place.
  const auto far = f.build("main.py", 3 + server::OtherFilesContext::kStableLines + 1, "x = alpha_total(");
  CHECK(f.paths(far) == std::vector<std::string>{"a.py"});
  // Another document edited: chosen again.
  const auto near = f.build("main.py", 0, "x = beta_total(");
  f.edit("b.py", "# more\n");
  const auto after = f.build("main.py", 0, "x = beta_total(");
  CHECK(after.fingerprint != near.fingerprint);
  CHECK(after.snippets.back().text.starts_with("# more\n"));
}

TEST_CASE("other files context: most recently edited or focused first on equal similarity; closed ones go") {
  Fixture f;
  f.open("a.py", "shared_name = 1\n");
  f.open("b.py", "shared_name = 2\n");
  f.open("main.py", "x = \n");
  // Equal scores: the more recent (b) ranks first, so it is written last, nearest the cursor.
  CHECK(f.paths(f.build("main.py", 0, "shared_name")) == std::vector<std::string>{"a.py", "b.py"});
  f.context.touched(f.uri("a.py"), false); // focused
  CHECK(f.paths(f.build("main.py", 0, "shared_name")) == std::vector<std::string>{"b.py", "a.py"});
  f.docs.close(f.uri("a.py"));
  f.context.closed(f.uri("a.py"));
  CHECK(f.paths(f.build("main.py", 0, "shared_name")) == std::vector<std::string>{"b.py"});
}

TEST_CASE("other files context: excluded, outside the root, off, or no root: nothing") {
  Fixture f;
  f.open(".env", "shared_name = 'ENV'\n");
  f.open("config/api_secret.py", "shared_name = 'SECRET'\n");
  f.open("main.py", "x = \n");
  CHECK(f.build("main.py", 0, "shared_name").snippets.empty());
  CHECK(f.build("main.py", 0, "shared_name").fingerprint == 0);
  // A document outside the root.
  f.docs.open({"file:///elsewhere/o.py", "python", 1, "shared_name = 3\n"});
  f.context.touched("file:///elsewhere/o.py", true);
  CHECK(f.build("main.py", 0, "shared_name").snippets.empty());
  CHECK(f.context.build(f.docs, "file:///elsewhere/o.py", 0, "shared_name").snippets.empty());
  // Switched off.
  f.open("b.py", "shared_name = 4\n");
  CHECK_FALSE(f.build("main.py", 0, "shared_name").snippets.empty());
  fim::ContextSettings off;
  off.otherFiles = false;
  f.context.configure(off);
  CHECK(f.build("main.py", 0, "shared_name").snippets.empty());
}

} // namespace fimlsp::test
