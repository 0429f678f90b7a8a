// Find Hexo tags (`{% name args %}` … `{% endname %}`) in a note's Markdown, outside code of any kind.
//
// Verinotes never evaluates Nunjucks: `{{ }}`, `{# #}` stay text, and `{% %}` is looked at only where it
// is not code. "Code" is what the Markdown parser will make code — fenced blocks (``` / ~~~, any length,
// also in lists and block quotes), indented blocks, inline code spans of any number of backticks — plus
// HTML comments and the raw HTML elements <code>, <pre>, <script>, <style>, <textarea>.
// Code regions come from markdown-it's own block parser (so list and quote nesting is exactly the
// renderer's), on a copy of the text in which the tags found in the previous round are masked the way
// the expander will replace them; the rounds stop when the tags found no longer change.
import MarkdownIt, { type Token } from "markdown-it";
import { NUNJUCKS_STATEMENTS, classifyTag } from "./registry.ts";

/** How the expander treats a tag name (see registry.ts); `undefined` = unknown tag. */
export type TagClass =
  /** inline tag with HTML output (placeholder) */
  | "inline"
  /** inline tag whose output is plain text put into the Markdown (a URL) */
  | "text"
  /** block tag with a Markdown body */
  | "block"
  /** block tag with a code body (codeblock/code): body never scanned */
  | "code"
  /** `raw`: body never scanned, kept verbatim */
  | "raw";

export type ClassifyTag = (name: string) => TagClass | undefined;

/** One `{% … %}` as written. */
export interface TagToken {
  /** `end` for `{% endname %}` (then `name` is without the `end`). */
  kind: "tag" | "end";
  name: string;
  args: string[];
  /** Exact source text of the tag. */
  source: string;
  /** Offsets in the body: `{%` … just after `%}`. */
  start: number;
  end: number;
  /** 1-based file line of `{%`. */
  line: number;
  /** 1-based file line of `%}`. */
  endLine: number;
  /** Found in an indented code block of tag lines: a tag only if it pairs (see Range.tagLinesOnly). */
  ifPaired?: boolean;
}

/** A tag with its body, as found in the note. */
export interface TagNode {
  name: string;
  args: string[];
  /**
   * `inline`: a tag without body; `block`: paired with `{% endname %}`;
   * `unclosed`: a block tag (known block, or code/raw) without its end tag;
   * `stray-end`: an `{% endname %}` without opening tag.
   */
  type: "inline" | "block" | "unclosed" | "stray-end";
  /** Classification of the name; `undefined` = unknown tag. */
  class: TagClass | undefined;
  open: TagToken;
  close?: TagToken;
  /** Tags inside the body (never for code/raw bodies). For `unclosed`: the tags that followed it. */
  children: TagNode[];
  /** Span in the body: from the opening `{%` to after the closing `%}` (or the opening tag's end). */
  start: number;
  end: number;
  /** Body span (block tags): just after the opening tag … the closing tag's `{%`. */
  bodyStart?: number;
  bodyEnd?: number;
}

export interface ScanOptions {
  classify?: ClassifyTag;
}

// ---------------------------------------------------------------------------------------------------------
// Arguments (§9.3)

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

// ---------------------------------------------------------------------------------------------------------
// Lines

