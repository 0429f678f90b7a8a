// Snippet downloads and copy buttons, on the pages that have them: a download link (`a[download]`) in a
// `<figure>` with the code must serve exactly the block's text, and the figure's `button[data-copy]` must copy it.
// The site's HTML on disk says which pages have them. A blog whose notes have fenced code must have some; only a
// blog without code (or a SITE_DIR site, whose sources are not known here) may have none, and then the test is
// skipped, saying so.
import fs from "node:fs";
import path from "node:path";
import { test, expect } from "@playwright/test";
import { Crawler } from "../../plugins/checks/crawl.ts";
import { siteSource } from "./reader-site.ts";
import { crawlPaths, readerSites, siteDir } from "./site.ts";

/** Sitemap pages whose HTML has a figure with a download link or a copy button (at most `limit`). */
function pagesWithSnippets(limit: number): string[] {
  const dir = siteDir();
  const out: string[] = [];
  for (const p of crawlPaths()) {
    let rel = decodeURIComponent(p.split("?")[0]);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) continue;
    const html = fs.readFileSync(file, "utf8");
    if (/<figure[\s>]/.test(html) && (/<a\b[^>]*\bdownload\b/.test(html) || /<button\b[^>]*\bdata-copy\b/.test(html))) out.push(p);
    if (out.length >= limit) break;
  }
  return out;
}

/** Built notes whose Markdown has a fenced code block, from the blog's sources (none known for a SITE_DIR site). */
function notesWithCode(): string[] {
  if (process.env.SITE_DIR) return [];
  const [site] = readerSites();
  const fence = /^ {0,3}(?:`{3,}|~{3,})/m;
  return siteSource(site)
    .posts()
    .filter((p) => fence.test(fs.readFileSync(path.join(site.blog, "source", p.source), "utf8")))
    .map((p) => p.source);
}

test("snippets: downloads give the block's bytes and copy buttons copy it", async ({ page, baseURL }, testInfo) => {
  const paths = pagesWithSnippets(8);
  const withCode = notesWithCode();
  if (withCode.length) expect(paths.length, `pages with downloads or copy buttons; notes with code: ${withCode.slice(0, 5).join(", ")}`).toBeGreaterThan(0);
  if (paths.length === 0) testInfo.annotations.push({ type: "not built", description: "no page has snippet downloads or copy buttons yet" });
  test.skip(paths.length === 0, "no page of this site has snippet downloads or copy buttons");
  testInfo.setTimeout(30_000 + paths.length * 10_000);
  const crawler = new Crawler(page, { links: false, copyButtonsPerPage: 5, copyButtonPages: Infinity });
  let downloads = 0;
  let copyButtons = 0;
  const problems: string[] = [];
  for (const p of paths) {
    const result = await crawler.visit(new URL(p, baseURL).href);
    downloads += result.counts.downloads;
    copyButtons += result.counts.copyButtons;
    problems.push(...result.problems.filter((x) => x.kind === "download" || x.kind === "copy").map((x) => `${decodeURI(x.url)}: ${x.detail}`));
  }
  expect(downloads + copyButtons, "download links or copy buttons were found and checked").toBeGreaterThan(0);
  expect(problems).toEqual([]);
});
