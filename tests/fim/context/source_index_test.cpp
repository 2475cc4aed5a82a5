#include "fimlsp/fim/context/source_index.hpp"
#include "fimlsp/fim/settings.hpp"
#include "support/io_driver.hpp"
#include "support/temp_dir.hpp"
#include <doctest/doctest.h>
#include <filesystem>

namespace fimlsp::test {

namespace fs = std::filesystem;

TEST_CASE("source index: files are read on the worker once and kept; a deleted file is forgotten when told") {
  IoDriver driver;
  TempDir root;
  root.write("app/tax.py", "def tax(x):\n    return x * 2\n");
  fim::SourceIndex index(driver.io.get_executor());
  index.configure(1000000, fim::default_context_exclude());
  const fim::ImportCandidates imports{{"app/tax.py"}, {"app/missing.py"}, {".env"}};

  CHECK_FALSE(index.lookup(root.path(), imports));
  bool done = false;
  index.resolve(root.path(), imports, [&] { done = true; });
  CHECK_FALSE(done); // never called before the worker's read
  REQUIRE(driver.run_until([&] { return done; }));
  auto files = index.lookup(root.path(), imports);
  REQUIRE(files);
  REQUIRE(files->size() == 1);
  CHECK((*files)[0]->relative == "app/tax.py");
  CHECK((*files)[0]->text->text == "def tax(x):\n    return x * 2\n");
  CHECK(index.files() == 1);

  // Deleted between the index and a request: the request uses what was read, nothing breaks.
  fs::remove(root.path() + "/app/tax.py");
  files = index.lookup(root.path(), imports);
  REQUIRE(files);
  CHECK((*files)[0]->text->text.starts_with("def tax"));
  // Told (didChangeWatchedFiles): read again, and now it resolves to nothing.
  index.invalidate(root.path() + "/app/tax.py");
  CHECK_FALSE(index.lookup(root.path(), imports));
  done = false;
  index.resolve(root.path(), imports, [&] { done = true; });
  REQUIRE(driver.run_until([&] { return done; }));
  files = index.lookup(root.path(), imports);
  REQUIRE(files);
  CHECK(files->empty());
  CHECK(index.files() == 0);
}

TEST_CASE("source index: go.mod is read once per root") {
  IoDriver driver;
  TempDir root, bare;
  root.write("go.mod", "module example.com/shop\n\ngo 1.21\n");
  fim::SourceIndex index(driver.io.get_executor());
  CHECK(index.go_module(root.path()) == nullptr);
  int done = 0;
  index.read_go_module(root.path(), [&] { ++done; });
  index.read_go_module(bare.path(), [&] { ++done; });
  REQUIRE(driver.run_until([&] { return done == 2; }));
  REQUIRE(index.go_module(root.path()));
  CHECK(*index.go_module(root.path()) == "example.com/shop");
  REQUIRE(index.go_module(bare.path()));
  CHECK(index.go_module(bare.path())->empty());
}

} // namespace fimlsp::test
