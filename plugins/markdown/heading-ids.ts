// Heading ids exactly as hexo-renderer-marked 7 makes them (hexo-semantics.md §12.2), so
// `…/post/#深度学习-入门` links keep working; plus a reader-visible anchor per heading and
// the list of headings in `env.headings` for tables of contents.

import type { MarkdownIt, StateCore, Token } from "markdown-it";
import hexoUtil from "hexo-util";
import type { HeadingIdCase, HeadingInfo, MarkdownEnv } from "./types.ts";

// hexo-util is CommonJS; Node's ESM loader cannot see its named exports.
const { slugize, stripHTML, unescapeHTML } = hexoUtil;

export interface HeadingIdsOptions {
  /** Hexo `marked.modifyAnchors`: 0 keep case (default), 1 lower, 2 upper. */
  headingIdCase?: HeadingIdCase;
}

/** Base id of a heading from its rendered inline HTML: marked's `anchorId(stripHTML(unescapeHTML(text)))`. */
export function hexoHeadingSlug(renderedInlineHtml: string, headingIdCase: HeadingIdCase = 0): string {
  return slugize(stripHTML(unescapeHTML(renderedInlineHtml)).trim(), { transform: headingIdCase });
}

/**
 * Hands out ids for one document as marked does: the first use of a base id is bare, later
 * ones get `-1`, `-2`, … counted per base id (so a literal `Hello-World` after two
 * `Hello World` headings becomes `Hello-World-3`). Like marked, it does not check that a
 * suffixed id is free (a literal `A-1` heading after two `A` headings repeats `A-1`).
 */
export function createHeadingIdCounter(): (baseId: string) => string {
  const usesByBaseId = new Map<string, number>();
  return (baseId) => {
    const uses = usesByBaseId.get(baseId);
    if (uses === undefined) {
      usesByBaseId.set(baseId, 1);
      return baseId;
    }
    usesByBaseId.set(baseId, uses + 1);
    return `${baseId}-${uses}`;
  };
}

/** Plain text of inline tokens, for the table of contents. */
export function inlineTokensText(tokens: Token[]): string {
  let text = "";
  for (const token of tokens) {
    if (token.type === "text" || token.type === "code_inline" || token.type === "math_inline") text += token.content;
    else if (token.type === "image") text += inlineTokensText(token.children ?? []);
    else if (token.type === "softbreak" || token.type === "hardbreak") text += " ";
  }
  return text.replace(/\s+/g, " ").trim();
}

/** Math is plain `$…$` text to marked, so ids are computed from the TeX source, not KaTeX's markup. */
function withMathAsSource(state: StateCore, tokens: Token[]): Token[] {
  return tokens.map((token) => {
    if (token.type !== "math_inline") return token;
    const text = new state.Token("text", "", 0);
    text.content = token.markup + token.content + token.markup;
    return text;
  });
}

function headerLinkHtml(id: string, escapeHtml: (s: string) => string): string {
  // The `#` is decoration: hidden from assistive tech (the link has a label instead) and
  // from Pagefind, so it never shows up in search excerpts or heading text.
  return (
    ` <a class="headerlink" href="#${escapeHtml(id)}" aria-label="Link to this section" data-pagefind-ignore>` +
    `<span aria-hidden="true">#</span></a>`
  );
}

function headingIdsRule(state: StateCore, headingIdCase: HeadingIdCase): void {
  // md.renderInline() has no headings; leave the caller's env.headings alone.
  if (state.inlineMode) return;
  const nextId = createHeadingIdCounter();
  const headings: HeadingInfo[] = [];
  const { tokens, md } = state;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const inline = tokens[i + 1];
    if (open.type !== "heading_open" || inline?.type !== "inline") continue;
    const children = inline.children ?? [];
    const renderedHtml = md.renderer.renderInline(withMathAsSource(state, children), md.options, state.env);
    const id = nextId(hexoHeadingSlug(renderedHtml, headingIdCase));
    headings.push({ level: Number(open.tag.slice(1)), id, text: inlineTokensText(children) });
    // An empty slug would give `id=""` (invalid HTML): leave such a heading without id or anchor.
    if (id === "") continue;
    open.attrSet("id", id);
    const anchor = new state.Token("html_inline", "", 0);
    anchor.content = headerLinkHtml(id, md.utils.escapeHtml);
    inline.children = [...children, anchor];
  }
  (state.env as MarkdownEnv).headings = headings;
}

/** markdown-it plugin: Hexo-compatible heading ids, header anchors and `env.headings`. */
export function headingIdsPlugin(md: MarkdownIt, options: HeadingIdsOptions = {}): void {
  const headingIdCase = options.headingIdCase ?? 0;
  // Last core rule: ids are slugs of the final, typeset heading text.
  md.core.ruler.push("heading_ids", (state) => headingIdsRule(state, headingIdCase));
}
