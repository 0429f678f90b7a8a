// Hexo's built-in tag plugins (`lib/plugins/tag/index.ts`), by name.
import type { TagHandler } from "./types.ts";
import type { TagClass } from "./scan.ts";
import { blockquoteTag } from "./blockquote.ts";
import { pullquoteTag } from "./pullquote.ts";
import { codeblockTag } from "./codeblock.ts";
import { iframeTag } from "./iframe.ts";
import { imgTag } from "./img.ts";
import { linkTag } from "./link.ts";
import { includeCodeTag } from "./include-code.ts";
import { postLinkTag, postPathTag } from "./post-link.ts";
import { assetImgTag, assetLinkTag, assetPathTag } from "./asset.ts";
import { fullUrlForTag, urlForTag } from "./url-for.ts";

/** `{% raw %}…{% endraw %}`: the expander keeps the body verbatim; `render` is never called. */
const rawTag: TagHandler = {
  body: "raw",
  render: ({ body }) => ({ kind: "text", value: body ?? "" }),
};

/** Every tag Verinotes runs. Anything else is an unknown tag (warning; its body stays readable). */
export const tagHandlers: Readonly<Record<string, TagHandler>> = Object.freeze({
  blockquote: blockquoteTag,
  quote: blockquoteTag,
  pullquote: pullquoteTag,
  codeblock: codeblockTag,
  code: codeblockTag,
  raw: rawTag,
  iframe: iframeTag,
  img: imgTag,
  image: imgTag,
  link: linkTag,
  a: linkTag,
  anchor: linkTag,
  include_code: includeCodeTag,
  "include-code": includeCodeTag,
  post_path: postPathTag,
  post_link: postLinkTag,
  asset_path: assetPathTag,
  asset_link: assetLinkTag,
  asset_img: assetImgTag,
  asset_image: assetImgTag,
  url_for: urlForTag,
  full_url_for: fullUrlForTag,
});

/** Tags whose output is a bare URL, put straight into the Markdown (works inside `](…)` and attributes). */
const TEXT_TAGS = new Set(["post_path", "asset_path"]);

/** The handler of a tag name, if Verinotes knows it. */
export function getTagHandler(name: string): TagHandler | undefined {
  return Object.prototype.hasOwnProperty.call(tagHandlers, name) ? tagHandlers[name] : undefined;
}

/** How the scanner and expander treat a name; `undefined` for unknown tags. */
export function classifyTag(name: string): TagClass | undefined {
  const h = getTagHandler(name);
  if (!h) return undefined;
  if (h.body === "markdown") return "block";
  if (h.body === "code") return "code";
  if (h.body === "raw") return "raw";
  return TEXT_TAGS.has(name) ? "text" : "inline";
}

/**
 * Nunjucks' (and Jinja's) own statements: never evaluated in Verinotes (notes are not templates) and shown as
 * written, so `Jinja uses {% if user %}…{% endif %}` reads as the author wrote it.
 */
export const NUNJUCKS_STATEMENTS: ReadonlySet<string> = new Set([
  "if", "elif", "elseif", "else", "for", "asyncEach", "asyncAll", "set", "macro", "call", "filter",
  "include", "import", "from", "extends", "block", "super", "with", "without", "autoescape", "verbatim",
]);
