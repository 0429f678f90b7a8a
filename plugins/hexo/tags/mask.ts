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

/**
 * True when masking `nodes` cannot change how markdown-it splits `src` into blocks, so that another scan round
 * on the masked text would find the same code regions, and so the same tags: every tag is a known one-line tag
 * without body that the mask turns into letters (not into an HTML-block placeholder: the conservative side), and
 * the text it replaces has none of the characters a block rule reads inside a line: `|` (table rows), `` ` `` (a
 * fence's info), `>` (the end of an HTML block), nor does its line have a `<` (a line that is one HTML tag opens a
 * block, and a tag inside an attribute can make or break it). A link reference definition (`[a]: …`) can take a
 * tag as its destination and run on into the next line: a note with `]:` gets the next round.
 */
export function maskKeepsBlocks(src: string, nodes: readonly TagNode[]): boolean {
  if (src.includes("]:")) return false;
  for (const n of nodes) {
    if (n.type !== "inline" || (n.class !== "inline" && n.class !== "text")) return false;
    const { source, start, end } = n.open;
    if (/[\n|`>]/.test(source)) return false;
    const lineStart = src.lastIndexOf("\n", start - 1) + 1;
    const lineEnd = src.indexOf("\n", end);
    if (src.slice(lineStart, lineEnd < 0 ? src.length : lineEnd).includes("<")) return false;
    // alone on its line, an inline tag's placeholder is an HTML comment: an HTML block (see placeholder above)
    if (n.class === "inline" && isAloneOnLine(src, start, end)) return false;
  }
  return true;
}
