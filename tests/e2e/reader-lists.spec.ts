// How a reader finds notes: archives grouped by year and month, the category and tag indexes, the home intro, and
// labelled previous/next links. Each test is declared once per site the suite serves (see site.ts).
import { test, expect } from "@playwright/test";
import { countOf, eachDocument, labelsOf, siteSource, url } from "./reader-site.ts";
import { readerSites, type ServedSite } from "./site.ts";

for (const site of readerSites()) test.describe(site.name, () => listTests(site));

function listTests(site: ServedSite): void {
  const { posts, blogConfig } = siteSource(site);

  // ---- archives, categories, tags, home, previous/next ---------------------------------------------------------

  test("archives: grouped by year and month, with counts, linked to the year and month pages", async ({ page }) => {
    const baseURL = site.url();
    const config = blogConfig();
    await page.goto(url(`${config.archive_dir}/`, baseURL));
    const total = countOf(await page.locator(".listing-count").textContent());
    expect(total, "the archive's total is the number of notes").toBe(posts().length);
    const years = page.locator(".archive-overview > ul > li");
    expect(await years.count()).toBeGreaterThan(0);
    const links: { href: string; count: number; kind: string }[] = [];
    let sum = 0;
    for (const year of await years.all()) {
      const count = countOf(await year.locator(":scope > .count").textContent());
      sum += count;
      links.push({ href: (await year.locator(":scope > a").getAttribute("href"))!, count, kind: "year" });
      let months = 0;
      for (const month of await year.locator("li").all()) {
        const n = countOf(await month.locator(".count").textContent());
        months += n;
        links.push({ href: (await month.locator("a").getAttribute("href"))!, count: n, kind: "month" });
      }
      expect(months, `the months of ${await year.locator(":scope > a").textContent()} add up to the year`).toBe(count);
    }
    expect(sum, "the years add up to the total").toBe(total);
    // Each year and month page exists and lists as many notes as the overview says.
    for (const link of links) {
      const response = await page.goto(new URL(link.href, baseURL).href);
      expect(response?.status(), link.href).toBe(200);
      expect(countOf(await page.locator(".listing-count").textContent()), `${decodeURI(link.href)} (${link.kind})`).toBe(link.count);
      expect(link.href).toMatch(link.kind === "year" ? /\/\d{4}\/$/ : /\/\d{4}\/\d{2}\/$/);
    }
    // The first page groups its notes under year and month headings that link to those pages.
    await page.goto(url(`${config.archive_dir}/`, baseURL));
    const groups = await page.locator(".archive-year").evaluateAll((sections) =>
      sections.map((s) => ({
        year: s.querySelector("h2 a")!.getAttribute("href")!,
        months: [...s.querySelectorAll("h3.archive-month")].map((h) => ({
          href: h.querySelector("a")!.getAttribute("href")!,
          posts: [...h.nextElementSibling!.querySelectorAll(".post-item-title a")].map((a) => a.getAttribute("href")!),
        })),
      })),
    );
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      for (const m of g.months) {
        expect(m.href.startsWith(g.year), `${m.href} inside ${g.year}`).toBe(true);
        expect(m.posts.length).toBeGreaterThan(0);
        // With a dated permalink (:year/:month/…) a note's URL says which month it belongs to.
        const ym = /\/(\d{4}\/\d{2})\/$/.exec(m.href)![1];
        if (/^:year\/:month\//.test(config.permalink)) for (const p of m.posts) expect(p, `in ${ym}`).toContain(`/${ym}/`);
      }
    }
  });

  for (const kind of ["categories", "tags"] as const) {
    test(`${kind} index: sorted by name in the site's collation, with counts that match the pages`, async ({ page }) => {
    const baseURL = site.url();
      const config = blogConfig();
      await page.goto(url(`${kind === "categories" ? config.category_dir : config.tag_dir}/`, baseURL));
      const lang = (await page.locator("html").getAttribute("lang"))!;
      const lists = await page.locator(".terms ul").evaluateAll((uls) =>
        uls.map((ul) =>
          [...ul.children].map((li) => ({
            name: li.querySelector(":scope > a")!.textContent!.replace(/^#/, ""),
            href: li.querySelector(":scope > a")!.getAttribute("href")!,
            count: li.querySelector(":scope > .count")!.textContent!,
          })),
        ),
      );
      const terms = lists.flat();
      expect(terms.length).toBeGreaterThan(0);
      const collator = new Intl.Collator(lang, { numeric: true });
      for (const list of lists) {
        const names = list.map((t) => t.name);
        expect(names).toEqual([...names].sort(collator.compare));
      }
      for (const term of terms.slice(0, 12)) {
        await page.goto(new URL(term.href, baseURL).href);
        expect(countOf(await page.locator(".listing-count").textContent()), term.name).toBe(countOf(term.count));
      }
    });
  }

  test("home: the title, subtitle and description from _config.yml", async ({ page }) => {
    const baseURL = site.url();
    const config = blogConfig();
    await page.goto(url("", baseURL));
    await expect(page.locator("h1")).toHaveText(config.title);
    if (config.subtitle) await expect(page.locator(".home-subtitle")).toHaveText(config.subtitle);
    else await expect(page.locator(".home-subtitle")).toHaveCount(0);
    if (config.description) await expect(page.locator(".home-description")).toHaveText(config.description);
    else await expect(page.locator(".home-description")).toHaveCount(0);
    expect(config.subtitle || config.description, "the blog has a subtitle or a description to show").toBeTruthy();
  });

  test("previous/next: labelled in the page's language, previous is the older note, next the newer", async ({ page }) => {
    const baseURL = site.url();
    await page.goto(url("", baseURL));
    const t = await labelsOf(page);
    const pages = await eachDocument<{ url: string; date: string; older?: { href: string; label: string }; newer?: { href: string; label: string } }>(
      page,
      posts().map((p) => url(p.path, baseURL)),
      `
      const key = (u) => decodeURI(new URL(u, url).pathname);
      const link = (rel) => { const a = doc.querySelector(".post-nav a[rel=" + rel + "]"); return a ? { href: key(a.getAttribute("href")), label: a.querySelector(".post-nav-label")?.textContent ?? "" } : undefined; };
      return { url: key(url), date: doc.querySelector(".post-meta time").getAttribute("datetime"), older: link("prev"), newer: link("next") };`,
    );
    const dateOf = new Map(pages.map((p) => [p.url, p.date]));
    const problems: string[] = [];
    for (const p of pages) {
      if (p.older) {
        if (!p.older.label.includes(t.prevPost)) problems.push(`${decodeURI(p.url)}: previous labelled ${JSON.stringify(p.older.label)}`);
        if (!(dateOf.get(p.older.href)! <= p.date)) problems.push(`${decodeURI(p.url)}: previous ${decodeURI(p.older.href)} is not older`);
      }
      if (p.newer) {
        if (!p.newer.label.includes(t.nextPost)) problems.push(`${decodeURI(p.url)}: next labelled ${JSON.stringify(p.newer.label)}`);
        if (!(dateOf.get(p.newer.href)! >= p.date)) problems.push(`${decodeURI(p.url)}: next ${decodeURI(p.newer.href)} is not newer`);
      }
    }
    expect(problems).toEqual([]);
    const ends = pages.filter((p) => !p.older || !p.newer).length;
    expect(ends, "only the oldest and the newest note lack a neighbour").toBe(pages.length > 1 ? 2 : 1);
  });
}
