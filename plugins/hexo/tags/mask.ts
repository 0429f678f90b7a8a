// Masking: the text as the expander will leave it (tags replaced by placeholders, fences or blanks), so that the
// next round of scanning sees the code regions the rendered note will have.
import { isAloneOnLine, isContainerPrefix } from "./lines.ts";
import type { TagNode, TagToken } from "./scan.ts";

export function maskFor(src: string, nodes: readonly TagNode[]): string {
  const parts: string[] = [];
  let last = 0;
  const put = (start: number, end: number, text: string): void => {
    parts.push(src.slice(last, start), text);
    last = end;
  };
  const fill = (s: string, ch: string): string => s.replace(/[^\n]/g, ch);
  const keepPrefixes = (s: string, ch: string): string =>
    s.replace(/(^|\n)([ \t>]*)([^\n]*)/g, (_, nl: string, pre: string, rest: string) => nl + pre + fill(rest, ch));
  const drop = (t: TagToken): void => {
    put(t.start, t.end, isAloneOnLine(src, t.start, t.end) ? fill(t.source, " ") : keepPrefixes(t.source, "x"));
  };
  const placeholder = (start: number, end: number): void => {
    const s = src.slice(start, end);
    // an HTML block where the expander's placeholder is one (see expand.ts), text elsewhere
    const lineStart = src.lastIndexOf("\n", start - 1) + 1;
    const block = isContainerPrefix(src.slice(lineStart, start)) && (s.includes("\n") || isAloneOnLine(src, start, end));
    if (!block || s.length < 7) return put(start, end, keepPrefixes(s, "x"));
    const inner = keepPrefixes(s.slice(4, -3), "x");
    put(start, end, "<!--" + inner + "-->");
  };
  const walk = (list: readonly TagNode[]): void => {
    for (const n of list) {
      if (n.type === "stray-end" || n.class === undefined) {
        drop(n.open);
        walk(n.children);
        if (n.close) drop(n.close);
        continue;
      }
      if (n.type === "unclosed") {
        drop(n.open);
        walk(n.children);
        continue;
      }
      if (n.class === "raw") {
        drop(n.open);
        if (n.close) drop(n.close);
        continue;
      }
      if (n.class === "code") {
        if (n.close && isAloneOnLine(src, n.open.start, n.open.end) && isAloneOnLine(src, n.close.start, n.close.end)) {
          const open = n.open.source;
          put(n.open.start, n.open.end, "~~~~" + fill(open.slice(4), "x"));
          put(n.open.end, n.close.start, keepPrefixes(src.slice(n.open.end, n.close.start), "x"));
          put(n.close.start, n.close.end, "~~~~" + fill(n.close.source.slice(4), " "));
        } else placeholder(n.start, n.end);
        continue;
      }
      if (n.class === "text") {
        put(n.start, n.end, keepPrefixes(n.open.source, "x"));
        continue;
      }
      if (n.class === "block" && n.close) {
        placeholder(n.open.start, n.open.end);
        walk(n.children);
        placeholder(n.close.start, n.close.end);
        continue;
      }
      placeholder(n.start, n.end);
    }
  };
  walk(nodes);
  parts.push(src.slice(last));
  return parts.join("");
}
