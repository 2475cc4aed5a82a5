// Other files in the prompt, end to end: a workspace on disk, the real fim-lsp over pipes, and
// what the loopback backend receives.
#include "support/lsp_process.hpp"
#include "support/session.hpp"
#include "support/temp_dir.hpp"
#include "support/test_backend.hpp"
#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>

using namespace fimlsp::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// A workspace directory as the root (rootUri), the server configured against the test backend.
struct Workspace {
  explicit Workspace(json::object context = {}, std::string model_template = "qwen",
                     json::object capabilities = {})
      : lsp({"--stdio", "--log-level", "debug"}, {std::string("DASHSCOPE_API_KEY=") + kTestKey}) {
    json::object options{
        {"endpoint", {{"baseUrl", backend.base_url()}, {"caFile", backend.ca_file()}, {"timeoutMs", 2000}}},
        {"template", model_template},
        {"suggestion", {{"prefetch", false}}}}; // the tests count the backend's requests
    if (!context.empty()) options["context"] = context;
    const auto id = lsp.request("initialize", {{"processId", nullptr},
                                               {"rootUri", uri("")},
                                               {"capabilities", capabilities},
                                               {"initializationOptions", options}});
    if (!lsp.wait_response(id)) throw std::runtime_error("no reply to initialize");
    lsp.notify("initialized", json::object());
  }

  std::string uri(const std::string& relative) const {
    return "file://" + dir.path() + (relative.empty() ? "" : "/" + relative);
  }
  std::string name() const { return fs::path(dir.path()).filename().string(); }

  void open(const std::string& relative, const std::string& text, const std::string& language = "python") {
    lsp.notify("textDocument/didOpen",
               {{"textDocument",
                 {{"uri", uri(relative)}, {"languageId", language}, {"version", 1}, {"text", text}}}});
  }
  void insert(const std::string& relative, std::uint32_t line, std::uint32_t character,
              const std::string& text) {
    json::object at{{"line", line}, {"character", character}};
    lsp.notify("textDocument/didChange",
               {{"textDocument", {{"uri", uri(relative)}, {"version", ++version}}},
                {"contentChanges", {{{"range", {{"start", at}, {"end", at}}}, {"text", text}}}}});
  }
  std::string complete(const std::string& relative, std::uint32_t line, std::uint32_t character) {
    const auto id = lsp.request("textDocument/inlineCompletion",
                                {{"textDocument", {{"uri", uri(relative)}}},
                                 {"position", {{"line", line}, {"character", character}}},
                                 {"context", {{"triggerKind", 2}}}});
    auto reply = lsp.wait_response(id);
    if (!reply) throw std::runtime_error("no reply; stderr:\n" + lsp.stderr_text());
    const auto& items = reply->at("result").at("items").as_array();
    return items.empty() ? "" : std::string(items[0].at("insertText").as_string());
  }
  std::string prompt(std::size_t i) const {
    return std::string(json::parse(backend.requests().at(i).body).at("prompt").as_string());
  }
  bool any_request_contains(const std::string& marker) const {
    for (auto& r : backend.requests())
      if (r.body.find(marker) != std::string::npos) return true;
    return false;
  }

  TempDir dir;
  TestBackend backend;
  LspProcess lsp;
  std::int64_t version = 1;
};

Reply text(std::string t) {
  Reply r;
  r.chunks = {std::move(t)};
  return r;
}

const std::string kTax =
    "RATE = 0.2\n\n\ndef compute_tax(amount, rate=RATE):\n    return round(amount * rate, 2)\n";

} // namespace

