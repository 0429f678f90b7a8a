// What a reader gets on a long Chinese note, on a phone (360 px) and a wide screen (1280 px): the table of contents,
// back to top, archives and term indexes, the home intro, labelled previous/next, labels in the page's language,
// updated date, word count, licence, tables, code and fonts. Each test checks one of these on whatever site the
// suite serves (the sample blog, or the blog VERINOTES_E2E_HEXO names) and on the tom89757 blog, which the global
// setup builds and serves beside it; each test is declared once per site, under the site's name.
// Expectations come from the blog's sources (config, front matter, git history) or are computed in the browser
// from the page itself, never from the values the build printed.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { test, expect, type Page } from "@playwright/test";
import { parseHexoConfig } from "../../plugins/hexo/config.ts";
import { parseFrontMatter } from "../../plugins/hexo/frontmatter.ts";
import { parseHexoDate, formatDisplayDate } from "../../plugins/hexo/dates.ts";
import { labelsFor } from "../../plugins/hexo/i18n.ts";
import { readerSites, type ServedSite } from "./site.ts";
import { sitemapPages } from "../../plugins/checks/check.ts";

for (const site of readerSites()) test.describe(site.name, () => readerTests(site));

/** Every reader test, on one site. */
function readerTests(site: ServedSite): void {
  // ---- the site under test, from its files -------------------------------------------------------------------

  interface SourcePage {
    /** Path below the site root, e.g. `2022/06/03/argparse-入门/`. */
    path: string;
    /** Source file relative to the blog's source folder. */
    source: string;
  }

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
  const url = (p: string, baseURL?: string) => new URL(encodeURI(p), baseURL).href;

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

  /** The labels of a page's language (`<html lang>`), as the messages files give them. */
  async function labelsOf(page: Page) {
    return labelsFor((await page.locator("html").getAttribute("lang")) ?? "en");
  }

  /** Runs `check` over the DOM of each URL (fetched and parsed in the page, which is much faster than visiting). */
  async function eachDocument<T>(page: Page, urls: string[], check: string): Promise<T[]> {
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

  // ---- table of contents and back to top -----------------------------------------------------------------------

  test("table of contents: numbered as the headings nest (1, 1.1, 1.2, 2), in the order of the text", async ({ page }) => {
      const baseURL = site.url();
    await page.goto(url("", baseURL));
    const withToc = posts().filter((p) => html(p.path).includes('<nav class="toc"'));
    expect(withToc.length, "posts with a table of contents").toBeGreaterThan(0);
    const problems = await eachDocument<string[]>(
      page,
      withToc.map((p) => url(p.path, baseURL)),
      `
      const problems = [];
      const body = doc.querySelector(".post-body");
      const headings = [...body.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter((h) => h.id);
      const levels = [...new Set(headings.map((h) => Number(h.tagName[1])))].sort((a, b) => a - b).slice(0, 2);
      const expected = headings.filter((h) => levels.includes(Number(h.tagName[1]))).map((h) => h.id);
      const top = doc.querySelector(".toc details > ol");
      const seen = [];
      const numbered = top.querySelector(".toc-number") !== null;
      const walk = (ol, prefix) => [...ol.children].forEach((li, i) => {
        const a = li.querySelector(":scope > a");
        seen.push(decodeURIComponent(a.hash.slice(1)));
        const number = prefix ? prefix + "." + (i + 1) : String(i + 1);
        const shown = a.querySelector(".toc-number")?.textContent ?? "";
        if (numbered && shown !== number) problems.push(url + ": " + a.textContent.trim() + " is numbered " + JSON.stringify(shown) + ", expected " + number);
        const sub = li.querySelector(":scope > ol");
        if (sub) walk(sub, number);
      });
      walk(top, "");
      if (!numbered && !seen.length) problems.push(url + ": empty table of contents");
      if (JSON.stringify(seen) !== JSON.stringify(expected)) problems.push(url + ": contents " + JSON.stringify(seen) + " but headings " + JSON.stringify(expected));
      return problems;`,
    );
    expect(problems.flat()).toEqual([]);
  });

  test("table of contents: sticky beside the text at 1280 px, marking the section in view", async ({ page }) => {
      const baseURL = site.url();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url(longestPost().path, baseURL));
    const toc = page.locator("nav.toc");
    const body = page.locator(".post-body");
    const [tocBox, bodyBox] = [await toc.boundingBox(), await body.boundingBox()];
    expect(tocBox!.x, "the contents sit to the right of the text").toBeGreaterThanOrEqual(bodyBox!.x + bodyBox!.width);
    await expect(toc.locator("details")).toHaveAttribute("open", "");
    // A section far down whose next heading is more than half a screen below it.
    const target = await page.evaluate(() => {
      const links = [...document.querySelectorAll<HTMLAnchorElement>(".toc a")];
      const headings = links.map((a) => document.getElementById(decodeURIComponent(a.hash.slice(1)))!);
      const tops = headings.map((h) => h.getBoundingClientRect().top + window.scrollY);
      for (let i = Math.floor(headings.length / 2); i < headings.length; i++) {
        if ((tops[i + 1] ?? document.body.scrollHeight) - tops[i] > window.innerHeight / 2) return headings[i].id;
      }
      return headings[headings.length - 1].id;
    });
    await page.evaluate((id) => document.getElementById(id)!.scrollIntoView(), target);
    await expect(toc.locator('a[aria-current="location"]')).toHaveAttribute("href", `#${target}`);
    await expect(toc.locator('a[aria-current="location"]')).toHaveCount(1);
    const stuck = await toc.boundingBox();
    expect(await page.evaluate(() => window.scrollY), "the page was scrolled").toBeGreaterThan(800);
    expect(stuck!.y, "the contents stay in view").toBeGreaterThanOrEqual(0);
    expect(stuck!.y).toBeLessThan(100);
    await expect(toc.locator('a[aria-current="location"]')).toBeInViewport();
    // At the end of the page, the last section is the one being read.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(toc.locator('a[aria-current="location"]')).toHaveAttribute("href", (await toc.locator("a").last().getAttribute("href"))!);
  });

  test("table of contents: folded at the top of the note at 360 px, opened with a tap", async ({ page }) => {
      const baseURL = site.url();
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(url(longestPost().path, baseURL));
    const t = await labelsOf(page);
    const toc = page.locator("nav.toc");
    const [tocBox, bodyBox] = [await toc.boundingBox(), await page.locator(".post-body").boundingBox()];
    expect(tocBox!.y + tocBox!.height, "above the text").toBeLessThanOrEqual(bodyBox!.y);
    expect(tocBox!.height, "folded to one line").toBeLessThan(80);
    await expect(toc.locator("a")).not.toHaveCount(0);
    await expect(toc.locator("a").first()).toBeHidden();
    await toc.getByText(t.toc, { exact: true }).click();
    await expect(toc.locator("a").first()).toBeVisible();
  });

  test("back to top: appears a screen down, takes the reader to the top", async ({ page }) => {
      const baseURL = site.url();
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(url(longestPost().path, baseURL));
    const t = await labelsOf(page);
    const control = page.getByRole("link", { name: t.backToTop });
    await expect(control).toBeHidden();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    await expect(control).toBeVisible();
    await expect(control).toBeInViewport();
    await control.click();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
    await expect(control).toBeHidden();
  });

  // ---- archives, categories, tags, home, previous/next ---------------------------------------------------------

  const countOf = (text: string | null) => Number(/\d+/.exec(text ?? "")?.[0] ?? NaN);

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

  // ---- updated, word count, licence ----------------------------------------------------------------------------

  /** The note's last commit date, from git itself, one file at a time (the build reads the whole history at once). */
  function lastCommit(file: string): Date | undefined {
    try {
      const out = execFileSync("git", ["-C", path.dirname(file), "log", "-1", "--format=%aI", "--", path.basename(file)], { encoding: "utf8" }).trim();
      return out ? new Date(out) : undefined;
    } catch {
      return undefined;
    }
  }

  test("updated: front matter `updated:` wins, else the note's last commit when the blog is a git checkout, never the mtime", async ({ page }) => {
      const baseURL = site.url();
    const config = blogConfig();
    const zone = config.timezone || "UTC";
    await page.goto(url("", baseURL));
    const list = posts();
    const shown = await eachDocument<{ date: string; updated?: string }>(
      page,
      list.map((p) => url(p.path, baseURL)),
      `return { date: doc.querySelector(".post-meta time").textContent, updated: doc.querySelector(".post-updated time")?.textContent };`,
    );
    const problems: string[] = [];
    let fromGit = 0;
    list.forEach((p, i) => {
      const file = path.join(sourceDir(), p.source);
      const front = parseFrontMatter(fs.readFileSync(file, "utf8"));
      const written = front.ok ? parseHexoDate(front.value.data.updated, { siteTimezone: config.timezone, machineTimezone: "UTC" }) : undefined;
      const committed = lastCommit(file);
      const expected = written ?? committed;
      if (!written && committed) fromGit++;
      const text = expected ? formatDisplayDate(expected, zone) : undefined;
      const want = text && text !== shown[i].date ? text : undefined;
      if (shown[i].updated !== want) problems.push(`${p.source}: updated ${shown[i].updated ?? "(none)"}, expected ${want ?? "(none)"}`);
    });
    expect(problems).toEqual([]);
    // The sample blog is in this repository's git history; a blog outside a checkout has only its front matter.
    let inGit = true;
    try {
      execFileSync("git", ["-C", sourceDir(), "rev-parse"], { stdio: "ignore" });
    } catch {
      inGit = false;
    }
    if (inGit) expect(fromGit, "notes whose updated date comes from git").toBeGreaterThan(0);
  });

  test("word count and reading time: CJK characters count one each", async ({ page }) => {
      const baseURL = site.url();
    await page.goto(url("", baseURL));
    const t = await labelsOf(page);
    const lang = (await page.locator("html").getAttribute("lang")) ?? "en";
    const list = posts();
    // What a reader reads: the note's text in the page, without what plugins add (snippet UI) and without math markup.
    const pages = await eachDocument<{ cjk: number; other: number; words: string; reading: string }>(
      page,
      list.map((p) => url(p.path, baseURL)),
      `const body = doc.querySelector(".post-body");
      body.querySelectorAll(".snippet__bar, .snippet__message, .snippet__details, .headerlink, .katex").forEach((e) => e.remove());
      const cjkRe = /[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff]/g;
      const text = body.textContent;
      return {
        cjk: (text.match(cjkRe) ?? []).length,
        other: (text.replace(cjkRe, " ").match(/[\\p{L}\\p{N}_]+(?:['’.-][\\p{L}\\p{N}_]+)*/gu) ?? []).length,
        words: doc.querySelector(".post-words").textContent,
        reading: doc.querySelector(".post-reading").textContent,
      };`,
    );
    const problems: string[] = [];
    let chinese = 0;
    pages.forEach((p, i) => {
      const words = Number(p.words.replace(/[^\d]/g, ""));
      const total = p.cjk + p.other;
      if (p.cjk > p.other) chinese++;
      if (p.words !== t.wordCount.replace("%s", words.toLocaleString(lang))) problems.push(`${list[i].source}: "${p.words}"`);
      // The count is made on the Markdown, as NexT's is: math source and link titles make it differ a little from the
      // page's text.
      if (Math.abs(words - total) > Math.max(20, total * 0.1)) problems.push(`${list[i].source}: ${words} words shown, ${total} in the page`);
      const minutes = countOf(p.reading);
      const expected = Math.max(1, Math.round(p.cjk / 300 + p.other / 200));
      if (Math.abs(minutes - expected) > Math.max(1, expected * 0.15)) problems.push(`${list[i].source}: ${minutes} min shown, ${expected} expected`);
    });
    expect(problems).toEqual([]);
    expect(chinese, "Chinese notes, where a character is a word").toBeGreaterThan(0);
  });

  test("licence: the line from _config.yml (license/copyright) under every note, with author and link", async ({ page }) => {
      const baseURL = site.url();
    const config = blogConfig();
    await page.goto(url("", baseURL));
    const t = await labelsOf(page);
    const list = posts();
    const shown = await eachDocument<{ canonical: string; license?: string; link?: string; author?: string }>(
      page,
      list.map((p) => url(p.path, baseURL)),
      `const dd = [...doc.querySelectorAll(".post-license dd")];
      return { canonical: doc.querySelector("link[rel=canonical]").href, license: dd[2]?.textContent, link: dd[1]?.querySelector("a")?.href, author: dd[0]?.textContent };`,
    );
    const problems: string[] = [];
    list.forEach((p, i) => {
      const front = parseFrontMatter(fs.readFileSync(path.join(sourceDir(), p.source), "utf8"));
      const data = front.ok ? front.value.data : {};
      const own = data.license ?? data.copyright;
      const expected = own === false ? undefined : (own ?? (config.license || undefined));
      const s = shown[i];
      if (!expected) {
        if (s.license !== undefined) problems.push(`${p.source}: licence ${s.license} shown, none set`);
        return;
      }
      if (!s.license) return void problems.push(`${p.source}: no licence line`);
      const short = String(expected).replace(/^cc[ -]/i, "").toUpperCase();
      if (!s.license.toUpperCase().includes(short)) problems.push(`${p.source}: licence ${s.license}, expected ${expected}`);
      if (s.link !== s.canonical) problems.push(`${p.source}: link ${s.link}, expected ${s.canonical}`);
      if (s.author !== (config.author || config.title)) problems.push(`${p.source}: author ${s.author}`);
    });
    expect(problems).toEqual([]);
    if (config.license) {
      await page.goto(url(list[0].path, baseURL));
      await expect(page.locator(".post-license dt")).toHaveText([t.licenseAuthor, t.licenseLink, t.licenseTerms]);
    }
  });

  // ---- tables, code, fonts --------------------------------------------------------------------------------------

  test("tables at 360 px: scroll inside their box, words in cells kept whole", async ({ page }) => {
      const baseURL = site.url();
    await page.setViewportSize({ width: 360, height: 780 });
    const withTables = postsWith("<table");
    expect(withTables.length, "notes with tables").toBeGreaterThan(0);
    const problems: string[] = [];
    for (const p of withTables) {
      await page.goto(url(p.path, baseURL));
      const found = await page.evaluate(() => {
        const out: string[] = [];
        if (document.documentElement.scrollWidth > window.innerWidth) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
        const body = document.querySelector(".post-body")!.getBoundingClientRect();
        for (const table of document.querySelectorAll<HTMLTableElement>(".post-body table")) {
          const box = table.getBoundingClientRect();
          if (box.right > body.right + 1) out.push(`a table reaches ${Math.round(box.right)}px, past the text (${Math.round(body.right)}px)`);
          if (table.scrollWidth > table.clientWidth + 1 && getComputedStyle(table).overflowX !== "auto") out.push("a wide table does not scroll");
          for (const cell of table.querySelectorAll("th, td")) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              for (const m of n.textContent!.matchAll(/[A-Za-z0-9_]{2,}/g)) {
                const range = document.createRange();
                range.setStart(n, m.index!);
                range.setEnd(n, m.index! + m[0].length);
                const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (lines.size > 1) out.push(`"${m[0]}" is broken over ${lines.size} lines in “${cell.textContent!.trim().slice(0, 40)}”`);
              }
            }
          }
        }
        return out;
      });
      problems.push(...found.map((f) => `${p.path}: ${f}`));
    }
    expect(problems).toEqual([]);
  });

  test("code: a tab is 4 columns wide", async ({ page }) => {
      const baseURL = site.url();
    const withCode = postsWith("<pre");
    expect(withCode.length, "notes with code").toBeGreaterThan(0);
    await page.goto(url(withCode[0].path, baseURL));
    // A block of the page's own kind with a tab at the start of a line, measured against four spaces.
    const widths = await page.evaluate(() => {
      const pre = document.querySelector(".post-body pre")!.cloneNode(false) as HTMLElement;
      const code = document.querySelector(".post-body pre code")!.cloneNode(false) as HTMLElement;
      pre.append(code);
      document.querySelector(".post-body")!.append(pre);
      const probe = (text: string) => {
        code.textContent = "";
        const span = document.createElement("span");
        span.textContent = text;
        code.append(span);
        return span.getBoundingClientRect().width;
      };
      const result = { tab: probe("\tx"), spaces: probe("    x"), eight: probe("        x") };
      pre.remove();
      return result;
    });
    expect(widths.spaces).toBeLessThan(widths.eight);
    expect(widths.tab).toBeCloseTo(widths.spaces, 0);
  });

  test("code: in shell transcripts only the `$ ` commands are highlighted, never the output", async ({ page }) => {
      const baseURL = site.url();
    await page.goto(url("", baseURL));
    const transcripts = posts().filter((p) => /<code class="language-(?:bash|sh|zsh|console|shell)[ "]/.test(html(p.path)));
    expect(transcripts.length, "notes with shell transcripts").toBeGreaterThan(0);
    const problems = await eachDocument<string[]>(
      page,
      transcripts.map((p) => url(p.path, baseURL)),
      `const out = [];
      for (const code of doc.querySelectorAll("pre code[class*=language-]")) {
        if (!/language-(bash|sh|zsh|console|shell)\\b/.test(code.className)) continue;
        const text = code.textContent.split("\\n");
        if (!text.some((l) => l.startsWith("$ "))) continue;
        const lines = code.innerHTML.split("\\n");
        let continued = false;
        lines.forEach((line, i) => {
          const command = text[i].startsWith("$ ");
          // A blank line may hold the opening of the next prompt's span (highlight.js starts it at the line break).
          if (!command && !continued && text[i].trim() && /<span class="hljs-/.test(line)) out.push(url + ": output line highlighted: " + text[i].slice(0, 60));
          continued = (command || continued) && /\\\\$/.test(text[i]);
        });
      }
      return out;`,
    );
    expect(problems.flat()).toEqual([]);
  });

  test("fonts: Latin text in the Latin face the site serves, Chinese in the CJK face; nothing from another host", async ({ page }) => {
      const baseURL = site.url();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(url(longestPost().path, baseURL));
    await page.evaluate(() => document.fonts.ready);
    const origin = new URL(baseURL!).origin;
    expect(requests.filter((r) => !r.startsWith(origin) && !r.startsWith("data:"))).toEqual([]);
    // Chromium says which installed or downloaded faces drew a node's text.
    const session = await page.context().newCDPSession(page);
    await session.send("DOM.enable");
    await session.send("CSS.enable");
    const { root } = await session.send("DOM.getDocument", {});
    const facesOf = async (selector: string) => {
      const { nodeId } = await session.send("DOM.querySelector", { nodeId: root.nodeId, selector });
      expect(nodeId, selector).toBeGreaterThan(0);
      return (await session.send("CSS.getPlatformFontsForNode", { nodeId })).fonts.map((f) => f.familyName);
    };
    const latin = await facesOf(".post-meta time");
    expect(latin, "the date's digits").toEqual(["Inter"]);
    const chinese = await facesOf(".site-nav a");
    expect(chinese.length).toBe(1);
    expect(chinese[0], "the menu's Chinese label").toMatch(/Noto Sans CJK/);
    expect(requests.some((r) => r.startsWith(origin) && r.endsWith(".woff2")), "the Latin face is served by the site").toBe(true);
  });
}
