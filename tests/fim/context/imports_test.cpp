#include "fimlsp/fim/context/imports.hpp"
#include <algorithm>
#include <doctest/doctest.h>

namespace fimlsp::test {

using Imports = std::vector<std::vector<std::string>>;

TEST_CASE("imports: Python import and from … import, absolute and relative") {
  const auto got = fim::import_candidates("python", "app/main.py",
                                          "import os\nfrom app.tax import rate, vat\nfrom . import util\n"
                                          "import pkg.mod as m, other\nx = 1\n",
                                          "");
  REQUIRE(got.size() == 7);
  CHECK(got[0] == std::vector<std::string>{"os.py", "os/__init__.py", "src/os.py", "src/os/__init__.py",
                                           "app/os.py", "app/os/__init__.py"});
  CHECK(got[1].front() == "app/tax.py");
  CHECK(got[2].front() == "app/tax/rate.py"); // each imported name may be a module
  CHECK(got[3].front() == "app/tax/vat.py");
  CHECK(got[4] == std::vector<std::string>{"app/util.py"});
  CHECK(got[5].front() == "pkg/mod.py");
  CHECK(got[6].front() == "other.py");
}

TEST_CASE("imports: JavaScript and TypeScript relative specifiers only") {
  const auto got = fim::import_candidates("javascript", "src/cart.ts",
                                          "import { tax } from './tax';\nimport React from 'react';\n"
                                          "const m = require(\"../lib/money.js\");\nimport './side-effect'\n"
                                          "export * from './reexport'\n",
                                          "");
  REQUIRE(got.size() == 4);
  CHECK(got[0].front() == "src/tax.ts");
  CHECK(std::find(got[0].begin(), got[0].end(), "src/tax/index.js") != got[0].end());
  CHECK(got[1][0] == "lib/money.js");
  CHECK(got[1][1] == "lib/money.ts");
  CHECK(got[2].front() == "src/side-effect.ts");
  CHECK(got[3].front() == "src/reexport.ts");
  // Out of the root: dropped.
  CHECK(fim::import_candidates("javascript", "a.ts", "import x from '../../x'\n", "").empty());
}

TEST_CASE("imports: Go imports within the module") {
  const std::string head = "package main\n\nimport \"example.com/shop/tax\"\nimport (\n\t\"fmt\"\n"
                           "\tm \"example.com/shop/internal/money\"\n)\n";
  const auto got = fim::import_candidates("go", "cmd/main.go", head, "example.com/shop");
  CHECK(got == Imports{{"tax/"}, {"internal/money/"}});
  CHECK(fim::import_candidates("go", "cmd/main.go", head, "").empty());
  CHECK(fim::go_module_path("// x\nmodule example.com/shop\n\ngo 1.21\n") == "example.com/shop");
}

TEST_CASE("imports: Rust mod and use crate::") {
  const auto got = fim::import_candidates(
      "rust", "src/main.rs",
      "mod tax;\npub mod money;\nmod inline { }\nuse crate::shop::cart::Cart;\nuse std::io;\n", "");
  REQUIRE(got.size() == 3);
  CHECK(got[0] == std::vector<std::string>{"src/tax.rs", "src/tax/mod.rs"});
  CHECK(got[1] == std::vector<std::string>{"src/money.rs", "src/money/mod.rs"});
  CHECK(got[2] == std::vector<std::string>{"src/shop/cart/Cart.rs", "src/shop/cart/Cart/mod.rs",
                                           "src/shop/cart.rs", "src/shop/cart/mod.rs", "src/shop.rs",
                                           "src/shop/mod.rs"});
  // mod in a non-root file: its own directory.
  CHECK(fim::import_candidates("rust", "src/shop.rs", "mod cart;\n", "") ==
        Imports{{"src/shop/cart.rs", "src/shop/cart/mod.rs"}});
}

TEST_CASE("imports: C and C++ quoted includes, Java imports of the same source root") {
  CHECK(fim::import_candidates("c", "src/main.c", "#include <stdio.h>\n#  include \"tax.h\"\n", "") ==
        Imports{{"src/tax.h", "tax.h", "include/tax.h"}});
  CHECK(fim::import_candidates("java", "src/main/java/com/shop/Cart.java",
                               "package com.shop;\nimport com.shop.tax.Tax;\nimport java.util.*;\n"
                               "import static com.shop.Money.cents;\n",
                               "") ==
        Imports{{"src/main/java/com/shop/tax/Tax.java"}, {"src/main/java/com/shop/Money.java"}});
  CHECK(fim::import_language("", "a/b.tsx") == "javascript");
  CHECK(fim::import_language("cpp", "x") == "c");
  CHECK(fim::import_language("plaintext", "notes.txt") == "");
  CHECK(fim::join_path("a/b", "../c/./d") == "a/c/d");
  CHECK(fim::join_path("a", "../../x") == "");
}

} // namespace fimlsp::test