/** Offsets of the start of every line. */
export function lineStarts(s: string): number[] {
  const starts = [0];
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based index of the line holding offset `off`. */
export function lineIndexAt(starts: readonly number[], off: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Text before a tag that only opens containers (indentation, `>`, list markers): the tag starts a block. */
export function isContainerPrefix(before: string): boolean {
  return /^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*$/.test(before);
}

/** Line prefix that keeps later lines in the containers `before` opened (list markers become spaces). */
export function continuationPrefix(before: string): string {
  const m = /^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*/.exec(before);
  return (m ? m[0] : "").replace(/[-*+]|\d{1,9}[.)]/g, (x) => " ".repeat(x.length));
}

/** Does the span [start, end) sit alone on its line(s) (only container prefix before, blanks after)? */
export function isAloneOnLine(src: string, start: number, end: number): boolean {
  const ls = src.lastIndexOf("\n", start - 1) + 1;
  let le = src.indexOf("\n", end);
  if (le === -1) le = src.length;
  return isContainerPrefix(src.slice(ls, start)) && src.slice(end, le).trim() === "";
}

// ---------------------------------------------------------------------------------------------------------
// Code regions

interface Range {
  from: number;
  to: number;
  /** `inline`: Markdown inline content (code spans count); `html`: raw HTML block content. */
  mode: "inline" | "html";
  /**
   * An indented code block made only of tag lines: in Markdown it is code, but Hexo pairs tags on the text, so a
   * `{% endspoiler %}` indented like the list item it closes is the end tag. Its tags count only if they pair.
   */
  tagLinesOnly?: boolean;
}

/** A line holding one or more `{% … %}` and nothing else (or blank). */
const TAG_LINE = /^[ \t]*(?:\{%[^\n]*?%\}[ \t]*)*$/;

/** The parts of `src` where tags may be, in order (fenced and indented code left out). */
function scanRanges(src: string, starts: readonly number[]): Range[] {
  const md = new MarkdownIt({ html: true });
  const tokens: Token[] = [];
  md.block.parse(src, md, {}, tokens);
  const nLines = starts.length;
  // per line: -1 uncovered, -2 code, else id of the token covering it
  const owner = new Array<number>(nLines).fill(-1);
  const modes: Array<"inline" | "html" | "tag-lines"> = [];
  for (const t of tokens) {
    if (!t.map) continue;
    const [a, b] = t.map;
    let id: number;
    if (t.type === "code_block" && t.content.includes("{%") && t.content.split("\n").every((l) => TAG_LINE.test(l))) id = modes.push("tag-lines") - 1;
    else if (t.type === "fence" || t.type === "code_block") id = -2;
    else if (t.type === "html_block") id = modes.push("html") - 1;
    else if (t.type === "inline") id = modes.push("inline") - 1;
    else continue;
    for (let l = a; l < b && l < nLines; l++) owner[l] = id;
  }
  const ranges: Range[] = [];
  const end = (l: number): number => (l + 1 < nLines ? starts[l + 1] : src.length);
  let l = 0;
  while (l < nLines) {
    const id = owner[l];
    if (id === -2) {
      l++;
      continue;
    }
    let m = l + 1;
    if (id >= 0) while (m < nLines && owner[m] === id) m++;
    const mode = id >= 0 ? modes[id] : "inline";
    ranges.push({ from: starts[l], to: end(m - 1), mode: mode === "tag-lines" ? "inline" : mode, ...(mode === "tag-lines" ? { tagLinesOnly: true } : {}) });
    l = m;
  }
  return ranges;
}

/** Add the spans of already-found tags that no range covers (they are scanned as inline text). */
function withForced(ranges: Range[], tokens: readonly TagToken[]): Range[] {
  if (!tokens.length) return ranges;
  const extra: Range[] = [];
  let r = 0;
  for (const t of tokens) {
    while (r < ranges.length && ranges[r].to <= t.start) r++;
    const covered = r < ranges.length && ranges[r].from <= t.start && ranges[r].to >= t.end;
    if (!covered) extra.push({ from: t.start, to: t.end, mode: "inline" });
  }
  if (!extra.length) return ranges;
  return [...ranges, ...extra].sort((a, b) => a.from - b.from || a.to - b.to);
}

const ASCII_PUNCT = /[!-/:-@[-`{-~]/;

/**
 * Collect the `{% %}` tokens of `src` in the ranges, skipping code spans, comments and code-like HTML.
 * A code/raw tag's body is skipped up to the first matching end tag, whatever it contains.
 */
/** A Nunjucks statement name: `if`, `endif` comes as `if` with kind `end`, `else`, `elif` … */
function isStatement(name: string): boolean {
  return NUNJUCKS_STATEMENTS.has(name);
}

function collectTokens(
  src: string,
  ranges: readonly Range[],
  starts: readonly number[],
  bodyLine: number,
  classify: ClassifyTag,
): TagToken[] {
  const tokens: TagToken[] = [];
  const htmlOpen = /<(code|pre|script|style|textarea)(?=[\s>/])[^>]*>/iy;
  let pos = 0;
  for (const r of ranges) {
    if (r.to <= pos) continue;
    let i = Math.max(r.from, pos);
    const to = r.to;
    while (i < to) {
      const c = src[i];
      if (c === "\\" && r.mode === "inline") {
        i += i + 1 < to && ASCII_PUNCT.test(src[i + 1]) ? 2 : 1;
        continue;
      }
      if (c === "`" && r.mode === "inline") {
        let n = 1;
        while (src[i + n] === "`") n++;
        const close = findBacktickRun(src, i + n, to, n);
        if (close !== -1) rawInCodeSpan(src, i + n, close, starts, bodyLine, tokens);
        i = close === -1 ? i + n : close + n;
        continue;
      }
      if (c === "<") {
        if (src.startsWith("<!--", i)) {
          const e = src.indexOf("-->", i + 4);
          if (e !== -1 && e + 3 <= to) i = e + 3;
          else i = r.mode === "html" ? to : i + 4;
          continue;
        }
        htmlOpen.lastIndex = i;
        const m = htmlOpen.exec(src);
        if (m) {
          const closeRe = new RegExp(`</${m[1]}\\s*>`, "ig");
          closeRe.lastIndex = i + m[0].length;
          const cm = closeRe.exec(src);
          if (cm && cm.index + cm[0].length <= to) i = cm.index + cm[0].length;
          else i = r.mode === "html" ? to : i + m[0].length;
          continue;
        }
        i++;
        continue;
      }
      if (c === "{" && src[i + 1] === "%") {
        const tok = parseTagAt(src, i, to, starts, bodyLine);
        if (!tok) {
          i += 2;
          continue;
        }
        // Nunjucks' own statements (`{% if user %}` in a note about Jinja) are text: nothing evaluates them.
        if (isStatement(tok.name) && !classify(tok.name)) {
          i = tok.end;
          continue;
        }
        if (r.tagLinesOnly) tok.ifPaired = true;
        tokens.push(tok);
        i = tok.end;
        const cls = tok.kind === "tag" ? classify(tok.name) : undefined;
        if (cls === "code" || cls === "raw") {
          const close = findEndTag(src, tok.end, tok.name, starts, bodyLine);
          if (close) {
            tokens.push(close);
            i = close.end;
          }
        }
        if (i >= to) {
          pos = i;
          break;
        }
        continue;
      }
      i++;
    }
    pos = Math.max(pos, i);
  }
  return tokens;
}

