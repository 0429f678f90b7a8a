// Heading id styles of the Markdown renderers Hexo blogs are published with. A moved blog keeps the ids its readers
// and its own notes link to only if each renderer's rule is copied exactly: which text is slugged (rendered text,
// raw token content, the link text only), which characters survive, and how a repeated id is numbered.
// Pure functions: a heading's inline tokens (and their rendered HTML) in, ids out.

import type { Token } from "markdown-it";
import { newMarkdownIt } from "./markdown-it.ts";
import slugize from "hexo-util/dist/slugize.js";
import stripHTML from "hexo-util/dist/strip_html.js";
import unescapeHTML from "hexo-util/dist/unescape_html.js";
import type { HeadingIdCase } from "./types.ts";

/** Every style, the renderers Hexo blogs use most first (inference prefers the earlier of two close styles). */
export const HEADING_ID_STYLES = ["hexo", "markdown-it", "markdown-it-plus", "pandoc", "markdown-it-anchor", "github"] as const;

/**
 * - `hexo`: hexo-renderer-marked (Hexo's default): `slugize` of the rendered text, case kept (`modifyAnchors`).
 * - `markdown-it`: hexo-renderer-markdown-it's `anchors`: `slugize` of the tokens' content, h2 and below, `-2`, `-3`.
 * - `markdown-it-anchor`: markdown-it-anchor's default: lower case, spaces to `-`, percent-encoded.
 * - `markdown-it-plus`: hexo-renderer-markdown-it-plus (markdown-it-toc-and-anchor + uslug): letters and digits,
 *   lower case, `、。` and spaces to `-`.
 * - `github`: github-slugger, as GitHub shows READMEs: lower case, punctuation dropped, each space a `-`.
 * - `pandoc`: pandoc's auto_identifiers: lower case, letters/digits/`_-.`, nothing before the first letter.
 */
export type HeadingIdStyle = (typeof HEADING_ID_STYLES)[number];

export function isHeadingIdStyle(value: unknown): value is HeadingIdStyle {
  return typeof value === "string" && (HEADING_ID_STYLES as readonly string[]).includes(value);
}

/** Per-style settings from the renderer's configuration (defaults are the renderers' own). */
export interface HeadingStyleSettings {
  /** hexo `marked.modifyAnchors`, hexo-renderer-markdown-it `anchors.case`: 0 keep, 1 lower, 2 upper. */
  case?: HeadingIdCase;
  /** hexo-renderer-markdown-it `anchors.level`: the smallest heading level that gets an id (default 2). */
  level?: number;
  /** hexo-renderer-markdown-it `anchors.collisionSuffix` (default ''): `a-<suffix>2`. */
  collisionSuffix?: string;
  /** hexo-renderer-markdown-it `anchors.separator` (default '-'). */
  separator?: string;
}

/** A heading as the id rules read it. */
export interface HeadingSource {
  level: number;
  /** The heading's inline tokens (math as its source text). */
  children: Token[];
  /** The inline tokens rendered to HTML. */
  renderedHtml: string;
  /** The heading's Markdown source (markdown-it renderers slug their own tokens of it, typeset their own way). */
  source: string;
}

/**
 * The inline tokens markdown-it's own typographer makes of a heading (the markdown-it renderers default to
 * `typographer: true`, and markdown-it leaves `"` next to CJK straight where marked curls it: ids differ).
 */
export type MarkdownItInline = (source: string) => Token[];

export function markdownItInline(quotes = "“”‘’", typographer = true): MarkdownItInline {
  const md = newMarkdownIt({ html: true, linkify: true, typographer, quotes });
  return (source) => md.parseInline(source, {})[0]?.children ?? [];
}

/** Hands out the ids of one document in one style: the base id of each heading, numbered as the renderer does. */
export type HeadingIdAssigner = (heading: HeadingSource) => string;

