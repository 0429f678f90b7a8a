// Heading ids as the blog's published site had them (heading-styles.ts), so `…/post/#深度学习-入门` links keep
// working; the ids other styles give (Hexo's default, an old site's ids) as alias anchors where they differ; a
// reader-visible anchor per heading; and the list of headings in `env.headings` for tables of contents.

import type { MarkdownIt, StateCore, Token } from "markdown-it";
import {
  createHeadingIdAssigner,
  markdownItInline,
  markedCounter,
  type HeadingIdStyle,
  type HeadingStyleSettings,
  type MarkdownItInline,
} from "./heading-styles.ts";
import type { HeadingIdCase, HeadingInfo, MarkdownEnv } from "./types.ts";

export { hexoHeadingSlug } from "./heading-styles.ts";

export interface HeadingIdsOptions {
  /** Hexo `marked.modifyAnchors`: 0 keep case (default), 1 lower, 2 upper (the `hexo` style's case). */
  headingIdCase?: HeadingIdCase;
  /** The style of the `id` attributes (default `hexo`). */
  style?: HeadingIdStyle;
  /** Styles whose ids are kept too, as alias anchors, where they differ (default: `hexo` when `style` is another). */
  aliasStyles?: HeadingIdStyle[];
  /** Settings of the styles (hexo-renderer-markdown-it's `anchors`). */
  styleSettings?: HeadingStyleSettings;
  /** Hexo `marked.headerIds: false`: headings get no ids, aliases or anchors (still listed, without id). */
  enabled?: boolean;
  /**
   * Ids an earlier site had on this document's page (`--keep-anchors-from`), in document order; those the headings
   * do not have already become alias anchors. Read from the env of each render.
   */
  keptIds?: (env: MarkdownEnv) => readonly string[] | undefined;
}

/** Marked's numbering, kept as an export for callers that number ids themselves. */
export const createHeadingIdCounter = markedCounter;

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

function headerLinkHtml(id: string, escapeHtml: (s: string) => string, label = "Link to this section"): string {
  // The `#` is decoration: hidden from assistive tech (the link has a label, in the page's language: the
  // renderer's env.headerLinkLabel) and from Pagefind, so it never shows up in search excerpts or heading text.
  return (
    ` <a class="headerlink" href="#${escapeHtml(id)}" aria-label="${escapeHtml(label)}" data-pagefind-ignore>` +
    `<span aria-hidden="true">#</span></a>`
  );
}

/** An empty element holding an id that links may point at; the heading is where the browser scrolls to. */
function aliasHtml(id: string, escapeHtml: (s: string) => string): string {
  return `<span class="heading-alias" id="${escapeHtml(id)}"></span>`;
}

interface ResolvedHeadingIds {
  style: HeadingIdStyle;
  aliasStyles: HeadingIdStyle[];
  settings: HeadingStyleSettings;
  enabled: boolean;
  keptIds?: HeadingIdsOptions["keptIds"];
  inline: MarkdownItInline;
}

function headingIdsRule(state: StateCore, options: ResolvedHeadingIds): void {
  // md.renderInline() has no headings; leave the caller's env.headings alone.
  if (state.inlineMode) return;
  const env = state.env as MarkdownEnv;
  const primary = createHeadingIdAssigner(options.style, options.settings, options.inline);
  const others = options.aliasStyles.map((style) => createHeadingIdAssigner(style, options.settings, options.inline));
  const headings: HeadingInfo[] = [];
  const opens: Token[] = [];
  const inlines: Token[] = [];
  const { tokens, md } = state;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const inline = tokens[i + 1];
    if (open.type !== "heading_open" || inline?.type !== "inline") continue;
    const children = inline.children ?? [];
    const level = Number(open.tag.slice(1));
    const source = { level, children: withMathAsSource(state, children), renderedHtml: "", source: inline.content };
    source.renderedHtml = md.renderer.renderInline(source.children, md.options, env);
    const id = options.enabled ? primary(source) : "";
    const aliases = options.enabled ? others.map((assign) => assign(source)).filter((a, k, all) => a && a !== id && all.indexOf(a) === k) : [];
    headings.push({ level, id, text: inlineTokensText(children), ...(aliases.length ? { aliases } : {}) });
    opens.push(open);
    inlines.push(inline);
  }
  // An alias that is another heading's id, or an earlier heading's alias, would make a duplicate id: left out.
  const taken = new Set(headings.map((h) => h.id));
  for (const heading of headings) {
    if (!heading.aliases) continue;
    const aliases = heading.aliases.filter((alias) => !taken.has(alias) && Boolean(taken.add(alias)));
    if (aliases.length) heading.aliases = aliases;
    else delete heading.aliases;
  }
  if (options.enabled) addKeptIds(headings, options.keptIds?.(env) ?? []);
  headings.forEach((heading, k) => {
    const escape = md.utils.escapeHtml;
    const before = (heading.aliases ?? []).map((alias) => aliasHtml(alias, escape)).join("");
    const children = inlines[k].children ?? [];
    const html = (content: string) => Object.assign(new state.Token("html_inline", "", 0), { content });
    // An empty slug would give `id=""` (invalid HTML): leave such a heading without id or anchor.
    if (heading.id !== "") opens[k].attrSet("id", heading.id);
    const label = typeof env.headerLinkLabel === "string" ? env.headerLinkLabel : undefined;
    const anchor = heading.id !== "" ? [html(headerLinkHtml(heading.id, escape, label))] : [];
    inlines[k].children = [...(before ? [html(before)] : []), ...children, ...anchor];
  });
  env.headings = headings;
}

/**
 * Ids of an earlier site that no heading has yet become aliases: the n-th old id goes to the n-th heading when the
 * page has as many headings as it had ids, else to the heading whose ids look most like it (letters and digits
 * compared, case and punctuation ignored), else to the first heading.
 */
function addKeptIds(headings: HeadingInfo[], keptIds: readonly string[]): void {
  if (keptIds.length === 0 || headings.length === 0) return;
  const given = new Set(headings.flatMap((h) => [h.id, ...(h.aliases ?? [])]));
  const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  keptIds.forEach((old, n) => {
    if (!old || given.has(old)) return;
    let target = headings.length === keptIds.length ? headings[n] : undefined;
    if (!target) {
      const key = squash(safeDecode(old));
      target = headings.find((h) => [h.id, ...(h.aliases ?? [])].some((id) => squash(safeDecode(id)) === key)) ?? headings[0];
    }
    target.aliases = [...(target.aliases ?? []), old];
    given.add(old);
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** markdown-it plugin: heading ids in the blog's style, alias anchors, header anchors and `env.headings`. */
export function headingIdsPlugin(md: MarkdownIt, options: HeadingIdsOptions = {}): void {
  const style = options.style ?? "hexo";
  const resolved: ResolvedHeadingIds = {
    style,
    aliasStyles: (options.aliasStyles ?? (style === "hexo" ? [] : ["hexo"])).filter((s) => s !== style),
    settings: { ...options.styleSettings, case: options.styleSettings?.case ?? options.headingIdCase ?? 0 },
    enabled: options.enabled ?? true,
    keptIds: options.keptIds,
    inline: markdownItInline(md.options.quotes as string, md.options.typographer),
  };
  // Last core rule: ids are slugs of the final, typeset heading text.
  md.core.ruler.push("heading_ids", (state) => headingIdsRule(state, resolved));
}
