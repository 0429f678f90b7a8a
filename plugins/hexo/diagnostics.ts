// The edge where diagnostic values become messages: `file:line: error: message (hint)`.
import type { Diagnostic } from "./types.ts";

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}` : d.file;
  return `${where}: ${d.severity}: ${d.message}${d.hint ? `\n  → ${d.hint}` : ""}`;
}
