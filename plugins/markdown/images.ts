// Images: every `![alt](src)` loads lazily; local ones go through `resolveImageSrc` (the
// Hexo plugin maps post-asset names to their URLs there) and are listed in
// `env.localImages`, so the site copies them without parsing HTML. Remote images
// (`http:`, `https:`, `//`) keep their URL. Raw-HTML `<img>` tags are left untouched.

import type { MarkdownIt, StateCore, Token } from "markdown-it";
import type { ImageSrcResolver, MarkdownEnv } from "./types.ts";

export interface ImagesOptions {
  resolveImageSrc?: ImageSrcResolver;
  /** The site's root path, put before `/…` paths (Hexo marked's `prependRoot`); default '/'. */
  root?: string;
}

/** Where an image comes from, judged by its `src` as written. */
export type ImageSource = "remote" | "local" | "inline-data";

export function classifyImageSrc(src: string): ImageSource {
  if (/^(?:https?:)?\/\//i.test(src)) return "remote";
  // data:, blob: and other schemes, and in-page `#…` targets: nothing to copy or rewrite.
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith("#") || src === "") return "inline-data";
  return "local";
}

function imageTokens(tokens: Token[]): Token[] {
  const images: Token[] = [];
  for (const token of tokens) {
    if (token.type === "image") images.push(token);
    if (token.children) images.push(...imageTokens(token.children));
  }
  return images;
}

function imagesRule(state: StateCore, resolveImageSrc: ImageSrcResolver, root: string): void {
  const env = state.env as MarkdownEnv;
  const { md } = state;
  const localImages = new Set<string>();
  for (const image of imageTokens(state.tokens)) {
    const writtenSrc = String(image.attrGet("src") ?? "");
    if (classifyImageSrc(writtenSrc) === "local") {
      // Token src is already URL-encoded by markdown-it; resolvers and copiers want the file name.
      const src = md.normalizeLinkText(writtenSrc);
      const resolved = resolveImageSrc(src, env);
      const rooted = root !== "/" && resolved.startsWith("/") && !resolved.startsWith(root) ? root + resolved.slice(1) : resolved;
      image.attrSet("src", md.normalizeLink(rooted));
      localImages.add(src);
    }
    image.attrSet("loading", "lazy");
    image.attrSet("decoding", "async");
  }
  if (!state.inlineMode) env.localImages = [...localImages];
}

/** markdown-it plugin: lazy images, local image rewriting and `env.localImages`. */
export function imagesPlugin(md: MarkdownIt, options: ImagesOptions = {}): void {
  const resolveImageSrc = options.resolveImageSrc ?? ((src) => src);
  const root = (options.root ?? "/").replace(/\/*$/, "/");
  md.core.ruler.push("images", (state) => imagesRule(state, resolveImageSrc, root));
}
