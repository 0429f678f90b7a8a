// Search acceptance: the real tom89757 blog built with the real CLI, queried through the site's own search page
// in Chromium (Pagefind's search runs in the browser). The notes each query must find are computed from the
// Markdown with a plain substring search; they must be the first results, and no result may be a listing.
// A small blog covers what the corpus lacks: drafts, a note in another language, a standalone page.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript, sharedDir, tempDir, writeTree } from "./helpers/cli.ts";
import { loadSite } from "../plugins/hexo/index.ts";
import { resolveHexoOptions } from "../plugins/hexo/options.ts";
import { serveStatic, type StaticServer } from "../plugins/checks/serve.ts";

const corpus = path.join(sharedDir, "corpus/tom89757");
const queries = ["定制化的数据集", "多进程", "argparse", "parse_args", "图床", "显卡驱动", "DataParallel", "注意力机制"];

// The system Chromium, as tests/e2e/chromium.ts launches it (Playwright cannot download browsers here).
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_PATH || process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const chromiumArgs = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
});

interface Found {
  status: string;
  urls: string[];
}

/** The search page's results for a query, as decoded paths, in order (all of them, paging through); `base` is the site's URL, ending in `/`. */
async function searchPage(page: Page, base: string, query: string, params = ""): Promise<Found> {
  await page.goto(`${base}search/?q=${encodeURIComponent(query)}${params}`);
  await page.locator(".search-page[data-state=done]").waitFor({ timeout: 30_000 });
  const more = page.locator(".search-more");
  while (await more.isVisible()) {
    const count = await page.locator(".search-result").count();
    await more.click();
    await expect.poll(() => page.locator(".search-result").count()).toBeGreaterThan(count);
  }
  const urls = await page.locator(".search-result h2 a").evaluateAll((links) => links.map((a) => decodeURI(new URL((a as HTMLAnchorElement).href).pathname)));
  return { status: await page.locator(".search-status").innerText(), urls };
}

