#include "fimlsp/fim/context/exclude.hpp"
#include "fimlsp/fim/settings.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

TEST_CASE("exclude: the default list keeps secrets, VCS, dependencies and build outputs out") {
  const auto d = fim::default_context_exclude();
  for (const char* path : {".env",
                           ".env.local",
                           "config/.env.production",
                           "certs/server.pem",
                           "tls/server.key",
                           "id_rsa",
                           "home/.ssh/id_rsa.pub",
                           "id_ed25519",
                           "app/client_secret.json",
                           "Secrets.yaml",
                           "aws/credentials.txt",
                           ".git/config",
                           "sub/.git/HEAD",
                           "node_modules/left-pad/index.js",
                           "web/node_modules/x.js",
                           "build/main.o",
                           "dist/app.js",
                           "target/debug/app.d",
                           "__pycache__/m.pyc",
                           ".venv/lib/site.py",
                           "assets/app.min.js",
                           ".npmrc"}) {
    CAPTURE(path);
    CHECK(fim::is_excluded(path, d));
  }
  for (const char* path : {"src/main.py", "environment.py", "src/keys.py", "lib/build_tool.py", "builder/x.c",
                           "docs/git.md", "src/envelope.ts", "include/fimlsp/fim/plan.hpp"}) {
    CAPTURE(path);
    CHECK_FALSE(fim::is_excluded(path, d));
  }
}

TEST_CASE("exclude: pattern kinds") {
  const std::vector<std::string> p{"config/*.json", "**/fixtures/**", "/top.txt", "logs/"};
  CHECK(fim::is_excluded("config/a.json", p));
  CHECK_FALSE(fim::is_excluded("config/deep/a.json", p));
  CHECK_FALSE(fim::is_excluded("other/config/a.json", p));
  CHECK(fim::is_excluded("fixtures/a.txt", p));
  CHECK(fim::is_excluded("tests/fixtures/deep/b.txt", p));
  CHECK(fim::is_excluded("top.txt", p));
  CHECK(fim::is_excluded("logs/today.log", p));
  CHECK(fim::is_excluded("app/logs/today.log", p));
  CHECK_FALSE(fim::is_excluded("logs", p)); // a file named like the directory
  CHECK_FALSE(fim::is_excluded("src/a.json", p));
  CHECK(fim::is_excluded("anything", std::vector<std::string>{"*"}));
  CHECK_FALSE(fim::is_excluded("anything", std::vector<std::string>{}));
}

TEST_CASE("exclude: glob_match") {
  CHECK(fim::glob_match("*.PEM", "a.pem"));
  CHECK(fim::glob_match("a?c", "abc"));
  CHECK_FALSE(fim::glob_match("a?c", "a/c"));
  CHECK_FALSE(fim::glob_match("*", "a/b"));
  CHECK(fim::glob_match("**", "a/b"));
  CHECK(fim::glob_match("a/**/b", "a/b"));
  CHECK(fim::glob_match("a/**/b", "a/x/y/b"));
  CHECK_FALSE(fim::glob_match("a*", ""));
  CHECK(fim::glob_match("*secret*", "my-secret-file"));
}

} // namespace fimlsp::test