TEST_SUITE("other files") {

  TEST_CASE("two open files: the other one's definition, with its path, in qwen's repository format") {
    Workspace w;
    w.backend.set_reply(text("100)"));
    w.open("src/tax.py", kTax); // open only: it is not on disk
    w.open("src/main.py", "total = compute_tax(");
    CHECK(w.complete("src/main.py", 0, 20) == "100)");
    CHECK(w.prompt(0) == "<|repo_name|>" + w.name() + "\n<|file_sep|>src/tax.py\n" + kTax +
                             "<|file_sep|>src/main.py\n<|fim_prefix|>total = compute_tax(<|fim_suffix|>");
    // The log names the file and its bytes, never its content.
    const std::string log = w.lsp.stderr_text();
    CHECK(log.find("context: 1 other file(s): src/tax.py (") != std::string::npos);
    CHECK(log.find("round(amount") == std::string::npos);
  }

  TEST_CASE("comments for families without repository tokens; none at all when switched off") {
    SUBCASE("codellama") {
      Workspace w({}, "codellama");
      w.backend.set_reply(text("100)"));
      w.open("src/tax.py", kTax);
      w.open("src/main.py", "total = compute_tax(\n");
      CHECK(w.complete("src/main.py", 0, 20) == "100)");
      CHECK(w.prompt(0) ==
            "<PRE> # Path: src/tax.py\n# RATE = 0.2\n#\n#\n# def compute_tax(amount, rate=RATE):\n"
            "#     return round(amount * rate, 2)\ntotal = compute_tax( <SUF>\n <MID>");
    }
    SUBCASE("context.otherFiles false") {
      Workspace w({{"otherFiles", false}});
      w.backend.set_reply(text("100)"));
      w.open("src/tax.py", kTax);
      w.open("src/main.py", "total = compute_tax(");
      CHECK(w.complete("src/main.py", 0, 20) == "100)");
      CHECK(w.prompt(0) == "<|fim_prefix|>total = compute_tax(<|fim_suffix|>");
    }
  }

  TEST_CASE("imports read from disk; excluded files, open or not, and links out of the root never sent") {
    TempDir outside;
    outside.write("notes.py", "OUTSIDE_MARKER_51c2 = 1\ndef shipping_cost(): pass\n");
    Workspace w;
    // A long module whose relevant function is in the middle.
    std::string shipping;
    for (int i = 0; i < 150; ++i)
      shipping +=
          "def helper_" + std::to_string(i) + "(value):\n    return value + " + std::to_string(i) + "\n";
    shipping +=
        "def shipping_cost(weight_kg, distance_km):\n    return 4.5 + weight_kg * distance_km * 0.01\n";
    for (int i = 0; i < 150; ++i)
      shipping += "def other_" + std::to_string(i) + "(item):\n    return item * " + std::to_string(i) + "\n";
    w.dir.write("lib/shipping.py", shipping);
    w.dir.write(".env", "SHIPPING_KEY=ENV_MARKER_9d41 shipping_cost weight_kg\n");
    w.dir.write("lib/secrets.py", "SECRET_MARKER_77aa = 'shipping_cost weight_kg distance_km'\n");
    fs::create_symlink(outside.path() + "/notes.py", w.dir.path() + "/lib/notes.py");
    w.open(".env", "SHIPPING_KEY=ENV_MARKER_9d41 shipping_cost weight_kg\n",
           "dotenv"); // open in the editor too
    w.backend.set_reply(text("parcel.weight_kg, route.distance_km)"));
    w.open("app.py", "from lib.shipping import shipping_cost\nfrom lib import notes, secrets\n\n"
                     "cost = shipping_cost(");
    CHECK(w.complete("app.py", 3, 21) == "parcel.weight_kg, route.distance_km)");
    const std::string p = w.prompt(0);
    CHECK(p.find("<|file_sep|>lib/shipping.py\n") != std::string::npos);
    CHECK(p.find("def shipping_cost(weight_kg, distance_km):\n") != std::string::npos);
    CHECK(p.find("def helper_0(") == std::string::npos); // the window, not the file's first lines
    CHECK(p.size() < 4000 + 400);
    CHECK_FALSE(w.any_request_contains("ENV_MARKER_9d41"));
    CHECK_FALSE(w.any_request_contains("SECRET_MARKER_77aa"));
    CHECK_FALSE(w.any_request_contains("OUTSIDE_MARKER_51c2"));
    const std::string log = w.lsp.stderr_text();
    CHECK(log.find("lib/shipping.py (") != std::string::npos);
    CHECK(log.find(".env") == std::string::npos);
    CHECK(log.find("secrets.py") == std::string::npos);

    // Deleted after it was read: the next request still works (from the index) and, once the
    // editor says so, the file is gone from the prompt.
    fs::remove(w.dir.path() + "/lib/shipping.py");
    w.backend.set_reply(text("1)"));
    w.insert("app.py", 3, 21, "w");
    CHECK(w.complete("app.py", 3, 22) == "1)");
    w.lsp.notify("workspace/didChangeWatchedFiles",
                 {{"changes", {{{"uri", w.uri("lib/shipping.py")}, {"type", 3}}}}});
    w.insert("app.py", 3, 22, "e");
    CHECK(w.complete("app.py", 3, 23) == "1)");
    REQUIRE(w.backend.requests().size() == 3);
    CHECK(w.prompt(1).find("<|file_sep|>lib/shipping.py\n") != std::string::npos);
    CHECK(w.prompt(2).find("lib/shipping.py") == std::string::npos);
    CHECK(w.prompt(2) ==
          "<|fim_prefix|>from lib.shipping import shipping_cost\nfrom lib import notes, secrets\n\n"
          "cost = shipping_cost(we<|fim_suffix|>");
  }

  TEST_CASE("imports only on disk, per language: the imported file's definition with its path") {
    Workspace w;
    w.dir.write("web/tax.ts", "export function vatOf(cents: number): number {\n  return cents / 5;\n}\n");
    w.dir.write("go.mod", "module example.com/shop\n\ngo 1.21\n");
    w.dir.write("tax/tax.go", "package tax\n\nfunc VatOf(cents int) int {\n\treturn cents / 5\n}\n");
    w.dir.write("tax/tax_test.go", "package tax\n\nfunc TestVatOf() { VatOf(1) }\n");
    w.dir.write("crate/src/tax.rs", "pub fn vat_of(cents: u64) -> u64 {\n    cents / 5\n}\n");
    w.dir.write("native/tax.h", "int vat_of(int cents);\n");
    w.dir.write(
        "java/src/com/shop/tax/Tax.java",
        "package com.shop.tax;\npublic class Tax {\n  static int vatOf(int c) { return c / 5; }\n}\n");
    struct Case {
      const char *file, *language, *text, *imported, *definition;
    };
    const Case cases[] = {
        {"web/cart.ts", "typescript", "import { vatOf } from './tax';\nconst v = vatOf(", "web/tax.ts",
         "export function vatOf("},
        {"cmd/main.go", "go", "package main\n\nimport \"example.com/shop/tax\"\n\nvar v = tax.VatOf(",
         "tax/tax.go", "func VatOf("},
        {"crate/src/main.rs", "rust", "mod tax;\nfn main() { let v = tax::vat_of(", "crate/src/tax.rs",
         "pub fn vat_of("},
        {"native/main.c", "c", "#include \"tax.h\"\nint v = vat_of(", "native/tax.h",
         "int vat_of(int cents);"},
        {"java/src/com/shop/Cart.java", "java",
         "package com.shop;\nimport com.shop.tax.Tax;\nclass Cart { int v = Tax.vatOf(",
         "java/src/com/shop/tax/Tax.java", "static int vatOf("},
    };
    w.backend.set_reply(text("100)"));
    std::size_t i = 0;
    for (const Case& c : cases) {
      CAPTURE(c.file);
      w.open(c.file, c.text, c.language);
      const std::string text(c.text);
      const auto line = static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n'));
      const auto column = static_cast<std::uint32_t>(text.size() - text.rfind('\n') - 1);
      CHECK(w.complete(c.file, line, column) == "100)");
      const std::string p = w.prompt(i++);
      CHECK(p.find("<|file_sep|>" + std::string(c.imported) + "\n") != std::string::npos);
      CHECK(p.find(c.definition) != std::string::npos);
      CHECK(p.find("_test.go") == std::string::npos);
      CHECK(p.find("<|file_sep|>" + std::string(c.file) + "\n<|fim_prefix|>" + text + "<|fim_suffix|>") !=
            std::string::npos);
    }
  }

  TEST_CASE("a non-UTF-8 import is sent with U+FFFD in place of its bad bytes; a binary one not at all") {
    Workspace w;
    w.dir.write("menu.py", "CAFE = 'caf\xe9'  # Latin-1\ndef price_of(item):\n    return 3\n");
    w.dir.write("blob.py", std::string("price_of = 1\0\0\0", 15));
    w.backend.set_reply(text("'tea')"));
    w.open("order.py", "from menu import price_of\nfrom blob import x\ntotal = price_of(");
    CHECK(w.complete("order.py", 2, 17) == "'tea')");
    const std::string p = w.prompt(0); // the body parsed as JSON: valid UTF-8
    CHECK(p.find("<|file_sep|>menu.py\nCAFE = 'caf\xef\xbf\xbd'  # Latin-1\n") != std::string::npos);
    CHECK(p.find("blob.py") == std::string::npos);
  }

  TEST_CASE("files changed on disk: the client is asked to watch them, a changed import is read again") {
    Workspace w({}, "qwen", {{"workspace", {{"didChangeWatchedFiles", {{"dynamicRegistration", true}}}}}});
    auto ask = w.lsp.wait_for([](const json::value& m) {
      const auto& o = m.as_object();
      return o.contains("method") && o.at("method") == "client/registerCapability";
    });
    REQUIRE(ask);
    const auto& registration = ask->at("params").at("registrations").at(0);
    CHECK(registration.at("method") == "workspace/didChangeWatchedFiles");
    const std::string glob(
        registration.at("registerOptions").at("watchers").at(0).at("globPattern").as_string());
    CHECK(glob.find("py") != std::string::npos);
    w.lsp.send({{"jsonrpc", "2.0"}, {"id", ask->at("id")}, {"result", nullptr}});

    w.dir.write("rates.py", "VAT_RATE = 0.2\n");
    w.backend.set_reply(text("VAT_RATE"));
    w.open("shop.py", "from rates import VAT_RATE\nprice = 10 * ");
    CHECK(w.complete("shop.py", 1, 13) == "VAT_RATE");
    CHECK(w.prompt(0).find("<|file_sep|>rates.py\nVAT_RATE = 0.2\n") != std::string::npos);
    w.dir.write("rates.py", "VAT_RATE = 0.25\n");
    w.lsp.notify("workspace/didChangeWatchedFiles",
                 {{"changes", {{{"uri", w.uri("rates.py")}, {"type", 2}}}}});
    w.insert("shop.py", 1, 0, "#");
    CHECK(w.complete("shop.py", 1, 14) == "VAT_RATE");
    REQUIRE(w.backend.requests().size() == 2);
    CHECK(w.prompt(1).find("<|file_sep|>rates.py\nVAT_RATE = 0.25\n") != std::string::npos);
  }

  TEST_CASE("twenty open files: within the budget, and typing through the suggestion costs no request") {
    Workspace w({{"maxOtherChars", 700}});
    for (int i = 0; i < 20; ++i) {
      std::string body = "def func_" + std::to_string(i) + "(arg_" + std::to_string(i) + "):\n";
      for (int k = 0; k < 10; ++k)
        body +=
            "    step_" + std::to_string(i) + "_" + std::to_string(k) + " = arg_" + std::to_string(i) + "\n";
      w.open("pkg/mod" + std::to_string(i) + ".py", body);
    }
    w.backend.set_reply(text("arg_7=3, rate=0.5)"));
    w.open("main.py", "def run():\n    result = func_7(\n");
    CHECK(w.complete("main.py", 1, 20) == "arg_7=3, rate=0.5)");
    const std::string p = w.prompt(0);
    CHECK(p.find("<|file_sep|>pkg/mod7.py\ndef func_7(arg_7):\n") != std::string::npos);
    // The budget: everything the other files add to the prompt.
    const std::string plain = "<|fim_prefix|>def run():\n    result = func_7(<|fim_suffix|>\n<|fim_middle|>";
    REQUIRE(p.ends_with("<|file_sep|>main.py\n" + plain));
    CHECK(p.size() > plain.size());
    CHECK(p.size() - plain.size() <= 700);

    const std::string suggestion = "arg_7=3, rate=0.5)";
    for (std::uint32_t i = 0; i < 5; ++i) {
      w.insert("main.py", 1, 20 + i, suggestion.substr(i, 1));
      CHECK(w.complete("main.py", 1, 21 + i) == suggestion.substr(i + 1));
    }
    CHECK(w.backend.requests().size() == 1);

    // Editing another file changes the context: a new request, with the new text.
    w.insert("pkg/mod7.py", 0, 0, "# edited\n");
    w.backend.set_reply(text("x"));
    CHECK(w.complete("main.py", 1, 25) == "x");
    CHECK(w.backend.requests().size() == 2);
  }

} // TEST_SUITE