/**
 * Hexo honours `{% raw %}…{% endraw %}` inside an inline code span (the markers never show, the text
 * between is kept); nothing else in code is looked at. Adds the marker pairs found in [from, to).
 */
function rawInCodeSpan(
  src: string,
  from: number,
  to: number,
  starts: readonly number[],
  bodyLine: number,
  tokens: TagToken[],
): void {
  let k = src.indexOf("{%", from);
  while (k !== -1 && k < to) {
    const open = parseTagAt(src, k, to, starts, bodyLine);
    if (open && open.kind === "tag" && open.name === "raw") {
      const close = findEndTag(src, open.end, "raw", starts, bodyLine);
      if (close && close.end <= to) {
        tokens.push(open, close);
        k = src.indexOf("{%", close.end);
        continue;
      }
    }
    k = src.indexOf("{%", k + 2);
  }
}

/** Offset of the next run of exactly `n` backticks in [from, to), or -1. */
function findBacktickRun(src: string, from: number, to: number, n: number): number {
  let k = src.indexOf("`", from);
  while (k !== -1 && k < to) {
    let m = 1;
    while (src[k + m] === "`") m++;
    if (m === n) return k + n <= to ? k : -1;
    k = src.indexOf("`", k + m);
  }
  return -1;
}

/** Parse the tag starting at `i` (`{%`), ending before `limit`. */
function parseTagAt(
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
function findEndTag(
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

// ---------------------------------------------------------------------------------------------------------
// Pairing

/**
 * Drops the tokens of tag-line code blocks that do not pair: an end tag with no open tag of its name before it, an
 * opening tag with no end tag of its name after it. Those stay code.
 */
function pairedOnly(tokens: readonly TagToken[], classify: ClassifyTag): TagToken[] {
  if (!tokens.some((t) => t.ifPaired)) return [...tokens];
  return tokens.filter((t, k) => {
    if (!t.ifPaired) return true;
    const cls = classify(t.name);
    if (t.kind === "end") return tokens.slice(0, k).some((o) => o.kind === "tag" && o.name === t.name);
    if (cls === "inline" || cls === "text") return false;
    return tokens.slice(k + 1).some((o) => o.kind === "end" && o.name === t.name);
  });
}

function pairTokens(tokens: readonly TagToken[], classify: ClassifyTag): TagNode[] {
  const root: TagNode[] = [];
  const stack: TagNode[] = [];
  const container = (): TagNode[] => (stack.length ? stack[stack.length - 1].children : root);
  // Hexo: an unknown tag is a block tag when its end tag occurs later in the note.
  const lastEnd = new Map<string, number>();
  for (const t of tokens) if (t.kind === "end") lastEnd.set(t.name, t.start);

  const node = (t: TagToken, type: TagNode["type"]): TagNode => ({
    name: t.name,
    args: t.args,
    type,
    class: t.kind === "tag" ? classify(t.name) : undefined,
    open: t,
    children: [],
    start: t.start,
    end: t.end,
  });
  const closeNode = (n: TagNode, close: TagToken): void => {
    n.type = "block";
    n.close = close;
    n.end = close.end;
    n.bodyStart = n.open.end;
    n.bodyEnd = close.start;
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === "end") {
      let idx = -1;
      for (let s = stack.length - 1; s >= 0; s--) {
        if (stack[s].name === t.name) {
          idx = s;
          break;
        }
      }
      if (idx === -1) {
        container().push(node(t, "stray-end"));
        continue;
      }
      while (stack.length - 1 > idx) stack.pop()!.type = "unclosed";
      closeNode(stack.pop()!, t);
      continue;
    }
    const cls = classify(t.name);
    if (cls === "code" || cls === "raw") {
      const n = node(t, "unclosed");
      const next = tokens[k + 1];
      if (next && next.kind === "end" && next.name === t.name) {
        closeNode(n, next);
        k++;
      }
      container().push(n);
      continue;
    }
    const later = lastEnd.get(t.name);
    const isBlock = cls === "block" || (cls === undefined && later !== undefined && later > t.start);
    const n = node(t, isBlock ? "unclosed" : "inline");
    container().push(n);
    if (isBlock) stack.push(n);
  }
  // still open: unclosed (type already says so)
  return root;
}

// ---------------------------------------------------------------------------------------------------------
// Masking: the text as the expander will leave it, for the next round's code regions

function maskFor(src: string, nodes: readonly TagNode[]): string {
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

// ---------------------------------------------------------------------------------------------------------

/**
 * Find the tags of a note body, outside code, as a tree in source order.
 * `bodyLine` is the 1-based file line where `body` starts; every token carries its file line.
 */
export function scanTags(body: string, bodyLine: number, options: ScanOptions = {}): TagNode[] {
  if (!body.includes("{%")) return [];
  const classify = options.classify ?? classifyTag;
  const starts = lineStarts(body);
  let masked = body;
  let previous = "";
  let found: TagToken[] = [];
  let nodes: TagNode[] = [];
  for (let round = 0; round < 4; round++) {
    // A tag found once stays found: its own mask (a fence line, say) must not hide it in the next round.
    const ranges = withForced(scanRanges(masked, starts), found);
    found = pairedOnly(collectTokens(body, ranges, starts, bodyLine, classify), classify);
    nodes = pairTokens(found, classify);
    const signature = found.map((t) => `${t.start}:${t.end}`).join(",");
    if (signature === previous) break;
    previous = signature;
    masked = maskFor(body, nodes);
  }
  return nodes;
}
