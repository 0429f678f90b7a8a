// Inline rule: `$tex$` and `$$tex$$` inside a paragraph → `math_inline` tokens.
// Dollar rules are Pandoc's, so prices and shell variables stay text: the opening `$` must
// be followed by a non-space, the closing `$` preceded by a non-space and not followed by a
// digit (`$5 and $6` is no math). Only the first `$` after the opener is tried as closer,
// and a backtick ends the search, so math never reaches into a code span.

import type { StateInline } from "markdown-it";

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Index of the `$$` closing a display span opened just before `start`, or -1. */
function findDisplayCloser(src: string, start: number, max: number): number {
  for (let i = start; i < max; i++) {
    const code = src.charCodeAt(i);
    if (code === BACKSLASH) i++; // `\$` inside TeX is an escaped dollar, not a closer
    else if (code === BACKTICK) return -1;
    else if (code === DOLLAR && src.charCodeAt(i + 1) === DOLLAR) return i;
  }
  return -1;
}

/** Index of the `$` closing an inline span opened just before `start`, or -1. */
function findInlineCloser(state: StateInline, start: number, max: number): number {
  const { src } = state;
  for (let i = start; i < max; i++) {
    const code = src.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === BACKTICK) return -1;
    else if (code === DOLLAR) {
      const closes = !state.md.utils.isWhiteSpace(src.charCodeAt(i - 1)) && !isDigit(src.charCodeAt(i + 1));
      return closes ? i : -1;
    }
  }
  return -1;
}

export function mathInlineRule(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  if (src.charCodeAt(pos) !== DOLLAR) return false;

  const isDisplay = src.charCodeAt(pos + 1) === DOLLAR;
  const start = pos + (isDisplay ? 2 : 1);
  if (start >= posMax) return false;
  let end: number;
  if (isDisplay) {
    end = findDisplayCloser(src, start, posMax);
    if (end < 0 || src.slice(start, end).trim() === "") return false;
  } else {
    if (state.md.utils.isWhiteSpace(src.charCodeAt(start))) return false;
    end = findInlineCloser(state, start, posMax);
    if (end < 0) return false;
  }

  if (!silent) {
    const token = state.push("math_inline", "math", 0);
    token.content = isDisplay ? src.slice(start, end).trim() : src.slice(start, end);
    token.markup = isDisplay ? "$$" : "$";
  }
  state.pos = end + (isDisplay ? 2 : 1);
  return true;
}
