// Visits every page of sitemap.xml in a browser, a chunk of pages per test on one reused page (a fresh page per
// URL is four times slower); chunks are separate tests so `--shard` spreads them over machines. At 360 px wide.
import { test, expect } from "@playwright/test";
import { Crawler, LinkCache, type CrawlPageResult } from "../../plugins/checks/crawl.ts";
import { chunk, crawlPaths, publishedUrl } from "./site.ts";

const CHUNKS = Math.max(1, Number(process.env.CRAWL_CHUNKS ?? 4));

test.use({ viewport: { width: 360, height: 780 } });

/** Answers for linked URLs, shared by the chunks one worker runs (the served site does not change). */
const cache = new LinkCache();

for (let k = 0; k < CHUNKS; k++) {
  test(`crawl: sitemap pages, chunk ${k + 1} of ${CHUNKS}`, async ({ page, baseURL }, testInfo) => {
    const all = crawlPaths();
    // A site without sitemap.xml (or an empty one) has nothing to crawl: that is a failure, not a skip of every chunk.
    expect(all.length, "pages in sitemap.xml").toBeGreaterThan(0);
    test.skip(all.length <= k, `the sitemap has ${all.length} pages, fewer than ${CHUNKS} chunks`);
    const paths = chunk(all, k, CHUNKS);
    testInfo.setTimeout(60_000 + paths.length * 3_000);
    const crawler = new Crawler(page, { siteUrl: publishedUrl(), cache });
    const results: CrawlPageResult[] = [];
    const started = performance.now();
    for (const p of paths) results.push(await crawler.visit(new URL(p, baseURL).href));
    const seconds = (performance.now() - started) / 1000;
    const rate = `${paths.length} pages in ${seconds.toFixed(1)}s, ${(paths.length / seconds).toFixed(1)} pages/s`;
    testInfo.annotations.push({ type: "crawl", description: rate });
    console.log(`crawl chunk ${k + 1}/${CHUNKS}: ${rate}`);
    const problems = results.flatMap((r) => r.problems);
    await testInfo.attach("crawl.json", {
      body: JSON.stringify({ pages: results.map(({ url, status, ms, counts }) => ({ url, status, ms: Math.round(ms), counts })), problems }, null, 2),
      contentType: "application/json",
    });
    const pages = new Set(problems.map((p) => p.url));
    expect(
      problems.map((p) => `${decodeURI(p.url)} [${p.kind}] ${p.detail}`),
      `${problems.length} problems on ${pages.size} of ${paths.length} pages`,
    ).toEqual([]);
  });
}
