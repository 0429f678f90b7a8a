// Find Hexo tags (`{% name args %}` … `{% endname %}`) in a note's Markdown, outside code of any kind.
//
// Verinotes never evaluates Nunjucks: `{{ }}`, `{# #}` stay text, and `{% %}` is looked at only where it
// is not code. "Code" is what the Markdown parser will make code — fenced blocks (``` / ~~~, any length,
// also in lists and block quotes), indented blocks, inline code spans of any number of backticks — plus
// HTML comments and the raw HTML elements <code>, <pre>, <script>, <style>, <textarea>.
// Code regions come from markdown-it's own block parser (so list and quote nesting is exactly the
// renderer's), on a copy of the text in which the tags found in the previous round are masked the way
// the expander will replace them; the rounds stop when the tags found no longer change.
//
// The parts: code-regions.ts (where tags may be, and collecting them), tag-token.ts (one tag and its arguments),
// pair-tags.ts (open and end tags paired), mask.ts (the text as the expander leaves it), lines.ts (line offsets
// and container prefixes).
import { collectTokens, scanRanges, withForced } from "./code-regions.ts";
import { lineStarts } from "./lines.ts";
import { maskFor, maskKeepsBlocks } from "./mask.ts";
import { pairTokens, pairedOnly } from "./pair-tags.ts";
import { classifyTag } from "./registry.ts";

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
  /** Scan the masked text again even when the mask cannot change the blocks (maskKeepsBlocks), to compare. */
  alwaysRescan?: boolean;
}


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
    // a round costs a block parse of the whole note: skip the one that would only confirm the first
    if (round === 0 && !options.alwaysRescan && maskKeepsBlocks(body, nodes)) break;
    masked = maskFor(body, nodes);
  }
  return nodes;
}
