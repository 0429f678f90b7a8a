// Block rule: display math whose `$$` starts a line → one `math_block` token.
//
//   $$                      $$ x^2 $$        $$\begin{aligned}
//   \sum_i x_i                                 a &= b \\
//   $$                                         \end{aligned}$$
//
// It may interrupt a paragraph, because notes write `text\n$$\n…\n$$\nmore text` with no
// blank lines; as a block, the TeX keeps its `\\` (inline Markdown escapes never see it) and
// lines inside it cannot be read as list items or headings. An unclosed `$$` is no math.

import type { StateBlock } from "markdown-it";

const DOLLAR = 0x24;

function startsWithDoubleDollar(state: StateBlock, line: number): boolean {
  const pos = state.bMarks[line] + state.tShift[line];
  return state.src.charCodeAt(pos) === DOLLAR && state.src.charCodeAt(pos + 1) === DOLLAR;
}

/** Text of a line after its indentation (and any blockquote markers), without trailing spaces. */
function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]).trimEnd();
}

export function mathBlockRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // indented code
  if (!startsWithDoubleDollar(state, startLine)) return false;
  const afterOpener = lineText(state, startLine).slice(2);

  let content: string;
  let closingLine = startLine;
  if (afterOpener.endsWith("$$")) {
    // `$$ tex $$` on one line; `$$a$$ text $$b$$` is inline math in a paragraph instead.
    content = afterOpener.slice(0, -2);
    if (content.trim() === "" || content.includes("$$")) return false;
  } else {
    if (afterOpener.includes("$$")) return false; // `$$a$$ text`: inline
    for (;;) {
      closingLine++;
      if (closingLine >= endLine) return false;
      const isBlank = state.isEmpty(closingLine);
      if (!isBlank && state.sCount[closingLine] < state.blkIndent) return false; // left the list item
      if (lineText(state, closingLine).endsWith("$$")) break;
    }
    const closing = lineText(state, closingLine);
    const middle = state.getLines(startLine + 1, closingLine, state.sCount[startLine], true);
    content = (afterOpener.trim() ? `${afterOpener}\n` : "") + middle + closing.slice(0, -2);
  }
  if (silent) return true;

  const token = state.push("math_block", "math", 0);
  token.block = true;
  token.content = content.trim(); // surrounding whitespace means nothing to TeX
  token.markup = "$$";
  token.map = [startLine, closingLine + 1];
  state.line = closingLine + 1;
  return true;
}
