// Full-page screenshots of the home page and a post, light and dark, kept as test artifacts (attached to the
// report and written to the test's output folder).
import { test, expect } from "@playwright/test";
import { aPost } from "./site.ts";

const targets = [
  { name: "home", path: () => "" },
  { name: "post", path: aPost },
];

for (const { name, path } of targets) {
  for (const scheme of ["light", "dark"] as const) {
    test(`screenshot: ${name} (${scheme})`, async ({ page, baseURL }, testInfo) => {
      const target = path();
      test.skip(target === undefined, `the site has no ${name}`);
      await page.emulateMedia({ colorScheme: scheme });
      const response = await page.goto(new URL(target!, baseURL).href);
      expect(response?.status()).toBe(200);
      await page.evaluate(() => document.fonts.ready);
      const file = testInfo.outputPath(`${name}-${scheme}.png`);
      const shot = await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`${name}-${scheme}.png`, { path: file, contentType: "image/png" });
      expect(shot.length).toBeGreaterThan(1000);
    });
  }
}
