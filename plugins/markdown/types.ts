// Shared types of the Markdown layer. Pure declarations: no markdown-it instance, no I/O.

import type { HeadingIdStyle, HeadingStyleSettings } from "./heading-styles.ts";

/** One heading of a rendered document, in source order (for tables of contents). */
export interface HeadingInfo {
  /** 1–6. */
  level: number;
  /** The `id` attribute, exactly as hexo-renderer-marked makes it; '' when the heading has no id (empty slug). */
  id: string;
  /** Plain text of the heading (not HTML-escaped): code spans kept, tags dropped, math as its TeX source. */
  text: string;
  /** Other ids the heading answers to (alias anchors): other styles' ids, an earlier site's ids. */
  aliases?: string[];
}

/**
 * The markdown-it `env` as Verinotes reads and writes it. Callers pass their own object to
 * `md.render(src, env)`; each render overwrites the fields below for that document.
 */
export interface MarkdownEnv {
  /** What other rules and plugins keep on the env (the notes pipeline's `file`, images' `postPath`, …). */
  [key: string]: unknown;
  /** Set by heading-ids: every heading of the document, in order. */
  headings?: HeadingInfo[];
  /**
   * Set by images: local image paths as written in the Markdown (URL-decoded, before
   * `resolveImageSrc`; e.g. `图片/a b.png`, `/images/x.png`), in order of first use, no duplicates.
   */
  localImages?: string[];
}

/**
 * Rewrites a local image path (e.g. a Hexo post-asset name) into the URL the page should use.
 * Receives the path as written, URL-decoded; its result is URL-encoded by markdown-it.
 */
export type ImageSrcResolver = (src: string, env: MarkdownEnv) => string;

/** Hexo's `external_link` as hexo-renderer-marked reads it. */
export interface ExternalLinkOptions {
  /** Hosts (e.g. `example.com`) that stay in the same tab. */
  exclude: string[];
  /** Add `nofollow` to `rel`. */
  nofollow: boolean;
  /** The site's own host: its links are not external. */
  siteHost?: string;
}

/** hexo-renderer-marked `modifyAnchors`: 0 keep case, 1 lower-case, 2 upper-case. */
export type HeadingIdCase = 0 | 1 | 2;

/** Options of `createMarkdown`; every field is optional and defaulted in create-markdown.ts. */
export interface MarkdownOptions {
  /** Raw HTML in the source passes through (`</br>`, `<img>`, `<details>` …). */
  html?: boolean;
  /** Single newlines become `<br>`, as with Hexo's marked (`breaks: true`). */
  breaks?: boolean;
  /** marked's smartypants: quotes, `--` `---` dashes, `...` ellipsis (heading ids depend on it). */
  typographer?: boolean;
  /** Smart-quote characters: double open, double close, single open, single close. */
  quotes?: string;
  /** Bare `http(s)://` URLs and e-mail addresses become links. */
  linkify?: boolean;
  /**
   * A line holding only `<br>`/`</br>` is a one-line HTML block, so the Markdown under it is
   * rendered (Hexo/CommonMark would show it as raw text up to the next blank line). See br-line.ts.
   */
  standaloneBrLines?: boolean;
  /** `$…$` and `$$…$$` rendered with KaTeX at build time. */
  math?: boolean;
  /** Case transform of heading ids (Hexo `marked.modifyAnchors`). */
  headingIdCase?: HeadingIdCase;
  /** Whose rule makes the heading ids (heading-styles.ts); `hexo` is hexo-renderer-marked's. */
  headingIdStyle?: HeadingIdStyle;
  /** Styles whose differing ids are kept as alias anchors (default: `hexo` unless it is the style). */
  headingAliasStyles?: HeadingIdStyle[];
  /** hexo-renderer-markdown-it `anchors` settings (level, collisionSuffix, separator, case). */
  headingStyleSettings?: HeadingStyleSettings;
  /** Hexo `marked.headerIds`: false leaves headings without ids. */
  headingIds?: boolean;
  /** An earlier site's ids for the document being rendered (`--keep-anchors-from`), read from its env. */
  keptHeadingIds?: (env: MarkdownEnv) => readonly string[] | undefined;
  /** GitHub-flavoured tables and ~~strikethrough~~ (Hexo `marked.gfm`, default true). */
  gfm?: boolean;
  /** The site's root path put before `/…` image paths (Hexo `marked.prependRoot`); '/' changes nothing. */
  imageRoot?: string;
  /** Links to other hosts: `target="_blank" rel="noopener"` (Hexo `marked.external_link`); off by default. */
  externalLinks?: ExternalLinkOptions | false;
  /** Rewrites local image paths; identity by default. */
  resolveImageSrc?: ImageSrcResolver;
}
