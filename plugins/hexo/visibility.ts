// Which posts Hexo lists and renders (hexo-semantics.md §13; hexo/index.ts#_bindLocals, models/post.ts).
import type { HexoConfig } from "./types.ts";

/**
 * `post.published` as Hexo stores it. Drafts (`_drafts/`) are never published, whatever their front matter says.
 * In `_posts/` an absent or null value is `true`; otherwise the database's Boolean cast applies:
 * the strings "false" and "0" are false, anything else is JavaScript truthiness (so `published: no` is published).
 */
export function publishedFlag(frontMatterPublished: unknown, isDraft: boolean): boolean {
  if (isDraft) return false;
  if (frontMatterPublished === undefined || frontMatterPublished === null) return true;
  if (frontMatterPublished === "false" || frontMatterPublished === "0") return false;
  return Boolean(frontMatterPublished);
}

/**
 * Whether a post is in `site.posts` (its page, lists, tags and categories exist).
 * Drafts and unpublished posts show only with `render_drafts`; future-dated posts hide only with `future: false`.
 * `published` is the front-matter value (or an already computed flag).
 */
export function isVisible(post: { published: unknown; isDraft: boolean; date: Date }, config: HexoConfig, now: Date): boolean {
  const published = publishedFlag(post.published, post.isDraft);
  const notInFuture = config.future || post.date.getTime() <= now.getTime();
  return notInFuture && (config.render_drafts || published);
}
