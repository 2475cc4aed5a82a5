#include "fimlsp/fim/context/workspace_files.hpp"
#include "fimlsp/fim/settings.hpp"
#include "support/temp_dir.hpp"
#include <doctest/doctest.h>
#include <filesystem>

namespace fimlsp::test {

namespace fs = std::filesystem;
using fim::ReadStatus;

TEST_CASE("workspace files: read inside the root, refused outside, excluded never opened") {
  TempDir outside, root;
  outside.write("notes.txt", "OUTSIDE-MARKER\n");
  root.write("src/tax.py", "def tax(x):\n    return x\n");
  root.write(".env", "API_KEY=ENV-MARKER\n");
  fs::create_symlink(outside.path() + "/notes.txt", root.path() + "/src/link.py");
  fs::create_symlink(outside.path(), root.path() + "/linked_dir");
  fs::create_symlink(root.path() + "/.env", root.path() + "/src/settings.py"); // inside, to an excluded file
  const auto exclude = fim::default_context_exclude();
  const fim::ReadLimits limits{1000, exclude};

  auto ok = fim::read_workspace_file(root.path(), "src/tax.py", limits);
  CHECK(ok.status == ReadStatus::ok);
  CHECK(ok.text == "def tax(x):\n    return x\n");
  CHECK(ok.stamp.size == ok.text.size());
  CHECK(fim::read_workspace_file(root.path(), "src/link.py", limits).status == ReadStatus::outside_root);
  CHECK(fim::read_workspace_file(root.path(), "linked_dir/notes.txt", limits).status ==
        ReadStatus::outside_root);
  CHECK(fim::read_workspace_file(root.path(),
                                 "../" + fs::path(outside.path()).filename().string() + "/notes.txt", limits)
            .status == ReadStatus::outside_root);
  CHECK(fim::read_workspace_file(root.path(), outside.path() + "/notes.txt", limits).status ==
        ReadStatus::outside_root);
  CHECK(fim::read_workspace_file(root.path(), ".env", limits).status == ReadStatus::excluded);
  CHECK(fim::read_workspace_file(root.path(), "src/settings.py", limits).status == ReadStatus::excluded);
  CHECK(fim::read_workspace_file(root.path(), "src/none.py", limits).status == ReadStatus::missing);
  CHECK(fim::read_workspace_file(root.path(), "src", limits).status == ReadStatus::not_a_file);
  CHECK(fim::stat_workspace_file(root.path(), "src/tax.py", limits).stamp == ok.stamp);
}

TEST_CASE("workspace files: size limit, binary files, non-UTF-8 text, a file deleted") {
  TempDir root;
  root.write("big.txt", std::string(2000, 'x'));
  root.write("image.png", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));
  root.write("latin1.c", "/* caf\xe9 */\nint x;\n\xff\xfe\n");
  const std::vector<std::string> none;
  const fim::ReadLimits limits{1000, none};
  CHECK(fim::read_workspace_file(root.path(), "big.txt", limits).status == ReadStatus::too_large);
  CHECK(fim::stat_workspace_file(root.path(), "big.txt", limits).status == ReadStatus::too_large);
  CHECK(fim::read_workspace_file(root.path(), "image.png", limits).status == ReadStatus::binary);
  auto latin = fim::read_workspace_file(root.path(), "latin1.c", limits);
  REQUIRE(latin.status == ReadStatus::ok);
  CHECK(latin.text == "/* caf\xef\xbf\xbd */\nint x;\n\xef\xbf\xbd\xef\xbf\xbd\n");
  CHECK(fim::valid_utf8("ok \xc3\xa9 \xf0\x9f\x98\x80 \xed\xa0\x80 \xc0\xaf") ==
        "ok \xc3\xa9 \xf0\x9f\x98\x80 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd");
  fs::remove(root.path() + "/latin1.c");
  CHECK(fim::read_workspace_file(root.path(), "latin1.c", limits).status == ReadStatus::missing);
  CHECK(fim::stat_workspace_file(root.path(), "latin1.c", limits).status == ReadStatus::missing);
}

TEST_CASE("workspace files: a Go package's files, without its tests") {
  TempDir root;
  root.write("tax/b.go", "package tax\n");
  root.write("tax/a.go", "package tax\n");
  root.write("tax/a_test.go", "package tax\n");
  root.write("tax/README.md", "x\n");
  const std::vector<std::string> none;
  CHECK(fim::go_package_files(root.path(), "tax/", {1000, none}, 4) ==
        std::vector<std::string>{"tax/a.go", "tax/b.go"});
  CHECK(fim::go_package_files(root.path(), "tax/", {1000, none}, 1) == std::vector<std::string>{"tax/a.go"});
  CHECK(fim::go_package_files(root.path(), "none/", {1000, none}, 4).empty());
}

} // namespace fimlsp::test
