import { test } from "node:test";
import assert from "node:assert/strict";
import { statusView } from "../status";

const usage = { requests: 3, promptTokens: 1840, completionTokens: 96 };

test("off in the editor wins over any server state", () => {
  assert.equal(statusView(false, { state: "busy" }).text, "$(circle-slash) fim");
  assert.match(statusView(false).tooltip, /click: turn on/);
  assert.match(statusView(true).tooltip, /click: turn off, set the API key, show the log/);
});

test("each server state has its icon; the tooltip says why and counts the tokens", () => {
  assert.equal(statusView(true).text, "$(sparkle) fim");
  assert.equal(statusView(true, { state: "busy", usage }).text, "$(sync~spin) fim");
  const error = statusView(true, { state: "error", message: "HTTP 401 from the endpoint", usage });
  assert.equal(error.text, "$(warning) fim");
  assert.match(error.tooltip, /HTTP 401 from the endpoint/);
  assert.match(error.tooltip, /3 requests, 1840 prompt tokens, 96 completion tokens/);
  assert.match(statusView(true, { state: "backoff", until: "2026-12-02T15:30:00.000Z" }).tooltip, /rate limited until/);
  assert.match(statusView(true, { state: "disabled", message: "no API key: set $DASHSCOPE_API_KEY" }).tooltip,
    /DASHSCOPE_API_KEY/);
});
