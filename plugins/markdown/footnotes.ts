// Footnotes (`text[^1]` … `[^1]: note`) from markdown-it-footnote, made per document.
//
// markdown-it-footnote keeps its definitions in `env.footnotes` and never clears them, so
// two renders sharing one env (Eleventy passes page data as env) would number on from the
// first and repeat its notes at the end of the second. The reset rule starts every
// document with none.

import type { MarkdownIt, StateCore } from "markdown-it";
import footnotePlugin from "markdown-it-footnote";

function resetFootnotesRule(state: StateCore): void {
  // md.renderInline() has no definitions of its own; leave the env as it is.
  if (!state.inlineMode) delete state.env.footnotes;
}

/** markdown-it plugin: footnotes, numbered from 1 in every document. */
export function footnotesPlugin(md: MarkdownIt): void {
  md.use(footnotePlugin);
  md.core.ruler.before("block", "reset_footnotes", resetFootnotesRule);
}
