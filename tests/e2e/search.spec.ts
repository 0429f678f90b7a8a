// Search in a real browser on the sample site (content/): the header box from the keyboard, opening a result
// with its terms marked, the search page's filters and links, all without a request to another host.
import { test, expect, type Page } from "@playwright/test";
import { AxeBuilder } from "@axe-core/playwright";

// The workflows crawl SITE_DIR, built from $BLOG: these specs run there too while $BLOG is the sample notes.
test.skip(Boolean(process.env.SITE_DIR) && process.env.BLOG !== "content", "written for the sample notes in content/");

/** Fails the test on any request that leaves the site's host (the search must work offline). */
function stayOnSite(page: Page, baseURL: string | undefined): string[] {
  const elsewhere: string[] = [];
  const origin = new URL(baseURL!).origin;
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== "data:") elsewhere.push(request.url());
  });
  return elsewhere;
}

test("a Chinese query in the header box finds the note, which opens with the term marked", async ({ page, baseURL }) => {
  const elsewhere = stayOnSite(page, baseURL);
  await page.goto("/");
  await page.keyboard.press("/");
  const box = page.getByRole("combobox", { name: "搜索" });
  await expect(box).toBeFocused();
  await box.pressSequentially("缩放点积注意力");
  const options = page.getByRole("listbox").getByRole("option");
  await expect(options.first()).toContainText("注意力机制笔记");
  await expect(options.first().locator("mark").first()).toHaveText("缩放点积注意力");

  await box.press("ArrowDown");
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/2023\/03\/18\/attention\/\?highlight=/);
  await expect(page.locator("h1.post-title")).toHaveText("注意力机制笔记");
  await expect(page.locator(".post-body mark.search-hit").first()).toHaveText("缩放点积注意力");
  await expect(page.locator(".post-body mark.search-hit").first()).toBeInViewport();
  expect(elsewhere).toEqual([]);
});

test("Ctrl-K opens the box from anywhere and Escape closes the results", async ({ page }) => {
  await page.goto("/archives/");
  await page.keyboard.press("Control+k");
  const box = page.getByRole("combobox", { name: "搜索" });
  await expect(box).toBeFocused();
  await box.fill("argparse");
  await expect(page.getByRole("listbox")).toBeVisible();
  await expect(box).toHaveAttribute("aria-expanded", "true");
  await box.press("Escape");
  await expect(page.getByRole("listbox")).toBeHidden();
  await expect(box).toHaveAttribute("aria-expanded", "false");
  // Enter without a chosen result goes to the search page with the query.
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\/\?q=argparse$/);
  await expect(page.locator(".search-result").first()).toContainText("argparse 入门");
});

test("/search/?q=argparse shows results on load, linked to the best section", async ({ page, baseURL }) => {
  const elsewhere = stayOnSite(page, baseURL);
  await page.goto("/search/?q=argparse");
  await expect(page.locator("#search-page-input")).toHaveValue("argparse");
  const first = page.locator(".search-result").first();
  await expect(first.locator("h2")).toHaveText("argparse 入门：命令行参数解析");
  await expect(first.locator(".post-meta")).toContainText("2022-06-03");
  await expect(first.locator(".post-meta")).toContainText("Python › 标准库");
  await expect(first.locator(".search-excerpt mark").first()).toContainText(/argparse/i);
  await expect(first.locator("h2 a")).toHaveAttribute("href", /\?highlight=argparse(#.+)?$/);
  await expect(page.locator(".search-status")).toHaveText(/\d+ 条结果/);
  expect(elsewhere).toEqual([]);
});

test("filters narrow the results and are kept in the URL", async ({ page }) => {
  await page.goto("/search/?q=python");
  const results = page.locator(".search-result");
  await expect(results.first()).toBeVisible();
  const all = await results.count();
  const category = page.getByLabel("分类");
  await expect(category.locator("option", { hasText: "标准库" })).toHaveCount(1);
  await category.selectOption("标准库");
  await expect(page).toHaveURL(/category=%E6%A0%87%E5%87%86%E5%BA%93/);
  await expect.poll(() => results.count()).toBeLessThan(all);
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText("argparse 入门");

  await page.reload();
  await expect(page.getByLabel("分类")).toHaveValue("标准库");
  await expect(results).toHaveCount(1);

  await page.getByLabel("分类").selectOption("");
  await page.getByLabel("年份").selectOption("2023");
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText("注意力机制笔记");

  await page.getByLabel("年份").selectOption("");
  await page.getByLabel("排序").selectOption("oldest");
  await expect(page).toHaveURL(/sort=oldest/);
  const dates = () => results.locator(".post-meta time").allInnerTexts();
  await expect.poll(async () => (await dates()).length).toBe(all);
  await expect.poll(async () => (await dates()).join()).toBe((await dates()).sort().join());
});

test("the results panel follows the dark colour scheme", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "搜索" });
  await box.fill("argparse");
  const panel = page.locator(".site-search-results");
  await expect(panel).toBeVisible();
  const [panelBg, bodyBg] = await Promise.all([panel.evaluate((e) => getComputedStyle(e).backgroundColor), page.evaluate(() => getComputedStyle(document.body).backgroundColor)]);
  expect(panelBg).toBe(bodyBg);
  expect(bodyBg).toBe("rgb(21, 24, 28)");
});

for (const scheme of ["light", "dark"] as const) {
  test(`the open results panel has no serious accessibility problem (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/search/?q=argparse");
    await expect(page.locator(".search-result").first()).toBeVisible();
    const box = page.getByRole("combobox", { name: "搜索" });
    await box.fill("注意力");
    await expect(page.getByRole("option").first()).toContainText("注意力机制笔记");
    await box.press("ArrowDown");
    await expect(page.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
    const results = await new AxeBuilder({ page }).include("header").include("main").analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`)).toEqual([]);
  });
}
