import { describe, expect, it } from "vitest";
import { browserSettings, resolveSearchOptions } from "./options.ts";
import { isSearchable, pageUrl } from "./index-site.ts";

describe("resolveSearchOptions", () => {
  it("defaults every option", () => {
    const options = resolveSearchOptions();
    expect(options).toMatchObject({ enabled: true, bundleDir: "pagefind", page: "search/index.html", layout: "search.njk", splitCjk: true });
    expect(browserSettings(options)).toMatchObject({ pageUrl: "search/", bundleUrl: "pagefind/" });
    // Pagefind searches on the page's thread: no worker script to download on the first query.
    expect(browserSettings(options).pagefindOptions.noWorker).toBe(true);
    expect(browserSettings(resolveSearchOptions({ worker: true })).pagefindOptions.noWorker).toBe(false);
  });

  it("keeps the bundle inside the output folder", () => {
    expect(resolveSearchOptions({ bundleDir: "/_search/" }).bundleDir).toBe("_search");
    expect(() => resolveSearchOptions({ bundleDir: "../elsewhere" })).toThrow(/inside the output folder/);
  });

  it("merges ranking parameters over the defaults and can drop the page", () => {
    const options = resolveSearchOptions({ ranking: { termFrequency: 0.5 }, page: false });
    expect(options.ranking).toEqual({ termFrequency: 0.5 });
    expect(browserSettings(options).pageUrl).toBe("");
  });
});

describe("pages and their URLs", () => {
  it.each([
    ["2022/06/03/argparse-入门/index.html", "/2022/06/03/argparse-%E5%85%A5%E9%97%A8/"],
    ["about/index.html", "/about/"],
    ["index.html", "/"],
    ["notes/page.html", "/notes/page.html"],
    ["a b/c#d.html", "/a%20b/c%23d.html"],
  ])("%s → %s", (rel, url) => {
    expect(pageUrl(rel)).toBe(url);
  });

  it("indexes only pages that mark their content", () => {
    expect(isSearchable('<article class="post" data-pagefind-body data-pagefind-meta="x">')).toBe(true);
    expect(isSearchable("<main data-pagefind-body>")).toBe(true);
    expect(isSearchable("<p>mentions data-pagefind-body in text</p>")).toBe(false);
    expect(isSearchable('<section class="listing">')).toBe(false);
  });
});