/** A fresh assigner for one document. '' means the heading gets no id in this style. */
export function createHeadingIdAssigner(
  style: HeadingIdStyle,
  settings: HeadingStyleSettings = {},
  inline: MarkdownItInline = markdownItInline(),
): HeadingIdAssigner {
  switch (style) {
    case "hexo": {
      const next = markedCounter();
      return (h) => next(hexoHeadingSlug(h.renderedHtml, settings.case ?? 0));
    }
    case "markdown-it": {
      const uses = new Map<string, number>();
      const level = settings.level ?? 2;
      const suffix = settings.collisionSuffix ?? "";
      return (h) => {
        if (h.level < level) return "";
        const slug = slugize(contentOf(inline(h.source)), { transform: settings.case ?? 0, separator: settings.separator ?? "-" });
        const n = uses.get(slug);
        uses.set(slug, (n ?? 0) + 1);
        return n === undefined ? slug : `${slug}-${suffix}${n + 1}`;
      };
    }
    case "markdown-it-anchor": {
      const taken = new Set<string>();
      return (h) => {
        const text = inline(h.source).filter((t) => t.type === "text" || t.type === "code_inline").map((t) => t.content).join("");
        const slug = encodeURIComponent(text.trim().toLowerCase().replace(/\s+/g, "-"));
        let id = slug;
        for (let i = 1; taken.has(id); i++) id = `${slug}-${i}`;
        taken.add(id);
        return id;
      };
    }
    case "markdown-it-plus": {
      const uses = new Map<string, number>();
      return (h) => {
        // markdown-it-toc-and-anchor: a heading that starts with a link is named by the link's first text only.
        const children = inline(h.source);
        const text = children[0]?.type === "link_open" ? (children[1]?.content ?? "") : contentOf(children);
        const slug = uslug(text);
        const n = (uses.get(slug) ?? 0) + 1;
        uses.set(slug, n);
        return n > 1 ? `${slug}-${n}` : slug;
      };
    }
    case "github": {
      const occurrences = new Map<string, number>();
      return (h) => {
        const base = githubSlug(plainText(h.renderedHtml));
        let id = base;
        while (occurrences.has(id)) {
          const n = occurrences.get(base)! + 1;
          occurrences.set(base, n);
          id = `${base}-${n}`;
        }
        occurrences.set(id, 0);
        return id;
      };
    }
    case "pandoc": {
      const taken = new Set<string>();
      return (h) => {
        const base = pandocIdentifier(plainText(h.renderedHtml));
        let id = base;
        for (let i = 1; taken.has(id); i++) id = `${base}-${i}`;
        taken.add(id);
        return id;
      };
    }
  }
}

/** Base id of a heading from its rendered inline HTML: marked's `anchorId(stripHTML(unescapeHTML(text)))`. */
export function hexoHeadingSlug(renderedInlineHtml: string, headingIdCase: HeadingIdCase = 0): string {
  return slugize(stripHTML(unescapeHTML(renderedInlineHtml)).trim(), { transform: headingIdCase });
}

/**
 * marked's numbering: the first use of a base id is bare, later ones get `-1`, `-2`, … counted per base id, and a
 * suffixed id is not checked against ids already given (a literal `A-1` after two `A` headings repeats `A-1`).
 */
export function markedCounter(): (baseId: string) => string {
  const usesByBaseId = new Map<string, number>();
  return (baseId) => {
    const uses = usesByBaseId.get(baseId);
    usesByBaseId.set(baseId, (uses ?? 0) + 1);
    return uses === undefined ? baseId : `${baseId}-${uses}`;
  };
}

/** The tokens' `content` joined, as markdown-it plugins read a heading (raw HTML included, link targets not). */
function contentOf(children: Token[]): string {
  return children.reduce((text, token) => text + token.content, "");
}

/** What a reader sees of rendered inline HTML. */
function plainText(html: string): string {
  return unescapeHTML(stripHTML(html));
}

/** uslug 1.0.4 (what markdown-it-toc-and-anchor slugs with), one UTF-16 unit at a time as it works. */
export function uslug(text: string): string {
  const kept: string[] = [];
  for (const c of text.normalize("NFKC")) {
    for (const unit of c.length > 1 ? [] : [c]) {
      const code = unit.charCodeAt(0);
      if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7a3)) kept.push(unit);
      else if (code >= 0x3000 && code <= 0x3002) kept.push(" ");
      else if ("-_~".includes(unit)) kept.push(unit);
      else if (/[\p{L}\p{N}\p{M}]/u.test(unit)) kept.push(unit);
      else if (/\p{Z}/u.test(unit)) kept.push(" ");
    }
  }
  return kept.join("").trim().replace(/\s+/g, " ").replace(/[\s-]+/g, "-").toLowerCase();
}

/** github-slugger: lower case, drop what is not a letter, mark, number, `_`, `-` or space; each space a `-`. */
export function githubSlug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** pandoc's auto_identifiers (not the gfm variant): see the pandoc manual, "Extension: auto_identifiers". */
export function pandocIdentifier(text: string): string {
  const words = text.toLowerCase().replace(/[^\p{L}\p{N}\p{M}_\-.\s]/gu, "").split(/\s+/).filter(Boolean);
  const id = words.join("-").replace(/^[^\p{L}]+/u, "");
  return id || "section";
}
