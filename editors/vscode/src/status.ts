// The status bar item's text and tooltip from the server's fimLsp/status notification.

export interface ServerStatus {
  state: "ready" | "busy" | "error" | "backoff" | "disabled";
  message?: string;
  until?: string; // ISO 8601, UTC
  usage?: { requests: number; promptTokens: number; completionTokens: number };
}

export interface StatusView {
  text: string;
  tooltip: string;
}

const ICONS: Record<ServerStatus["state"], string> = {
  ready: "$(sparkle)",
  busy: "$(sync~spin)",
  error: "$(warning)",
  backoff: "$(watch)",
  disabled: "$(warning)",
};

// `on`: completions turned on in the editor; `status`: the server's latest, if any yet.
export function statusView(on: boolean, status?: ServerStatus): StatusView {
  const click = `click: turn ${on ? "off" : "on"}, set the API key, show the log`;
  if (!on) return { text: "$(circle-slash) fim", tooltip: `fim-lsp completions off (${click})` };
  const lines: string[] = [];
  const state = status?.state ?? "ready";
  if (state === "ready") lines.push("fim-lsp completions on");
  if (state === "busy") lines.push("fim-lsp: waiting for the model");
  if (state === "error") lines.push(`fim-lsp: ${status?.message ?? "the last request failed"}`);
  if (state === "backoff")
    lines.push(`fim-lsp: rate limited${status?.until ? ` until ${new Date(status.until).toLocaleTimeString()}` : ""}`);
  if (state === "disabled") lines.push(`fim-lsp: ${status?.message ?? "cannot send requests"}`);
  const u = status?.usage;
  if (u) lines.push(`${u.requests} requests, ${u.promptTokens} prompt tokens, ${u.completionTokens} completion tokens`);
  lines.push(`(${click})`);
  return { text: `${ICONS[state] ?? ICONS.ready} fim`, tooltip: lines.join("\n") };
}
