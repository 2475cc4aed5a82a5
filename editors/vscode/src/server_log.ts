// The server's log lines ("W 09:09:39.514 fim-lsp: ...") at their own level in VS Code's log
// channel, which adds its own time and level (the client would write every stderr line as an error).
export type LogLevel = "error" | "warn" | "info" | "debug";

const LEVELS: Record<string, LogLevel> = { E: "error", W: "warn", I: "info", D: "debug" };

export function serverLogLine(line: string): { level: LogLevel; text: string } {
  const m = /^([EWID]) \d\d:\d\d:\d\d\.\d{3} (.*)$/s.exec(line);
  return m ? { level: LEVELS[m[1]], text: m[2] } : { level: "info", text: line };
}
