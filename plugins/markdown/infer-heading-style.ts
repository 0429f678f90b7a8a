// Which renderer made the published site's heading ids, when the blog does not say: the style under which most of
// the notes' own `#anchor` links find a heading. Notes are written against the site their author saw, so their
// links are the best witness. Reads the Markdown lightly (ATX headings outside code fences), nothing is rendered.

import markdownIt, { type Token } from "markdown-it";
import { HEADING_ID_STYLES, createHeadingIdAssigner, markdownItInline, type HeadingIdStyle, type HeadingStyleSettings } from "./heading-styles.ts";

export interface HeadingStyleEvidence {
  /**
   * The style whose ids resolve most of the links. A style later in HEADING_ID_STYLES (a rarer renderer) has to
   * resolve clearly more than an earlier one (2 links, and 2% of them) to be preferred: a few links copied from a
   * GitHub README into a note should not outvote the renderer that made the site.
   */
  style: HeadingIdStyle;
  /** Other styles that resolve links the chosen one does not (each adds at least one), most useful first. */
  alsoResolving: HeadingIdStyle[];
  /** `#fragment` links of the notes that point into the site. */
  links: number;
  /** How many of them each style resolves. */
  resolved: Record<HeadingIdStyle, number>;
}

export interface InferOptions {
  /** The site's host (`tom89757.github.io`): absolute links to it count as the site's own. */
  siteHost?: string;
  settings?: HeadingStyleSettings;
}

const atxHeading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const fence = /^ {0,3}(`{3,}|~{3,})/;
const fragmentLinks = [/\]\(\s*<?([^)\s>]*#[^)\s>]+)/g, /\bhref\s*=\s*["']([^"']*#[^"']+)["']/gi, /\{%\s*post_link\s+\S*?#(\S+)/g];

/** Scores every style on the notes' own links and picks the best. */
export function inferHeadingIdStyle(notes: readonly string[], options: InferOptions = {}): HeadingStyleEvidence {
  const fragments = notes.flatMap((text) => internalFragments(text, options.siteHost));
  const resolved = Object.fromEntries(HEADING_ID_STYLES.map((s) => [s, 0])) as Record<HeadingIdStyle, number>;
  if (fragments.length === 0) return { style: "hexo", alsoResolving: [], links: 0, resolved };
  const md = markdownIt({ html: true, linkify: false });
  // Each heading is parsed once, whatever the number of styles tried.
  const typeset = markdownItInline();
  const typesetOf = new Map<string, Token[]>();
  const inline = (source: string) => typesetOf.get(source) ?? typesetOf.set(source, typeset(source)).get(source)!;
  // Only headings whose letters and digits are those of some link can be its target in any style: the others are
  // not parsed (a 4,000-note blog has tens of thousands of headings).
  const wanted = new Set(fragments.flatMap((f) => [squash(f), squash(f.replace(/-\d+$/, ""))]));
  const mayBeTarget = (source: string) => {
    const key = squash(source.replace(/\]\([^)]*\)/g, "]").replace(/<[^>]*>/g, ""));
    return wanted.has(key) || wanted.has(key.replace(/^[^\p{L}]+/u, ""));
  };
  const headingsOf = notes.map((text) =>
    atxHeadings(text).filter((h) => mayBeTarget(h.text)).map(({ level, text: source }) => {
      const children = md.parseInline(source, {})[0]?.children ?? [];
      return { level, children, source, renderedHtml: md.renderer.renderInline(children, md.options, {}) };
    }),
  );
  const margin = Math.max(2, Math.ceil(fragments.length * 0.02));
  const resolvedBy = new Map<HeadingIdStyle, Set<number>>();
  let best: HeadingIdStyle = "hexo";
  for (const style of HEADING_ID_STYLES) {
    const ids = new Set<string>();
    for (const headings of headingsOf) {
      const assign = createHeadingIdAssigner(style, options.settings, inline);
      for (const heading of headings) ids.add(safeDecode(assign(heading)));
    }
    const found = new Set(fragments.flatMap((f, n) => (ids.has(f) ? [n] : [])));
    resolvedBy.set(style, found);
    resolved[style] = found.size;
    if (resolved[style] >= resolved[best] + margin) best = style;
  }
  // Greedy cover of the links the chosen style leaves unresolved.
  const covered = new Set(resolvedBy.get(best));
  const alsoResolving: HeadingIdStyle[] = [];
  for (;;) {
    const gain = (s: HeadingIdStyle) => [...resolvedBy.get(s)!].filter((n) => !covered.has(n)).length;
    const next = HEADING_ID_STYLES.filter((s) => s !== best && !alsoResolving.includes(s) && gain(s) > 0).sort((a, b) => gain(b) - gain(a))[0];
    if (!next) break;
    alsoResolving.push(next);
    for (const n of resolvedBy.get(next)!) covered.add(n);
  }
  return { style: best, alsoResolving, links: fragments.length, resolved };
}

/** Decoded fragments of the links that point into the site (same page, a root-relative path, or the site's URL). */
export function internalFragments(text: string, siteHost?: string): string[] {
  const out: string[] = [];
  for (const pattern of fragmentLinks) {
    for (const m of text.matchAll(pattern)) {
      const href = m[1];
      const hash = pattern.source.includes("post_link") ? href : href.slice(href.indexOf("#") + 1);
      const target = href.slice(0, href.indexOf("#"));
      const host = /^(?:https?:)?\/\/([^/?#]+)/i.exec(target)?.[1]?.toLowerCase();
      if (host && host !== siteHost?.toLowerCase()) continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !host) continue; // mailto:, file:, C:…
      if (hash) out.push(safeDecode(hash));
    }
  }
  return out;
}

/** ATX headings outside fenced code, with their level and inline text. */
function atxHeadings(text: string): { level: number; text: string }[] {
  const headings: { level: number; text: string }[] = [];
  let openFence: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const f = fence.exec(line)?.[1];
    if (openFence) {
      if (f && f[0] === openFence[0] && f.length >= openFence.length && line.trim() === f) openFence = undefined;
      continue;
    }
    if (f) {
      openFence = f;
      continue;
    }
    const m = atxHeading.exec(line);
    if (m) headings.push({ level: m[1].length, text: m[2] ?? "" });
  }
  return headings;
}

/** Letters and digits only, lower case: what every style keeps of a text (the rest is punctuation and spacing). */
function squash(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
