// What the reader tests (reader-*.spec.ts) know of the site under test, from its files: the notes and their
// sources, the blog's config, the built HTML. Expectations come from these or from the page itself, never from
// the values the build printed.
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { parseHexoConfig } from "../../plugins/hexo/config.ts";
import { labelsFor } from "../../plugins/hexo/i18n.ts";
import type { ServedSite } from "./site.ts";

export interface SourcePage {
  /** Path below the site root, e.g. `2022/06/03/argparse-入门/`. */
  path: string;
  /** Source file relative to the blog's source folder. */
  source: string;
}

/** The notes, config and built pages of one served site. */
export function siteSource(site: ServedSite) {
  /** Note pages (posts, not standalone pages or drafts), from the map the build writes for link checks. */
  function posts(): SourcePage[] {
    const record = JSON.parse(fs.readFileSync(path.join(site.dir(), "verinotes-sources.json"), "utf8")) as { pages: Record<string, { source: string }> };
    return Object.entries(record.pages)
      .filter(([, page]) => page.source.startsWith("_posts/"))
      .map(([route, page]) => ({ path: route.replace(/index\.html$/, ""), source: page.source }));
  }

  function blogConfig() {
    return parseHexoConfig(fs.readFileSync(path.join(site.blog, "_config.yml"), "utf8"), "_config.yml").config;
  }

  const sourceDir = () => path.join(site.blog, "source");
  const html = (p: string) => fs.readFileSync(path.join(site.dir(), decodeURI(p), "index.html"), "utf8");

  /** The post with the most headings (then the longest): the long note the layout tests read. */
  function longestPost(): SourcePage {
    const ranked = posts()
      .map((p) => {
        const body = html(p.path).split('<div class="post-body">')[1] ?? "";
        return { p, headings: (body.match(/<h[1-6][^>]* id="/g) ?? []).length, length: body.length };
      })
      .sort((a, b) => b.headings - a.headings || b.length - a.length);
    expect(ranked[0]?.headings ?? 0, "a post with headings").toBeGreaterThanOrEqual(3);
    return ranked[0].p;
  }

  /** Pages whose post body holds the given tag, e.g. `<table`. */
  function postsWith(fragment: string): SourcePage[] {
    return posts().filter((p) => (html(p.path).split('<div class="post-body">')[1] ?? "").includes(fragment));
  }

  return { posts, blogConfig, sourceDir, html, longestPost, postsWith };
}

/** The address of a path below the site root (encoded as the site links it). */
export const url = (p: string, baseURL?: string) => new URL(encodeURI(p), baseURL).href;

/** The first number in a text (`12 篇`, `共 3 个`), NaN when there is none. */
export const countOf = (text: string | null) => Number(/\d+/.exec(text ?? "")?.[0] ?? NaN);

/** The labels of a page's language (`<html lang>`), as the messages files give them. */
export async function labelsOf(page: Page) {
  return labelsFor((await page.locator("html").getAttribute("lang")) ?? "en");
}

/** Runs `check` over the DOM of each URL (fetched and parsed in the page, which is much faster than visiting). */
export async function eachDocument<T>(page: Page, urls: string[], check: string): Promise<T[]> {
  return page.evaluate(
    async ({ urls, check }) => {
      const fn = new Function("doc", "url", check) as (doc: Document, url: string) => unknown;
      const out: unknown[] = [];
      for (const u of urls) {
        const doc = new DOMParser().parseFromString(await (await fetch(u)).text(), "text/html");
        out.push(fn(doc, u));
      }
      return out;
    },
    { urls, check },
  ) as Promise<T[]>;
}
