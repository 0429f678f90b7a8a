// Links: every URL a document points at (`href` of links, `src` of images, also in raw HTML), with the
// 1-based source line it was written on, collected into `env.links` so that link checks can say where a
// broken link was written without reading the Markdown again. Tag placeholders (`vn-tag`) are recorded by
// number in `env.tagLines` for the caller that fills them in.
import type { MarkdownIt, StateCore, Token } from "markdown-it";
import type { ExternalLinkOptions } from "./types.ts";

export interface SourceLink {
  href: string;
  /** 1-based line in the rendered text (add the body's offset in the file). */
  line: number;
}

const urlAttribute = /\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const tagPlaceholder = /<!--vn-tag:(\d+)|<vn-tag data-n="(\d+)">/g;

export function linksPlugin(md: MarkdownIt): void {
  md.core.ruler.push("links", (state: StateCore) => {
    const links: SourceLink[] = [];
    const tagLines: Record<number, number> = {};
    const fromHtml = (html: string, firstLine: number) => {
      const lineAt = (index: number) => firstLine + countNewlines(html, index);
      for (const m of html.matchAll(urlAttribute)) links.push({ href: decodeEntities(m[1] ?? m[2] ?? ""), line: lineAt(m.index) });
      for (const m of html.matchAll(tagPlaceholder)) tagLines[Number(m[1] ?? m[2])] = lineAt(m.index);
    };
    for (const block of state.tokens) {
      if (!block.map) continue;
      const first = block.map[0] + 1;
      if (block.type === "html_block") fromHtml(block.content, first);
      else if (block.type === "inline") walkInline(block.children ?? [], first, links, fromHtml);
    }
    state.env.links = links;
    state.env.tagLines = tagLines;
  });
}

function walkInline(children: Token[], firstLine: number, links: SourceLink[], fromHtml: (html: string, line: number) => void): void {
  let line = firstLine;
  for (const token of children) {
    if (token.type === "softbreak" || token.type === "hardbreak") line++;
    else if (token.type === "link_open") links.push({ href: String(token.attrGet("href") ?? ""), line });
    else if (token.type === "image") links.push({ href: String(token.attrGet("src") ?? ""), line });
    else if (token.type === "html_inline") fromHtml(token.content, line);
    // Text can hold newlines only inside code spans and math; count them so later links keep their line.
    else if (token.content.includes("\n")) line += countNewlines(token.content, token.content.length);
  }
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function decodeEntities(value: string): string {
  return value.replace(/&(amp|quot|#39|lt|gt);/g, (_, e: string) => ({ amp: "&", quot: '"', "#39": "'", lt: "<", gt: ">" })[e] ?? _);
}

/**
 * Hexo's `external_link` as hexo-renderer-marked applies it: a link to another host opens in a new tab
 * (`target="_blank" rel="noopener"`, plus `nofollow` when asked), unless its host is excluded.
 */
export function externalLinksPlugin(md: MarkdownIt, options: ExternalLinkOptions): void {
  const excluded = new Set(options.exclude.map((h) => h.toLowerCase()));
  md.core.ruler.push("external_links", (state: StateCore) => {
    const visit = (tokens: Token[]) => {
      for (const token of tokens) {
        if (token.children) visit(token.children);
        if (token.type !== "link_open") continue;
        const host = externalHost(String(token.attrGet("href") ?? ""));
        if (!host || host === options.siteHost?.toLowerCase() || excluded.has(host) || excluded.has(host.replace(/^www\./, ""))) continue;
        token.attrSet("target", "_blank");
        token.attrSet("rel", options.nofollow ? "noopener external nofollow noreferrer" : "noopener");
      }
    };
    visit(state.tokens);
  });
}

function externalHost(href: string): string | undefined {
  if (!/^(?:https?:)?\/\//i.test(href)) return undefined;
  try {
    return new URL(href, "http://localhost").hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
