// Visual regression: the sample blog's home, a long note, the archives and a search, at 360 px and 1280 px, light
// and dark, compared with the images committed in screenshots.spec.ts-snapshots/ (Playwright's toHaveScreenshot).
// The images were made on Debian's Chromium with fonts-noto-cjk (what .ci/run installs); after a deliberate change
// of the layouts, look at the new images and commit them:
//   npx playwright test tests/e2e/screenshots.spec.ts --update-snapshots
// Only the sample blog built by the global setup has committed images: with SITE_DIR or VERINOTES_E2E_HEXO these
// tests are not declared.
import { test, expect, type Page } from "@playwright/test";
import { isSampleSite } from "./site.ts";

const targets: { name: string; path: string; ready?: (page: Page) => Promise<void> }[] = [
  { name: "home", path: "" },
  // The sample's longest note: code with verified snippets, a table, a transcript, a table of contents.
  { name: "note", path: "2022/06/03/argparse-%E5%85%A5%E9%97%A8/" },
  { name: "archives", path: "archives/" },
  {
    name: "search",
    path: "search/?q=argparse",
    ready: async (page) => {
      await expect(page.locator(".search-results li").first()).toBeVisible();
      await expect(page.locator(".search-status")).not.toBeEmpty();
    },
  },
];

const widths = [360, 1280];

if (isSampleSite()) {
  for (const { name, path, ready } of targets) {
    for (const width of widths) {
      for (const scheme of ["light", "dark"] as const) {
        test(`looks as committed: ${name}, ${width} px, ${scheme}`, async ({ page, baseURL }) => {
          await page.setViewportSize({ width, height: width < 600 ? 780 : 800 });
          await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
          const response = await page.goto(new URL(path, baseURL).href);
          expect(response?.status()).toBe(200);
          await ready?.(page);
          await page.evaluate(() => document.fonts.ready);
          await expect(page).toHaveScreenshot(`${name}-${width}-${scheme}.png`, {
            fullPage: true,
            animations: "disabled",
            // Anti-aliasing may differ by a few pixels between runs; a layout change moves thousands.
            maxDiffPixelRatio: 0.002,
          });
        });
      }
    }
  }
}
