// A line holding only `<br>`, `<br/>` or `</br>` is an HTML block of that one line.
//
// Notes use `</br>` as a spacer between numbered items and often write the next item right
// under it. CommonMark (and Hexo's marked) then read every following line up to a blank one
// as raw HTML: `### Title`, `![](…)`, `` `code` `` show up as literal text and a ```` ``` ````
// fence there is lost. In the tom89757 corpus 192 `</br>` lines are followed by text, 95 of
// those by a code fence (Hexo still showed those fences: it cut them out before Markdown).
// Ending the block after the tag keeps the `</br>` and renders what follows as Markdown.

import type { MarkdownIt, StateBlock } from "markdown-it";

const BR_LINE = /^<\/?br\s*\/?>\s*$/i;

export function brLineRule(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  if (!state.md.options.html) return false;
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // indented code
  const line = state.src.slice(state.bMarks[startLine] + state.tShift[startLine], state.eMarks[startLine]);
  if (!BR_LINE.test(line)) return false;
  if (silent) return true;

  const token = state.push("html_block", "", 0);
  token.map = [startLine, startLine + 1];
  token.content = state.getLines(startLine, startLine + 1, state.blkIndent, true);
  state.line = startLine + 1;
  return true;
}

/**
 * markdown-it plugin: `</br>` lines end there. Like any HTML block of its kind it cannot
 * interrupt a paragraph (`text\n</br>` stays inline HTML in the paragraph).
 */
export function brLinePlugin(md: MarkdownIt): void {
  md.block.ruler.before("html_block", "br_line", brLineRule);
}
