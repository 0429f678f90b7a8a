// axe-core on one page of each kind, light and dark: no serious or critical violation, on the site the suite serves
// and on the tom89757 blog (readerSites() in site.ts). A kind of page the blog's sources give none of (tom89757 has
// no standalone page) is skipped, saying so; every other page must be there and pass. Whether the blog has a kind
// comes from its sources and config, never from the built site, so a kind the build stopped writing fails.
import fs from "node:fs";
import path from "node:path";
import { test, expect } from "@playwright/test";
import { AxeBuilder } from "@axe-core/playwright";
import { parseFrontMatter } from "../../plugins/hexo/frontmatter.ts";
import { siteSource } from "./reader-site.ts";
import { aCategoryPage, aPost, crawlPaths, readerSites, type ServedSite } from "./site.ts";

/** The first sitemap page whose path (decoded) matches. */
const first = (re: RegExp) => (dir: string) => crawlPaths(dir).find((p) => re.test(decodeURI(p)));

/** What the blog's sources say it has: notes, more of them than fit the home page, tags, standalone pages. */
function blogFacts(site: ServedSite) {
  const { posts, blogConfig, sourceDir } = siteSource(site);
  const config = blogConfig();
  const notes = posts();
  const data = notes.map((p) => {
    const front = parseFrontMatter(fs.readFileSync(path.join(sourceDir(), p.source), "utf8"));
    return front.ok ? (front.value.data as Record<string, unknown>) : {};
  });
  const listed = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== "");
  const standalone = (fs.readdirSync(sourceDir(), { recursive: true }) as string[]).some(
    (f) => f.endsWith(".md") && !f.split(path.sep).some((part) => part.startsWith("_")),
  );
  return {
    notes: notes.length > 0,
    secondPage: config.index_generator.per_page > 0 && notes.length > config.index_generator.per_page,
    categories: notes.length > 0 && (Boolean(config.default_category) || data.some((d) => listed(d.categories ?? d.category))),
    tags: data.some((d) => listed(d.tags ?? d.tag)),
    standalone,
  };
}

type Facts = ReturnType<typeof blogFacts>;

const pages: { name: string; path: (dir: string) => string | undefined; expected?: (facts: Facts) => boolean }[] = [
  { name: "home", path: () => "" },
  { name: "home, page 2", path: first(/^page\/2\/$/), expected: (f) => f.secondPage },
  { name: "a post", path: aPost, expected: (f) => f.notes },
  { name: "archives", path: first(/^archives\/$/), expected: (f) => f.notes },
  { name: "a year of the archives", path: first(/^archives\/\d{4}\/$/), expected: (f) => f.notes },
  { name: "a month of the archives", path: first(/^archives\/\d{4}\/\d{2}\/$/), expected: (f) => f.notes },
  { name: "the categories", path: first(/^categories\/$/), expected: (f) => f.notes },
  { name: "a category page", path: aCategoryPage, expected: (f) => f.categories },
  { name: "the tags", path: first(/^tags\/$/), expected: (f) => f.notes },
  { name: "a tag page", path: first(/^tags\/[^/]+\/$/), expected: (f) => f.tags },
  { name: "a standalone page", path: (dir) => crawlPaths(dir).find((p) => !/^(\d{4}|archives|categories|tags|page|search|snippets)\//.test(decodeURI(p)) && p !== ""), expected: (f) => f.standalone },
  { name: "not found", path: () => "404.html" },
  { name: "search page", path: () => "search/?q=python" },
  { name: "snippets report", path: () => "snippets/" },
];

for (const site of readerSites()) test.describe(site.name, () => {
  for (const { name, path: pathOf, expected } of pages) {
    for (const scheme of ["light", "dark"] as const) {
      test(`accessibility: ${name} (${scheme})`, async ({ page }, testInfo) => {
        const baseURL = site.url();
        const target = pathOf(site.dir());
        if (expected?.(blogFacts(site))) expect(target, `the blog's sources give it ${name}, the built site has none`).toBeDefined();
        test.skip(target === undefined, `the blog has no ${name}`);
        await page.emulateMedia({ colorScheme: scheme });
        const url = new URL(target!, baseURL).href;
        const response = await page.goto(url);
        expect(response?.status(), `${url} answers 200`).toBe(200);
        const results = await new AxeBuilder({ page }).analyze();
        await testInfo.attach("axe.json", { body: JSON.stringify(results.violations, null, 2), contentType: "application/json" });
        const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        expect(
          bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")})`),
          `serious or critical axe violations on ${decodeURI(url)}`,
        ).toEqual([]);
      });
    }
  }
});
