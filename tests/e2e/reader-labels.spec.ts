// Labels in the page's language: every kind of page in the site's language, and on a zh-CN site no English label
// left in the site's own text, the heading anchor links or the snippet UI. Each test is declared once per site the
// suite serves (see site.ts).
import { test, expect, type Page } from "@playwright/test";
import { sitemapPages } from "../../plugins/checks/check.ts";
import { labelsFor } from "../../plugins/hexo/i18n.ts";
import { siteSource, url } from "./reader-site.ts";
import { readerSites, type ServedSite } from "./site.ts";

for (const site of readerSites()) test.describe(site.name, () => labelTests(site));

function labelTests(site: ServedSite): void {
  const { blogConfig, longestPost, postsWith } = siteSource(site);

  // ---- labels in the page's language ---------------------------------------------------------------------------

  /** What the blog wrote (titles, names, note text) as opposed to the site's own labels. */
  const authored = [
    ".post-body", ".post-title", ".post-item-title", ".read-more .visually-hidden", ".toc-text", ".excerpt", ".breadcrumbs a", ".tags a", ".terms a", ".post-list .post-meta a", ".post-item-categories",
    ".site-title", ".home-intro", ".post-license dd", ".post-nav-title", "time", ".search-results", "kbd", "script", "style", "noscript",
    ".snippets-table td", ".archive-overview a", ".archive-year a", ".listing-title", ".snippets-total", ".site-footer", "select option:not([value=''])",
  ].join(", ");
  /** The snippet UI inside notes (badges, buttons, summaries): the snippets plugin's labels. */
  const snippetUi = ".snippet__bar, .snippet__message, .snippet__details, .snippets-summary, .snippet__badge";

  /** Words of two or more Latin letters in the site's own text and attributes (outside `skip`) of the page. */
  async function latinLabels(page: Page, skip: string, within = "body", keep = ":not(*)"): Promise<string[]> {
    return page.evaluate(
      ({ skip, within, keep }) => {
        // Inside what is skipped, `keep` still counts (a heading's anchor link label inside the note's text).
        const skipped = (el: Element) => el.closest(skip) !== null && el.closest(keep) === null;
        const found: string[] = [];
        const latin = /[A-Za-z]{2,}/;
        // Names of things, not labels: the feed format, the shortcut key, the site's Latin brand names.
        const allowed = /^(Atom|Ctrl|K|JavaScript|RSS|zip)$/;
        const note = (where: string, text: string) => {
          const words = text.match(/[A-Za-z]{2,}/g)?.filter((w) => !allowed.test(w));
          if (words?.length) found.push(`${where}: ${text.trim().slice(0, 80)}`);
        };
        for (const root of document.querySelectorAll(within)) {
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement!;
            if (skipped(el) || !latin.test(n.textContent!)) continue;
            note(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""), n.textContent!);
          }
          for (const el of [root, ...root.querySelectorAll("*")]) {
            if (skipped(el)) continue;
            for (const attr of ["aria-label", "title", "placeholder", "alt"]) {
              const value = el.getAttribute(attr);
              if (value && latin.test(value)) note(`${el.tagName.toLowerCase()}[${attr}]`, value);
            }
          }
        }
        return found;
      },
      { skip, within, keep },
    );
  }

  /** One page of each kind: home, a note, archives, a year, a category, a tag, both indexes, search, 404, report. */
  function pagesOfEachKind(): { kind: string; path: string }[] {
    const config = blogConfig();
    const paths = sitemapPages(site.dir()).paths.map((p) => decodeURI(p));
    const find = (re: RegExp) => paths.find((p) => re.test(p)) ?? "(none)";
    return [
      { kind: "home", path: "" },
      { kind: "note", path: longestPost().path },
      { kind: "archives", path: `${config.archive_dir}/` },
      { kind: "a year", path: find(new RegExp(`^${config.archive_dir}/\\d{4}/$`)) },
      { kind: "a category", path: find(new RegExp(`^${config.category_dir}/[^/]+/$`)) },
      { kind: "a tag", path: find(new RegExp(`^${config.tag_dir}/[^/]+/$`)) },
      { kind: "categories", path: `${config.category_dir}/` },
      { kind: "tags", path: `${config.tag_dir}/` },
      { kind: "search", path: "search/" },
      { kind: "not found", path: "404.html" },
      { kind: "snippets report", path: "snippets/" },
    ];
  }

  test("labels: every page in the site's language; no English label left on a zh-CN page", async ({ page }) => {
    const baseURL = site.url();
    const config = blogConfig();
    const problems: string[] = [];
    for (const { kind, path: p } of pagesOfEachKind()) {
      const response = await page.goto(url(p, baseURL));
      expect(response?.status(), `${kind}: ${p}`).toBe(200);
      const lang = (await page.locator("html").getAttribute("lang"))!;
      expect(lang, `${kind}: <html lang> is the site's language`).toBe(config.language);
      const t = labelsFor(lang);
      await expect(page.locator(".site-nav a")).toHaveText([t.home, t.archives, t.categories, t.tags]);
      if (/^zh/i.test(lang)) for (const found of await latinLabels(page, `${authored}, ${snippetUi}`)) problems.push(`${kind} (${p}): ${found}`);
    }
    expect(problems).toEqual([]);
  });

  test("labels: the heading anchor links in a zh-CN note are labelled in Chinese (plugins/markdown)", async ({ page }) => {
    const baseURL = site.url();
    const target = longestPost();
    await page.goto(url(target.path, baseURL));
    expect((await page.locator("html").getAttribute("lang"))!).toMatch(/^zh/i);
    await expect(page.locator(".post-body .headerlink").first()).toBeAttached();
    expect(await latinLabels(page, "*", ".post-body", ".headerlink")).toEqual([]);
  });

  test("labels: the snippet UI on a zh-CN note is in Chinese too", async ({ page }) => {
    const baseURL = site.url();
    const withSnippets = postsWith('class="snippet__bar');
    expect(withSnippets.length, "notes with verified snippets").toBeGreaterThan(0);
    await page.goto(url(withSnippets[0].path, baseURL));
    const lang = (await page.locator("html").getAttribute("lang"))!;
    expect(lang).toMatch(/^zh/i);
    // Inside the snippet UI, file names (01.py, prog.py) and names from the note's own code (a module it needs) are
    // names, not labels.
    const names = new Set(((await page.locator(".post-body pre code").allTextContents()).join(" ").match(/[A-Za-z_][\w-]*/g) ?? []));
    const found = (await latinLabels(page, ".snippet__name, code, .snippet__diff", snippetUi))
      .filter((f) => !/^\S+: [\w.-]+\.\w+$/.test(f))
      .filter((f) => !(f.replace(/^\S+: /, "").match(/[A-Za-z]{2,}[\w-]*/g) ?? []).every((w) => names.has(w)));
    expect(found, "English in the snippet UI (plugins/snippets)").toEqual([]);
  });
}
