// Post slug from its file name, as Hexo's post processor does it (hexo-semantics.md §5).
// hexo-util's modules one by one: its index loads every helper it has (Prism's languages, cross-spawn, htmlparser2).
import Permalink from "hexo-util/dist/permalink.js";
import hexoSlugize from "hexo-util/dist/slugize.js";

/** Hexo's `slugize` (hexo-util): diacritics to ASCII, ASCII punctuation runs to `-`; transform 1 lower, 2 upper. */
export function slugize(text: string, transform: number = 0): string {
  return hexoSlugize(text, { transform });
}

/** The placeholders of `new_post_name` that match fixed shapes; every other `:name` matches `(.+?)`. */
const filenameSegments = {
  year: /(\d{4})/,
  month: /(\d{2})/,
  day: /(\d{2})/,
  i_month: /(\d{1,2})/,
  i_day: /(\d{1,2})/,
  hash: /([0-9a-f]{12})/,
};

/**
 * Slug and file-name parameters of a post.
 * `relPathWithoutExt` is the path below `_posts/` (or `_drafts/`) without extension, e.g. `lorem/hello-world`.
 * When `new_post_name` matches and yields `:title`, that text is the slug verbatim (case, spaces, CJK kept);
 * otherwise the whole path is slugized (`/` becomes `-`).
 */
export function slugFromPath(relPathWithoutExt: string, newPostName: string): { slug: string; params: Record<string, string> } {
  const rule = stripExtension(newPostName);
  // hexo-util's Permalink refuses an empty rule; Hexo would crash, we fall back to the path.
  const parsed = rule ? (new Permalink(rule, { segments: filenameSegments }).parse(relPathWithoutExt) as Record<string, string> | undefined) : undefined;
  if (!parsed) return { slug: slugize(relPathWithoutExt), params: {} };
  const { title, ...params } = parsed;
  return { slug: title !== undefined ? title : slugize(relPathWithoutExt), params };
}

/** `path.extname` semantics: the last `.ext` of the last segment, unless the name starts with the dot. */
function stripExtension(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return name;
  return name.slice(0, name.length - (base.length - dot));
}
