// What a reader gets on a long note, on a phone (360 px) and a wide screen (1280 px): the table of contents, back
// to top, tables, code and fonts. Each test is declared once per site the suite serves (the sample blog or
// VERINOTES_E2E_HEXO, and tom89757; see site.ts), under the site's name.
import { test, expect } from "@playwright/test";
import { eachDocument, labelsOf, siteSource, url } from "./reader-site.ts";
import { readerSites, type ServedSite } from "./site.ts";

for (const site of readerSites()) test.describe(site.name, () => layoutTests(site));

function layoutTests(site: ServedSite): void {
  const { posts, html, longestPost, postsWith } = siteSource(site);

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
