// Listing pages as Hexo's generators make them (hexo-semantics.md §14): the home index, archives, category
// and tag pages, each paginated like hexo-pagination. Pure: posts in, page descriptions out.
import type { HexoConfig } from "./types.ts";
import { formatInZone } from "./dates.ts";

/** What a listing needs to know of a post; the post pages keep the rest. */
export interface ListedPost {
  key: string;
  date: Date;
  sticky: number;
  hidden: boolean;
  /** Every category level the post is attached to (path like `categories/深度学习/`) with its name. */
  categories: { name: string; path: string; parentPath?: string }[];
  tags: { name: string; path: string }[];
}

export type ListingKind = "home" | "archive" | "category" | "tag";

export interface ListingPage {
  kind: ListingKind;
  /** Hexo path of this page, e.g. `categories/深度学习/page/2/` ('' for the home page). */
  path: string;
  /** Path of page 1 of this listing. */
  base: string;
  current: number;
  total: number;
  /** Keys of the posts on this page, in order. */
  postKeys: string[];
  prevPath?: string;
  nextPath?: string;
  /** The category or tag name, or the archive's year/month. */
  name?: string;
  year?: number;
  month?: number;
  /** Number of posts in the whole listing (all pages). */
  count: number;
}

/** Hexo's pagination: page 1 at `base`, page n at `base + pagination_dir/n/`; `perPage` 0 = one page. */
export function paginate(
  kind: ListingKind,
  base: string,
  keys: string[],
  perPage: number,
  paginationDir: string,
  extra: Pick<ListingPage, "name" | "year" | "month"> = {},
): ListingPage[] {
  const size = perPage > 0 ? perPage : Math.max(keys.length, 1);
  const total = Math.max(1, Math.ceil(keys.length / size));
  const pathOf = (n: number) => (n === 1 ? base : `${base}${paginationDir}/${n}/`);
  const pages: ListingPage[] = [];
  for (let n = 1; n <= total; n++) {
    pages.push({
      kind,
      path: pathOf(n),
      base,
      current: n,
      total,
      postKeys: keys.slice((n - 1) * size, n * size),
      prevPath: n > 1 ? pathOf(n - 1) : undefined,
      nextPath: n < total ? pathOf(n + 1) : undefined,
      count: keys.length,
      ...extra,
    });
  }
  return pages;
}

const newestFirst = (a: ListedPost, b: ListedPost) => b.date.getTime() - a.date.getTime();

/** Home: newest first, then a stable sort by `sticky` descending; `hidden` posts excluded (§14.3). */
export function homePages(posts: ListedPost[], config: HexoConfig): ListingPage[] {
  const shown = posts.filter((p) => !p.hidden).sort(newestFirst);
  shown.sort((a, b) => b.sticky - a.sticky);
  const base = normaliseBase(config.index_generator.path);
  return paginate("home", base, shown.map((p) => p.key), config.index_generator.per_page, config.index_generator.pagination_dir);
}

/** Archives: all, per year, per month, each paginated; year and month in the permalink timezone (§14.4). */
export function archivePages(posts: ListedPost[], config: HexoConfig, permalinkTimezone: string): ListingPage[] {
  const sorted = [...posts].sort(newestFirst);
  const dir = `${config.archive_dir}/`;
  const pages = paginate("archive", dir, sorted.map((p) => p.key), config.per_page, config.pagination_dir);
  const years = new Map<string, ListedPost[]>();
  const months = new Map<string, ListedPost[]>();
  for (const post of sorted) {
    const { YYYY, MM } = formatInZone(post.date, permalinkTimezone);
    push(years, YYYY, post);
    push(months, `${YYYY}/${MM}`, post);
  }
  for (const [year, list] of years) {
    pages.push(...paginate("archive", `${dir}${year}/`, list.map((p) => p.key), config.per_page, config.pagination_dir, { year: Number(year) }));
  }
  for (const [ym, list] of months) {
    const [year, month] = ym.split("/");
    pages.push(
      ...paginate("archive", `${dir}${ym}/`, list.map((p) => p.key), config.per_page, config.pagination_dir, {
        year: Number(year),
        month: Number(month),
      }),
    );
  }
  return pages;
}

/** A year of the archives with its months, newest first, and how many notes each has (§14.4's grouping). */
export interface ArchiveYear {
  year: number;
  /** Hexo path of the year's archive page, e.g. `archives/2022/`. */
  path: string;
  count: number;
  months: { month: number; path: string; count: number }[];
}

/**
 * Every year and month with notes, in the permalink timezone as the archive pages are, newest first; and the
 * month's path of each post (by key).
 */
export function archiveTree(posts: ListedPost[], config: HexoConfig, permalinkTimezone: string): { years: ArchiveYear[]; monthOf: Map<string, string> } {
  const dir = `${config.archive_dir}/`;
  const years: ArchiveYear[] = [];
  const monthOf = new Map<string, string>();
  for (const post of [...posts].sort(newestFirst)) {
    const { YYYY, MM } = formatInZone(post.date, permalinkTimezone);
    let year = years[years.length - 1];
    if (year?.year !== Number(YYYY)) years.push((year = { year: Number(YYYY), path: `${dir}${YYYY}/`, count: 0, months: [] }));
    let month = year.months[year.months.length - 1];
    if (month?.month !== Number(MM)) year.months.push((month = { month: Number(MM), path: `${dir}${YYYY}/${MM}/`, count: 0 }));
    year.count++;
    month.count++;
    monthOf.set(post.key, month.path);
  }
  return { years, monthOf };
}

/** One paginated listing per category and per tag that has a visible post (§14.5). */
export function termPages(posts: ListedPost[], config: HexoConfig): ListingPage[] {
  const sorted = [...posts].sort(newestFirst);
  const categories = new Map<string, { name: string; posts: ListedPost[] }>();
  const tags = new Map<string, { name: string; posts: ListedPost[] }>();
  for (const post of sorted) {
    for (const c of post.categories) pushTerm(categories, c.path, c.name, post);
    for (const t of post.tags) pushTerm(tags, t.path, t.name, post);
  }
  const pages: ListingPage[] = [];
  for (const [path, term] of categories) {
    pages.push(...paginate("category", path, term.posts.map((p) => p.key), config.per_page, config.pagination_dir, { name: term.name }));
  }
  for (const [path, term] of tags) {
    pages.push(...paginate("tag", path, term.posts.map((p) => p.key), config.per_page, config.pagination_dir, { name: term.name }));
  }
  return pages;
}

function normaliseBase(path: string): string {
  const trimmed = path.replace(/^\/+/, "");
  return trimmed === "" || trimmed.endsWith("/") ? trimmed : `${trimmed}/`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pushTerm(map: Map<string, { name: string; posts: ListedPost[] }>, path: string, name: string, post: ListedPost): void {
  const term = map.get(path);
  if (!term) map.set(path, { name, posts: [post] });
  // Posts arrive one at a time, so a repeat (overlapping hierarchies) can only be the last one.
  else if (term.posts[term.posts.length - 1] !== post) term.posts.push(post);
}
