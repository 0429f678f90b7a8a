// Post paths, output files and URLs as Hexo 8 makes them (hexo-semantics.md §6):
// filter/post_permalink.ts, hexo/router.ts and hexo-util's url_for/full_url_for.
import { createHash } from "node:crypto";
import { posix } from "node:path";
import url_for from "hexo-util/dist/url_for.js";
import full_url_for from "hexo-util/dist/full_url_for.js";
import type { HexoConfig } from "./types.ts";
import { formatInZone } from "./dates.ts";
import { slugize } from "./slug.ts";

export interface PostPathInput {
  /** `post.slug` (from the file name, §5). */
  slug: string;
  title: string;
  date: Date;
  /** Slugs of the post's categories in Hexo's order; the last one is `:category`. */
  categories: readonly string[];
  /** Front matter; any key is a permalink token. */
  frontMatter: Record<string, unknown>;
  /** `new_post_name` parameters other than title/date/hash (e.g. `lang`); Hexo lets them override front matter. */
  filenameParams?: Record<string, string>;
  /** Front-matter `permalink:`, used verbatim. */
  permalinkOverride?: string;
  /** `:id`: front-matter `id`, else Hexo's database id. */
  id?: unknown;
}

// new_post_name parameters Hexo does not copy onto the post (processor/post.ts `preservedKeys`).
const preservedFilenameParams = new Set(["title", "year", "month", "day", "i_month", "i_day", "hash"]);

/** Hexo's `post.path`, e.g. `2013/07/14/你好 世界/` (raw, not percent-encoded). */
export function postPathFor(post: PostPathInput, config: HexoConfig, machineTimezone: string): string {
  if (post.permalinkOverride) return overridePath(post.permalinkOverride, config.post_asset_folder);

  const { slug, title, date } = post;
  const parts = formatInZone(date, machineTimezone);
  const unixSeconds = Math.floor(date.getTime() / 1000);
  const tokens: Record<string, unknown> = {
    id: post.id || undefined,
    title: slug,
    name: posix.basename(slug),
    post_title: slugize(title, 1),
    year: parts.YYYY,
    month: parts.MM,
    day: parts.DD,
    hour: parts.HH,
    minute: parts.mm,
    second: parts.ss,
    i_month: parts.M,
    i_day: parts.D,
    timestamp: String(unixSeconds),
    hash: slug ? createHash("sha1").update(slug + String(unixSeconds)).digest("hex").slice(0, 12) : null,
    category: post.categories.length ? post.categories[post.categories.length - 1] : config.default_category,
  };
  // Built-ins win; then the post's own fields (file-name parameters over front matter); then permalink_defaults.
  const params = Object.fromEntries(Object.entries(post.filenameParams ?? {}).filter(([key]) => !preservedFilenameParams.has(key)));
  for (const source of [{ slug }, params, post.frontMatter, config.permalink_defaults]) {
    for (const [key, value] of Object.entries(source)) if (!Object.hasOwn(tokens, key)) tokens[key] = value;
  }

  // hexo-util Permalink#stringify: a missing token prints as `undefined`, like JavaScript does.
  const path = config.permalink.replace(/:(\w*[^_\W])/g, (_match, name: string) => String(Object.hasOwn(tokens, name) ? tokens[name] : undefined));
  return withAssetFolderSlash(path, config.post_asset_folder);
}

/** Front-matter `permalink:`: verbatim, with a leading `/`; the asset-folder slash rule still applies. */
function overridePath(permalink: string, postAssetFolder: boolean): string {
  const path = withAssetFolderSlash(permalink, postAssetFolder);
  return path.startsWith("/") ? path : `/${path}`;
}

/** With `post_asset_folder`, a path ending in neither `/` nor `.html` gets a `/` (so the post is a folder). */
function withAssetFolderSlash(path: string, postAssetFolder: boolean): string {
  return postAssetFolder && !path.endsWith("/") && !path.endsWith(".html") ? `${path}/` : path;
}

/**
 * Output file relative to the public folder (Hexo's router): no leading `/`, `\` → `/`, no query,
 * `index.html` appended to a folder path. Not percent-encoded: `categories/深度学习/index.html`.
 */
export function routeFor(path: string): string {
  const route = path.replace(/^\/+/, "").replace(/\\/g, "/").replace(/\?.*$/, "");
  return !route || route.endsWith("/") ? `${route}index.html` : route;
}

/** Hexo's `url_for(path)`: root-prefixed and percent-encoded, `pretty_urls` applied; absolute and `#` URLs unchanged. */
export function urlFor(path: string, config: HexoConfig): string {
  return url_for.call({ config: helperConfig(config) }, path, { relative: false });
}

/** Hexo's `full_url_for(path)` (`post.permalink`): `url` + path, percent-encoded, `pretty_urls` applied. */
export function fullUrlFor(path: string, config: HexoConfig): string {
  return full_url_for.call({ config: helperConfig(config) }, path);
}

function helperConfig(config: HexoConfig) {
  return { url: config.url, root: config.root, pretty_urls: config.pretty_urls, relative_link: false };
}
