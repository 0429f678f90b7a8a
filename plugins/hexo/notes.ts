// Source file → parsed note: front matter, slug, dates, categories, tags, visibility and Hexo path, computed
// once here and passed on (hexo-semantics.md §2–§8, §13). Pure: file values in, note values out.
import type { Diagnostic, HexoConfig } from "./types.ts";
import type { SourceFile } from "./read.ts";
import type { FrontMatterMemo } from "./front-matter-memo.ts";
import { parseFrontMatter } from "./frontmatter.ts";
import { slugFromPath } from "./slug.ts";
import { parseHexoDate, postDate } from "./dates.ts";
import { categoriesOf, tagsOf, type CategoryRef, type TagRef } from "./taxonomy.ts";
import { postPathFor, routeFor } from "./permalink.ts";
import { isVisible } from "./visibility.ts";

export interface ParsedNote {
  kind: "post" | "page";
  /** Source path relative to the source folder, e.g. `_posts/a.md`, `about/index.md`. */
  source: string;
  abs: string;
  isDraft: boolean;
  data: Record<string, unknown>;
  body: string;
  /** File line where `body` starts. */
  bodyLine: number;
  slug: string;
  title: string;
  date: Date;
  updated?: Date;
  /** True when the date came from the file's birth time (no `date:` and none in the file name). */
  dateFromFile: boolean;
  categories: CategoryRef[];
  tags: TagRef[];
  /** Hexo's `post.path` (raw UTF-8, e.g. `2022/06/03/Pytorch中知识点02/`). */
  path: string;
  /** Output file relative to the site root (e.g. `2022/06/03/Pytorch中知识点02/index.html`). */
  route: string;
  visible: boolean;
  lang?: string;
  sticky: number;
  hidden: boolean;
}

export interface ParseContext {
  config: HexoConfig;
  permalinkTimezone: string;
  now: Date;
  /** Front matter parsed by earlier builds (the render cache); none: every block is parsed. */
  frontMatter?: FrontMatterMemo;
}

/** Parses one post, draft or page; a file whose front matter cannot be read yields a diagnostic instead. */
export function parseNote(file: SourceFile, ctx: ParseContext): { note?: ParsedNote; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (file.text === undefined) return { diagnostics };
  const fm = parseFrontMatter(file.text, ctx.frontMatter);
  if (!fm.ok) {
    diagnostics.push({
      severity: "error",
      file: file.rel,
      line: fm.line,
      message: `front matter cannot be read: ${fm.message}`,
      hint: "fix the YAML between the --- lines (quote values that contain ': ' or start with [ or {); the note was left out",
    });
    return { diagnostics };
  }
  const { data, body, bodyLine } = fm.value;
  const { config } = ctx;
  const isPage = file.kind === "page";
  const isDraft = file.kind === "draft";
  const relInFolder = isPage ? file.rel : file.rel.replace(/^_(posts|drafts)\//, "");
  const withoutExt = relInFolder.replace(/\.[^./]+$/, "");
  const { slug, params } = isPage ? { slug: withoutExt, params: {} as Record<string, string> } : slugFromPath(withoutExt, config.new_post_name);

  const zones = { siteTimezone: config.timezone, machineTimezone: ctx.permalinkTimezone };
  let dateFromFile = false;
  let date = postDate(data.date, params, zones);
  if (!date) {
    date = file.birthtime;
    dateFromFile = true;
    if (!isPage && data.date !== undefined && data.date !== null && data.date !== "") {
      diagnostics.push({
        severity: "warning",
        file: file.rel,
        line: lineOfKey(file.text, "date"),
        message: `date ${JSON.stringify(String(data.date))} is not a date; the file's creation time is used, so the URL changes with every checkout`,
        hint: "write it as YYYY-MM-DD HH:mm:ss",
      });
    }
  }
  // Hexo's default `updated_option: mtime` is left out on purpose: after a git checkout (every CI build) the
  // file's mtime is the checkout time, which would show every note as "updated today".
  let updated = parseHexoDate(data.updated, zones);
  if (!updated && config.updated_option === "date") updated = date;

  const categories = isPage ? [] : categoriesOf(data, config);
  const tags = isPage ? [] : tagsOf(data, config);
  const title = titleOf(data, slug, config);
  const visible = isPage || isVisible({ published: data.published, isDraft, date }, config, ctx.now);

  const path = isPage
    ? pagePathFor(relInFolder, data.permalink)
    : postPathFor(
        {
          slug,
          title,
          date,
          categories: categories.map((c) => c.slug),
          frontMatter: data,
          filenameParams: params,
          permalinkOverride: typeof data.permalink === "string" ? data.permalink : undefined,
          id: data.id ?? data._id,
        },
        config,
        ctx.permalinkTimezone,
      );

  return {
    note: {
      kind: isPage ? "page" : "post",
      source: file.rel,
      abs: file.abs,
      isDraft,
      data,
      body,
      bodyLine,
      slug,
      title,
      date,
      updated,
      dateFromFile,
      categories: visible ? categories : [],
      tags: visible ? tags : [],
      path,
      route: routeFor(path),
      visible,
      lang: typeof data.lang === "string" ? data.lang : undefined,
      sticky: Number(data.sticky) || 0,
      hidden: data.hidden === true,
    },
    diagnostics,
  };
}

function titleOf(data: Record<string, unknown>, slug: string, config: HexoConfig): string {
  if (data.title === undefined || data.title === null) return config.use_slug_as_post_title && data.title === undefined ? slug : "";
  return String(data.title);
}

/** Hexo renders `about/index.md` to `about/index.html`; a `permalink:` in the page overrides it. */
function pagePathFor(rel: string, permalink: unknown): string {
  if (typeof permalink === "string" && permalink.trim()) {
    const p = permalink.trim().replace(/^\/+/, "");
    return p.endsWith("/") || /\.html?$/.test(p) ? p : `${p}/`;
  }
  return rel.replace(/\.[^./]+$/, ".html");
}

/** 1-based line of a top-level front-matter key, for messages. */
export function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`"${key}":`));
  return index >= 0 ? index + 1 : undefined;
}