describe("search on the tom89757 blog", () => {
  const out = tempDir("search-tom");
  let server: StaticServer;
  let page: Page;
  let build: ReturnType<typeof runScript>;
  /** Every note: its Markdown and the path of its page. */
  let notes: { source: string; markdown: string; url: string }[];
  let listingUrls: Set<string>;

  beforeAll(async () => {
    build = runScript("build", ["--hexo", corpus, "--output", out], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
    const model = await loadSite(resolveHexoOptions({ hexo: corpus, cacheDir: false }));
    const sourceDir = path.join(corpus, "source");
    notes = [...model.posts, ...model.pages].map((p) => ({
      source: p.source,
      markdown: fs.readFileSync(path.join(sourceDir, p.source), "utf8"),
      url: decodeURI(p.url),
    }));
    listingUrls = new Set([...model.listings, ...model.terms].map((l) => decodeURI(l.url)));
    server = await serveStatic(out);
    page = await browser.newPage();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("indexes every note, as Chinese, at the end of the build", () => {
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/Search: indexed 137 pages \(137 zh-cn\)/);
    const entry = JSON.parse(fs.readFileSync(path.join(out, "pagefind/pagefind-entry.json"), "utf8"));
    expect(entry.languages).toEqual({ "zh-cn": expect.objectContaining({ page_count: notes.length }) });
  });

  it.each(queries)("%s: every note containing it comes first, and no result is a listing", async (query) => {
    const expected = notes.filter((n) => n.markdown.includes(query)).map((n) => n.url);
    expect(expected.length, "the query should occur in some note").toBeGreaterThan(0);
    const found = await searchPage(page, server.url, query);
    expect(found.urls.slice(0, 10)).toEqual(expect.arrayContaining(expected));
    // A note with the exact phrase ranks above every note that only has its characters or words.
    expect(new Set(found.urls.slice(0, expected.length))).toEqual(new Set(expected));
    for (const url of found.urls) {
      expect(listingUrls.has(url), `${url} is a listing`).toBe(false);
      expect(notes.some((n) => n.url === url), `${url} is a note`).toBe(true);
    }
  });

  it("filters by category, tag and year, and sorts by date", async () => {
    const all = await searchPage(page, server.url, "python");
    const byCategory = await searchPage(page, server.url, "python", "&category=" + encodeURIComponent("深度学习"));
    const byTag = await searchPage(page, server.url, "python", "&tag=Pytorch&year=2022");
    expect(byCategory.urls.length).toBeGreaterThan(0);
    expect(byCategory.urls.length).toBeLessThan(all.urls.length);
    expect(byTag.urls.length).toBeGreaterThan(0);
    expect(byTag.urls.length).toBeLessThan(all.urls.length);
    expect(byTag.urls.every((u) => u.startsWith("/2022/"))).toBe(true);
    const newest = await searchPage(page, server.url, "python", "&sort=newest");
    const dates = newest.urls.map((u) => u.slice(1, 11));
    expect(dates).toEqual([...dates].sort().reverse());
    expect(new Set(newest.urls)).toEqual(new Set(all.urls));
  });
});

describe("what is indexed", () => {
  const blog = tempDir("search-blog");
  const out = tempDir("search-blog-out");
  let server: StaticServer;
  let page: Page;

  beforeAll(async () => {
    writeTree(blog, {
      "_config.yml": "title: 测试\nlanguage: zh-CN\nrender_drafts: true\n",
      "source/_posts/zh.md": "---\ntitle: 多进程笔记\ndate: 2022-01-02\ncategories: [Python]\ntags: [并发]\n---\n\n## 启动\n\n用 `multiprocessing` 启动多进程。\n\n```python\nargs = parser.parse_args()\nfor p in args.paths: print(p)\n```\n",
      "source/_posts/en.md": "---\ntitle: Notes in English\ndate: 2021-05-06\nlang: en\n---\n\nThe zeppelin runs the parsers.\n",
      "source/_drafts/draft.md": "---\ntitle: Draft\n---\n\nA draft about the quokka.\n",
      "source/about/index.md": "---\ntitle: 关于\n---\n\n关于本站的说明：袋鼠。\n",
    });
    const build = runScript("build", ["--hexo", blog, "--output", out], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
    expect(build.status, build.stderr).toBe(0);
    server = await serveStatic(out);
    page = await browser.newPage();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("marks only notes and standalone pages, never listings, the 404 page, the search page or drafts", () => {
    const body = (rel: string) => /data-pagefind-body/.test(fs.readFileSync(path.join(out, rel), "utf8"));
    expect(body("2022/01/02/zh/index.html")).toBe(true);
    expect(body("about/index.html")).toBe(true);
    for (const rel of ["index.html", "archives/index.html", "categories/Python/index.html", "tags/index.html", "404.html", "search/index.html"]) {
      expect(body(rel), rel).toBe(false);
    }
    const draft = fs.readdirSync(path.join(out), { recursive: true }).map(String).find((f) => f.endsWith("draft/index.html"));
    expect(draft, "render_drafts publishes the draft").toBeDefined();
    expect(body(draft!)).toBe(false);
  });

  it("keeps each page's language: a note in English has its own index, searched from the Chinese pages too", async () => {
    const entry = JSON.parse(fs.readFileSync(path.join(out, "pagefind/pagefind-entry.json"), "utf8"));
    expect(Object.keys(entry.languages).sort()).toEqual(["en", "zh-cn"]);
    expect((await searchPage(page, server.url, "zeppelin")).urls).toEqual(["/2021/05/06/en/"]);
  });

  it("finds code, standalone pages and nothing of drafts", async () => {
    expect((await searchPage(page, server.url, "parse_args")).urls).toEqual(["/2022/01/02/zh/"]);
    // Pagefind answers an unknown word with the longest indexed word it starts with: `passed` → `p`.
    expect((await searchPage(page, server.url, "passed")).urls).toEqual([]);
    expect((await searchPage(page, server.url, "袋鼠")).urls).toEqual(["/about/"]);
    expect((await searchPage(page, server.url, "quokka")).urls).toEqual([]);
  });

  it("shows the title, date, categories, an excerpt with the terms marked, and links to the matching heading", async () => {
    await searchPage(page, server.url, "多进程");
    const result = page.locator(".search-result").first();
    await expect.poll(() => result.locator("h2").innerText()).toBe("多进程笔记");
    expect(await result.locator(".post-meta").innerText()).toBe("2022-01-02 · Python");
    expect(await result.locator(".search-excerpt mark").first().innerText()).toBe("多进程");
    const href = await result.locator("h2 a").getAttribute("href");
    expect(decodeURI(href!)).toBe("/2022/01/02/zh/?highlight=多进程#启动");
  });
});
