// What a note says about itself: the updated date (front matter, else the last commit, never the mtime), word
// count and reading time (CJK characters one each), and the licence line. Expected values come from the blog's
// sources (config, front matter, git history). Each test is declared once per site the suite serves (see site.ts).
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { test, expect } from "@playwright/test";
import { parseFrontMatter } from "../../plugins/hexo/frontmatter.ts";
import { parseHexoDate, formatDisplayDate } from "../../plugins/hexo/dates.ts";
import { countOf, eachDocument, labelsOf, siteSource, url } from "./reader-site.ts";
import { readerSites, type ServedSite } from "./site.ts";

for (const site of readerSites()) test.describe(site.name, () => metaTests(site));

function metaTests(site: ServedSite): void {
  const { posts, blogConfig, sourceDir } = siteSource(site);

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
}
