// `npx tsx scripts/screenshot.ts [site] [page]`: the README's screenshots, taken in Chromium from a built site (default
// `_site`; build it from the tom89757 blog with `npm run build -- --hexo ../shared/corpus/tom89757`):
//   docs/screenshot.png            1280 px, light: a long Chinese note, its numbered contents beside the text
//   (`npx tsx scripts/screenshot.ts _site <page> <n>` scrolls to the n-th entry of the contents, from 0)
//   docs/screenshot-phone-dark.png 360 px, dark: the top of the same note on a phone, contents folded
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { launchOptions } from "../tests/e2e/chromium.ts";
import { serveStatic } from "../plugins/checks/serve.ts";

const site = path.resolve(process.argv[2] ?? "_site");
// 图像处理试题: the note the issue was filed about (contents 3 / 3.1 / 3.2, math, tables).
const note = process.argv[3] ?? "/2022/04/25/%E5%9B%BE%E5%83%8F%E5%A4%84%E7%90%86%E8%AF%95%E9%A2%98/";
/** Which entry of the contents (in reading order) the wide screenshot scrolls to. */
const section = Number(process.argv[4] ?? 3);
const docs = path.resolve(import.meta.dirname, "../docs");

const shots: { file: string; width: number; height: number; scheme: "light" | "dark"; arrange: (tab: Page) => Promise<void> }[] = [
  {
    file: "screenshot.png",
    width: 1280,
    height: 800,
    scheme: "light",
    // A section in view, and the contents marking where the reader is.
    arrange: async (tab) => {
      const entry = tab.locator(".toc a").nth(section);
      const id = decodeURIComponent((await entry.getAttribute("href"))!.slice(1));
      await tab.evaluate((id) => window.scrollTo(0, document.getElementById(id)!.getBoundingClientRect().top + window.scrollY - 120), id);
      await tab.locator(`.toc a[aria-current="location"]`).waitFor();
    },
  },
  { file: "screenshot-phone-dark.png", width: 360, height: 780, scheme: "dark", arrange: async () => {} },
];

const server = await serveStatic(site);
const browser = await chromium.launch(launchOptions);
try {
  for (const shot of shots) {
    const tab = await browser.newPage({ viewport: { width: shot.width, height: shot.height }, deviceScaleFactor: 1, colorScheme: shot.scheme });
    const response = await tab.goto(new URL(note, server.url).href);
    if (response?.status() !== 200) throw new Error(`${note} answers ${response?.status()}: build the tom89757 blog into ${site} first`);
    await tab.evaluate(() => document.fonts.ready);
    await shot.arrange(tab);
    await tab.waitForTimeout(300);
    const out = path.join(docs, shot.file);
    await tab.screenshot({ path: out, animations: "disabled" });
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
    await tab.close();
  }
} finally {
  await browser.close();
  await server.close();
}
