import { test } from "node:test";
import assert from "node:assert/strict";
import { serverLogLine } from "../server_log";

test("each server log line at its own level, without the server's time", () => {
  assert.deepEqual(serverLogLine("E 09:09:39.514 fim-lsp: TLS failed"), { level: "error", text: "fim-lsp: TLS failed" });
  assert.deepEqual(serverLogLine("W 10:00:00.000 fim-lsp: 429"), { level: "warn", text: "fim-lsp: 429" });
  assert.deepEqual(serverLogLine("I 10:00:00.000 fim-lsp: client code"), { level: "info", text: "fim-lsp: client code" });
  assert.deepEqual(serverLogLine("D 10:00:00.000 fim-lsp: <<< initialize(1)"), {
    level: "debug",
    text: "fim-lsp: <<< initialize(1)",
  });
});

test("a line of another shape is kept whole, as info", () => {
  assert.deepEqual(serverLogLine("fim-lsp: cannot open the log file"), { level: "info", text: "fim-lsp: cannot open the log file" });
  assert.deepEqual(serverLogLine("X 10:00:00.000 odd"), { level: "info", text: "X 10:00:00.000 odd" });
});
