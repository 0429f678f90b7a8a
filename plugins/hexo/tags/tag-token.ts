// One `{% … %}` as Hexo reads it: its arguments (Hexo's `_parseArgs`, §9.3) and its place in the note.
import { lineIndexAt } from "./lines.ts";
import type { TagToken } from "./scan.ts";

/**
 * Hexo's `_parseArgs`: whitespace separates arguments; a quoted string (`"…"` or `'…'`, Nunjucks escapes
 * `\n \t \r \x`) is part of one argument with its quotes removed; each argument is trimmed, empty ones dropped.
 * An unterminated quote is kept as a literal character.
 */
export function parseTagArgs(text: string): string[] {
  const args: string[] = [];
  let item = "";
  const flush = (): void => {
    const t = item.trim();
    if (t !== "") args.push(t);
    item = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      flush();
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const close = findClosingQuote(text, i, text.length);
      if (close !== -1) {
        item += unescapeNunjucks(text.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    item += c;
    i++;
  }
  flush();
  return args;
}

function findClosingQuote(s: string, open: number, limit: number): number {
  const q = s[open];
  for (let k = open + 1; k < limit; k++) {
    if (s[k] === "\\") {
      k++;
      continue;
    }
    if (s[k] === q) return k;
  }
  return -1;
}

function unescapeNunjucks(s: string): string {
  return s.replace(/\\(.)/gs, (_, ch: string) => (ch === "n" ? "\n" : ch === "t" ? "\t" : ch === "r" ? "\r" : ch));
}

/** Parse the tag starting at `i` (`{%`), ending before `limit`. */
export function parseTagAt(
  src: string,
  i: number,
  limit: number,
  starts: readonly number[],
  bodyLine: number,
): TagToken | undefined {
  let j = i + 2;
  if (src[j] === "-") j++;
  while (j < limit && /\s/.test(src[j])) j++;
  const nameRe = /[A-Za-z_](?:[\w-]*\w)?/y;
  nameRe.lastIndex = j;
  const m = nameRe.exec(src);
  if (!m) return undefined;
  const nameEnd = j + m[0].length;
  const close = src.indexOf("%}", nameEnd);
  if (close === -1 || close + 2 > limit) return undefined;
  let argText = src.slice(nameEnd, close);
  if (argText !== "" && !/^[\s"']/.test(argText) && !/^-$/.test(argText)) return undefined;
  if (argText.endsWith("-")) argText = argText.slice(0, -1);
  const end = close + 2;
  const isEnd = m[0].startsWith("end") && m[0].length > 3;
  return {
    kind: isEnd ? "end" : "tag",
    name: isEnd ? m[0].slice(3) : m[0],
    args: parseTagArgs(argText),
    source: src.slice(i, end),
    start: i,
    end,
    line: bodyLine + lineIndexAt(starts, i),
    endLine: bodyLine + lineIndexAt(starts, end - 1),
  };
}

/** The first `{% endname %}` after `from`, anywhere (the body of code/raw tags is opaque). */
export function findEndTag(
  src: string,
  from: number,
  name: string,
  starts: readonly number[],
  bodyLine: number,
): TagToken | undefined {
  const re = new RegExp(`\\{%-?\\s*end${name.replace(/[-]/g, "\\-")}\\s*-?%\\}`, "g");
  re.lastIndex = from;
  const m = re.exec(src);
  if (!m) return undefined;
  return {
    kind: "end",
    name,
    args: [],
    source: m[0],
    start: m.index,
    end: m.index + m[0].length,
    line: bodyLine + lineIndexAt(starts, m.index),
    endLine: bodyLine + lineIndexAt(starts, m.index + m[0].length - 1),
  };
}
