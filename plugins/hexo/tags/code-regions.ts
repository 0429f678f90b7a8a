// Where tags may be: the parts of a note's Markdown that are not code. Fenced and indented blocks come from
// markdown-it's own block parser (so list and quote nesting is exactly the renderer's); inline code spans, HTML
// comments and the raw HTML elements <code>, <pre>, <script>, <style>, <textarea> are skipped while collecting.
import MarkdownIt, { type Token } from "markdown-it";
import { NUNJUCKS_STATEMENTS } from "./registry.ts";
import type { ClassifyTag, TagToken } from "./scan.ts";
import { findEndTag, parseTagAt } from "./tag-token.ts";

export interface Range {
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

/** CommonMark's block parser; made once (a third of a short note's scan went into making it), never changed. */
const blockParser = new MarkdownIt({ html: true });

/** The parts of `src` where tags may be, in order (fenced and indented code left out). */
export function scanRanges(src: string, starts: readonly number[]): Range[] {
  const md = blockParser;
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
export function withForced(ranges: Range[], tokens: readonly TagToken[]): Range[] {
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

/** A Nunjucks statement name: `if`, `endif` comes as `if` with kind `end`, `else`, `elif` … */
function isStatement(name: string): boolean {
  return NUNJUCKS_STATEMENTS.has(name);
}

/**
 * Collect the `{% %}` tokens of `src` in the ranges, skipping code spans, comments and code-like HTML.
 * A code/raw tag's body is skipped up to the first matching end tag, whatever it contains.
 */
export function collectTokens(
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
