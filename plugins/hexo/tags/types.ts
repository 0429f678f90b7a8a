// Types of the Hexo tag-plugin layer (semantics §9–§10). Pure data: no Eleventy, no I/O.
import type { Diagnostic } from "../types.ts";

export type { Diagnostic };

/** A post found by `post_link` / `post_path`. */
export interface TagPostRef {
  /** The post's real title ('' when it has none; the slug is shown then). */
  title: string;
  /** The post's URL as `url_for(post.path)` makes it: root-relative, percent-encoded, no `#hash`. */
  url: string;
  /** The post's slug, used as text when the title is empty. */
  slug?: string;
}

/** Options passed to {@link TagContext.highlight} by code-producing tags. */
export interface TagHighlightOptions {
  /** Hexo caption HTML (`<span>title</span><a href="…">text</a>`) to show above the code. */
  caption?: string;
  /** Number of the first line (gutter), default 1. */
  firstLine?: number;
}

/** Everything a tag plugin may ask of the site. Values in, values out: the tags never read files or config. */
export interface TagContext {
  /** Source file as the user knows it (for diagnostics). */
  file: string;
  /** Render a Markdown fragment to HTML with the site's Markdown settings (highlighting included). */
  renderMarkdown(md: string): string;
  /** Find a post by slug (`lorem/hello-world`), then by title; `undefined` when there is none. */
  findPost(slugOrTitle: string): TagPostRef | undefined;
  /** URL of a post asset of the current note (`foo.jpg`, `sub dir/a b.txt`), `undefined` when it has none. */
  assetUrl(name: string): string | undefined;
  /** hexo-util `url_for`: root prefix, encoding, pretty URLs; external URLs unchanged. */
  urlFor(path: string, relative?: boolean): string;
  /** hexo-util `full_url_for`: absolute URL on the site's `url`. */
  fullUrlFor(path: string): string;
  /**
   * Text of a file of `code_dir` (`include_code`), by its path relative to `code_dir`
   * (already normalised, never absolute, never leaving the folder); `undefined` when missing.
   */
  readCodeFile(path: string): string | undefined;
  /** Highlight code the way fenced blocks are highlighted; returns HTML. */
  highlight(code: string, lang: string, options?: TagHighlightOptions): string;
  /** Hexo's `code_dir` (default `downloads/code`), for `include_code`'s "view raw" link. */
  codeDir?: string;
}

/** A problem a tag handler reports; the expander adds file and line. */
export interface TagProblem {
  severity: "error" | "warning";
  message: string;
  hint?: string;
}

/** What a handler is called with. */
export interface TagInvocation {
  /** Tag name as written (`blockquote`, `quote`, …). */
  name: string;
  /** Arguments parsed like Hexo (§9.3); the handler may not rely on mutating them. */
  args: readonly string[];
  /** Block tags: the body (Markdown for `markdown` bodies, verbatim code for `code` bodies), Hexo-trimmed. */
  body?: string;
  ctx: TagContext;
}

/** What a handler returns. */
export interface TagOutput {
  /**
   * `html`: HTML put in place of the tag (through a placeholder);
   * `text`: plain text put straight into the Markdown (a URL: `post_path`, `asset_path`), so
   * `![x]({% asset_path a.png %})` and `<img src="{% asset_path a.png %}">` keep working.
   */
  kind: "html" | "text";
  value: string;
  problems?: TagProblem[];
}

/** How a block tag's body is treated. */
export type TagBody =
  /** Rendered as Markdown (blockquote, pullquote); tags inside are expanded first. */
  | "markdown"
  /** Code, never scanned for tags, shown verbatim (codeblock/code). */
  | "code"
  /** Text kept verbatim in the Markdown, never scanned for tags (raw). */
  | "raw";

export interface TagHandler {
  /** `undefined` for inline tags; how the body is treated for block tags (they need `{% endname %}`). */
  body?: TagBody;
  /** Produce the output. For `raw` bodies the expander never calls it. */
  render(inv: TagInvocation): TagOutput;
  /**
   * `code` bodies only: the info string of the fenced block the tag is rewritten into
   * (```` ```lang title="…" key:value ```` ), or `undefined` to use `render` instead.
   */
  fenceInfo?(args: readonly string[]): string | undefined;
}

/** Result of {@link import("./expand.ts").expandTags}. */
export interface ExpandResult {
  /** The body with tags replaced; exactly as many lines as the input. */
  markdown: string;
  /** HTML for each `<!--vn-tag:N-->` placeholder, by N. */
  fragments: string[];
  diagnostics: Diagnostic[];
}
