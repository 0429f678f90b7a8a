// Typography as Hexo's marked 4 does it (`smartypants: true`), replacing markdown-it's
// `replacements` and `smartquotes` core rules. Why not markdown-it's own: heading ids are
// slugs of the typeset text, and markdown-it differs from marked exactly where notes need
// it — `"` next to CJK text stays straight in markdown-it but becomes ” in marked, and
// markdown-it adds (c)→© and +-→± which marked never did.

import type { MarkdownIt, StateCore, Token } from "markdown-it";

/** The four smart-quote characters: double open, double close, single open, single close. */
export type QuoteChars = readonly [string, string, string, string];

/** Splits markdown-it's `quotes` option (a 4-character string or an array) into its four characters. */
export function quoteChars(quotes: string | readonly string[] = "“”‘’"): QuoteChars {
  const chars = typeof quotes === "string" ? Array.from(quotes) : quotes;
  return [chars[0] ?? "“", chars[1] ?? "”", chars[2] ?? "‘", chars[3] ?? "’"];
}

/**
 * marked 4's `smartypants(text)`, applied to one run of plain text. A quote at the start
 * of the run counts as opening, as in marked (which typesets each text token alone).
 */
export function smartypants(text: string, quotes: QuoteChars): string {
  const [openDouble, closeDouble, openSingle, closeSingle] = quotes;
  return text
    .replace(/---/g, "\u2014")
    .replace(/--/g, "\u2013")
    .replace(/(^|[-\u2014/([{"\s])'/g, (_, before: string) => before + openSingle)
    .replace(/'/g, () => closeSingle)
    .replace(/(^|[-\u2014/([{\u2018\s])"/g, (_, before: string) => before + openDouble)
    .replace(/"/g, () => closeDouble)
    .replace(/\.{3}/g, "\u2026");
}

/** Typesets the text tokens of one inline token, leaving autolinked URLs alone (marked does too). */
function typesetChildren(children: Token[], quotes: QuoteChars): void {
  let insideAutolink = 0;
  for (const token of children) {
    if (token.type === "link_open" && (token.markup === "linkify" || token.markup === "autolink")) insideAutolink++;
    else if (token.type === "link_close" && (token.markup === "linkify" || token.markup === "autolink")) insideAutolink--;
    // Only `text`: code spans, raw HTML, math and escaped characters (`text_special`, merged
    // into text later by text_join) are never typeset, matching marked.
    else if (token.type === "text" && insideAutolink === 0) token.content = smartypants(token.content, quotes);
  }
}

function smartypantsRule(state: StateCore): void {
  if (!state.md.options.typographer) return;
  const quotes = quoteChars(state.md.options.quotes);
  for (const blockToken of state.tokens) {
    if (blockToken.type === "inline" && blockToken.children) typesetChildren(blockToken.children, quotes);
  }
}

/** markdown-it plugin: marked-compatible typography. Needs `typographer: true` to act. */
export function smartypantsPlugin(md: MarkdownIt): void {
  md.core.ruler.before("replacements", "smartypants", smartypantsRule);
  md.core.ruler.disable(["replacements", "smartquotes"]);
}
