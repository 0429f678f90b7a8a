// axe-core on one page of each kind, light and dark: no serious or critical violation, on the site the suite serves
// and on the tom89757 blog (readerSites() in site.ts). A kind of page the blog has none of (tom89757 has no
// standalone page) is skipped, saying so; every other page must be there and pass.
import { test, expect } from "@playwright/test";
import { AxeBuilder } from "@axe-core/playwright";
import { aCategoryPage, aPost, crawlPaths, readerSites } from "./site.ts";

/** The first sitemap page whose path (decoded) matches. */
const first = (re: RegExp) => (dir: string) => crawlPaths(dir).find((p) => re.test(decodeURI(p)));

const pages: { name: string; path: (dir: string) => string | undefined }[] = [
  { name: "home", path: () => "" },
  { name: "home, page 2", path: first(/^page\/2\/$/) },
  { name: "a post", path: aPost },
  { name: "archives", path: first(/^archives\/$/) },
  { name: "a year of the archives", path: first(/^archives\/\d{4}\/$/) },
  { name: "a month of the archives", path: first(/^archives\/\d{4}\/\d{2}\/$/) },
  { name: "the categories", path: first(/^categories\/$/) },
  { name: "a category page", path: aCategoryPage },
  { name: "the tags", path: first(/^tags\/$/) },
  { name: "a tag page", path: first(/^tags\/[^/]+\/$/) },
  { name: "a standalone page", path: (dir) => crawlPaths(dir).find((p) => !/^(\d{4}|archives|categories|tags|page|search|snippets)\//.test(decodeURI(p)) && p !== "") },
  { name: "not found", path: () => "404.html" },
  { name: "search page", path: () => "search/?q=python" },
  { name: "snippets report", path: () => "snippets/" },
];

for (const site of readerSites()) test.describe(site.name, () => {
  for (const { name, path } of pages) {
    for (const scheme of ["light", "dark"] as const) {
      test(`accessibility: ${name} (${scheme})`, async ({ page }, testInfo) => {
        const baseURL = site.url();
        const target = path(site.dir());
        test.skip(target === undefined, `the site has no ${name}`);
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
