// Shared types of the Markdown layer. Pure declarations: no markdown-it instance, no I/O.

import type { Env } from "markdown-it";

/** One heading of a rendered document, in source order (for tables of contents). */
export interface HeadingInfo {
  /** 1–6. */
  level: number;
  /** The `id` attribute, exactly as hexo-renderer-marked makes it; '' when the heading has no id (empty slug). */
  id: string;
  /** Plain text of the heading (not HTML-escaped): code spans kept, tags dropped, math as its TeX source. */
  text: string;
}

/**
 * The markdown-it `env` as Verinotes reads and writes it. Callers pass their own object to
 * `md.render(src, env)`; each render overwrites the fields below for that document.
 */
export interface MarkdownEnv extends Env {
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
  /** Rewrites local image paths; identity by default. */
  resolveImageSrc?: ImageSrcResolver;
}
