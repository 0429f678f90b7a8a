// `npx tsx scripts/screenshot.ts [site] [page]`: the README's screenshot (docs/screenshot.png), taken in Chromium
// from a built site (default `_site`, built by `npm run build`): a note with verified snippets and the search box open.
import path from "node:path";
import { chromium } from "@playwright/test";
import { launchOptions } from "../tests/e2e/chromium.ts";
import { serveStatic } from "../plugins/checks/serve.ts";

const site = path.resolve(process.argv[2] ?? "_site");
const page = process.argv[3] ?? "/2022/06/03/argparse-%E5%85%A5%E9%97%A8/";
const out = path.resolve(import.meta.dirname, "../docs/screenshot.png");

const server = await serveStatic(site);
const browser = await chromium.launch(launchOptions);
try {
  const tab = await browser.newPage({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1 });
  await tab.goto(new URL(page, server.url).href);
  // Scroll to the first verified block, then search from the header box as a reader would.
  await tab.locator(".snippet").first().scrollIntoViewIfNeeded();
  await tab.evaluate(() => window.scrollBy(0, -180));
  await tab.locator("#site-search-input").fill("parse_args");
  await tab.locator("#site-search-results a[role=option]").first().waitFor();
  await tab.screenshot({ path: out });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
  await server.close();
}
