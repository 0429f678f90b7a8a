// A Vitest test of the browser crawl's core (plugins/checks/crawl.ts) on generated notes with 8 planted broken
// links: crawling every page of the sitemap flags exactly the 8 pages the links were planted on, and nothing
// among the hundreds of good post_links and #中文 anchors. (Playwright runs only tests/e2e/*.spec.ts; this file
// is Vitest's.) It launches the system Chromium; it takes a minute or two.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "@playwright/test";
import { runScript, sharedDir, tempDir } from "../helpers/cli.ts";
import { Crawler, LinkCache, type CrawlPageResult } from "../../plugins/checks/crawl.ts";
import { serveStatic, type StaticServer } from "../../plugins/checks/serve.ts";
import { sitemapPages } from "../../plugins/checks/check.ts";
import { launchOptions } from "./chromium.ts";

const work = tempDir("crawl-broken");
const notes = path.join(work, "notes");
const site = path.join(work, "site");
let manifest: { notes: Record<string, { permalink: string }>; broken: { source: string; target: string }[] };
let server: StaticServer;
let browsers: Browser[] = [];
let results: CrawlPageResult[] = [];
let seconds = 0;

beforeAll(async () => {
  const gen = spawnSync(process.execPath, [path.join(sharedDir, "bench/gen-notes.mjs"), notes, "300", "--broken=8", "--seed=5"], { encoding: "utf8" });
  if (gen.status !== 0) throw new Error(gen.stderr);
  manifest = JSON.parse(fs.readFileSync(path.join(work, "corpus-manifest.json"), "utf8"));
  const build = runScript("build", ["--input", notes, "--output", site]);
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  server = await serveStatic(site, { root: sitemapPages(site).location.root });
  const paths = sitemapPages(site).paths;
  // Two reused pages share the answers for linked URLs; each has its own browser, since copy buttons are
  // checked through the clipboard, which is the browser's.
  const cache = new LinkCache();
  const lanes = 2;
  browsers = await Promise.all(Array.from({ length: lanes }, () => chromium.launch(launchOptions)));
  const started = performance.now();
  const byLane = await Promise.all(
    browsers.map(async (browser, lane) => {
      const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
      const { origin, root } = sitemapPages(site).location;
      const crawler = new Crawler(await context.newPage(), { cache, siteUrl: origin ? origin + root : undefined });
      const out: CrawlPageResult[] = [];
      for (const p of paths.filter((_, i) => i % lanes === lane)) out.push(await crawler.visit(server.url + p));
      await context.close();
      return out;
    }),
  );
  seconds = (performance.now() - started) / 1000;
  results = byLane.flat();
  console.log(`crawl: ${results.length} pages in ${seconds.toFixed(1)}s (${(results.length / seconds).toFixed(1)} pages/s with ${lanes} pages)`);
}, 900_000);

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await server?.close();
});

describe("the browser crawl on generated notes with 8 planted broken links", () => {
  it("visited every page of the sitemap", () => {
    expect(results.length).toBe(sitemapPages(site).paths.length);
    expect(results.length).toBeGreaterThan(500);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
  });

  it("flags exactly the pages the links were planted on", () => {
    const flagged = [...new Set(results.filter((r) => r.problems.length).map((r) => new URL(r.url).pathname))].sort();
    const planted = [...new Set(manifest.broken.map((b) => manifest.notes[b.source].permalink))].sort();
    expect(planted).toHaveLength(8);
    expect(flagged).toEqual(planted);
  });

  it("says which link is broken on each, and why", () => {
    const problems = results.flatMap((r) => r.problems.map((p) => ({ page: new URL(r.url).pathname, ...p })));
    const seen = problems.map((p) => `${p.page} ${p.kind} ${p.detail}`);
    expect(problems).toHaveLength(8);
    for (const b of manifest.broken) {
      const page = manifest.notes[b.source].permalink;
      const problem = problems.find((p) => p.page === page);
      expect(problem, seen.join("\n")).toBeDefined();
      expect(problem!.kind).toBe("link");
      expect(problem!.detail.startsWith(`${b.target}: `), problem!.detail).toBe(true);
      expect(problem!.detail).toMatch(b.target.includes("#") ? /no element with id or name "no-such-heading-\d"/ : /HTTP 404$/);
    }
  });

  it("checked the good links and anchors along the way", () => {
    const counts = results.reduce((a, r) => ({ links: a.links + r.counts.links, fragments: a.fragments + r.counts.fragments }), { links: 0, fragments: 0 });
    expect(counts.links).toBeGreaterThan(5_000);
    expect(counts.fragments).toBeGreaterThan(1_000);
  });
});
