// Search benchmark: generated notes built with `npm run build -- --input`, then index time and size, and,
// measured in Chromium on the built site, the bytes the first query downloads and the time from the last
// keystroke to the results. The same browser measures on the real tom89757 blog when ../shared has it.
// Prints Markdown tables.
//
//   npx tsx bench/search-bench.ts                 # 4,000 notes, 3 index runs
//   npx tsx bench/search-bench.ts --notes 1000 --rounds 1
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { indexSite } from "../plugins/search/index-site.ts";
import { resolveSearchOptions } from "../plugins/search/options.ts";
import { serveStatic } from "../plugins/checks/serve.ts";
import { flag, generatedNotes, median, root, work as benchWork } from "./common.ts";

const realBlog = path.resolve(root, "../shared/corpus/tom89757");
const count = Number(flag("notes", "4000"));
const rounds = Number(flag("rounds", "3"));
const work = path.join(benchWork, `search-n${count}`);
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_PATH || process.env.CHROMIUM_PATH || "/usr/bin/chromium";
/** A reader typing: time between keystrokes. */
const keyDelayMs = 120;

/** The first query, then queries typed after it (each replaces the previous one), per site. */
const generatedQueries = ["多进程", "argparse", "数据集", "__getitem__", "state_dict", "全局解释器锁", "logging", "实例化"];
const realQueries = ["多进程", "argparse", "定制化的数据集", "parse_args", "图床", "显卡驱动", "DataParallel", "注意力机制"];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

function build(args: string[], out: string): { seconds: number; indexLine: string } {
  fs.rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts", ...args, "--output", out], {
    cwd: root,
    encoding: "utf8",
    // The pages and the index only: verifying snippets is not part of what search costs.
    env: { ...process.env, VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`build failed (${result.status}):\n${result.stderr.slice(-3000)}`);
  return { seconds, indexLine: result.stdout.split("\n").find((l) => l.startsWith("Search:")) ?? "" };
}

/** Bytes of the bundle by kind of file. */
function bundleSizes(bundle: string): Record<string, number> {
  const sizes: Record<string, number> = { fragments: 0, "word index": 0, filters: 0, metadata: 0, "scripts and wasm": 0 };
  for (const entry of fs.readdirSync(bundle, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const size = fs.statSync(path.join(entry.parentPath, entry.name)).size;
    sizes[kindOfFile(entry.name)] += size;
  }
  return sizes;
}

function kindOfFile(name: string): string {
  if (name.endsWith(".pf_fragment")) return "fragments";
  if (name.endsWith(".pf_index")) return "word index";
  if (name.endsWith(".pf_filter")) return "filters";
  if (name.endsWith(".pf_meta") || name.endsWith(".json")) return "metadata";
  return "scripts and wasm";
}

/** What a download is, for the first query's breakdown. */
function kindOfUrl(url: string): string {
  const name = new URL(url).pathname.split("/").pop() ?? "";
  if (name.startsWith("wasm.")) return "wasm";
  if (name.endsWith(".pf_index")) return "word index chunks";
  if (name.endsWith(".pf_fragment")) return "result fragments";
  if (name.endsWith(".pf_meta") || name.endsWith(".json")) return "metadata";
  if (name.endsWith(".pf_filter")) return "filters";
  return name;
}

interface Download {
  url: string;
  /** The file's size. */
  bytes: number;
  /** What came over the wire from a server that gzips text, as static hosts do. */
  transferred: number;
}

/**
 * Records the time of the last keystroke (an `input` event: typing Chinese inserts text without key events)
 * and of the last results shown by the header box.
 */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { lastKey: number; renderedAt: number };
    document.addEventListener("input", () => (w.lastKey = performance.now()), { capture: true });
    const form = document.querySelector("form.site-search") as HTMLElement;
    new MutationObserver(() => {
      if (form.dataset.state === "done") w.renderedAt = performance.now();
    }).observe(form, { attributes: true, attributeFilter: ["data-state"] });
  });
}

/** Types a query into the header box; returns ms from the last keystroke to the results for that query. */
async function typeQuery(page: Page, query: string): Promise<number> {
  const box = page.locator("#site-search-input");
  await box.fill("");
  await page.evaluate(() => Object.assign(window, { lastKey: 0, renderedAt: 0 }));
  await box.pressSequentially(query, { delay: keyDelayMs });
  await page.waitForFunction(
    (q) => {
      const w = window as unknown as { lastKey: number; renderedAt: number };
      const first = document.querySelector("#site-search-results a[role=option]");
      return w.renderedAt > w.lastKey && first?.getAttribute("href")?.includes(`highlight=${encodeURIComponent(q)}`);
    },
    query,
    { timeout: 60_000 },
  );
  return page.evaluate(() => {
    const w = window as unknown as { lastKey: number; renderedAt: number };
    return w.renderedAt - w.lastKey;
  });
}

interface BrowserMeasure {
  /** Downloaded by every page for the search box (script and style). */
  pageAssets: Download[];
  /** Downloaded from the first keystroke until the first query's results are shown. */
  first: Download[];
  firstMs: number;
  later: number[];
}

async function measureBrowser(site: string, [firstQuery, ...laterQueries]: string[]): Promise<BrowserMeasure> {
  const server = await serveStatic(site, { gzip: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  try {
    const page = await browser.newPage();
    const pending: Promise<Download | undefined>[] = [];
    page.on("requestfinished", (request) => {
      pending.push(
        (async () => {
          const body = await (await request.response())?.body().catch(() => undefined);
          return body && { url: request.url(), bytes: body.length, transferred: (await request.sizes()).responseBodySize };
        })(),
      );
    });
    const settle = async () => {
      await page.waitForLoadState("networkidle");
      const done = (await Promise.all(pending.splice(0))).filter((d): d is Download => Boolean(d));
      return done;
    };
    await page.goto(server.url);
    const pageAssets = (await settle()).filter((d) => /assets\/search\.(js|css)$/.test(d.url));
    await instrument(page);
    await page.keyboard.press("/");
    const firstMs = await typeQuery(page, firstQuery);
    const first = await settle();
    const later: number[] = [];
    for (const query of laterQueries) later.push(await typeQuery(page, query));
    return { pageAssets, first, firstMs, later };
  } finally {
    await browser.close();
    await server.close();
  }
}

function printBrowserRows(measure: BrowserMeasure, firstQuery: string, laterCount: number): void {
  const sum = (ds: Download[], key: "bytes" | "transferred") => ds.reduce((a, d) => a + d[key], 0);
  const byKind = new Map<string, { n: number; bytes: number }>();
  for (const d of measure.first) {
    const k = byKind.get(kindOfUrl(d.url)) ?? { n: 0, bytes: 0 };
    byKind.set(kindOfUrl(d.url), { n: k.n + 1, bytes: k.bytes + d.bytes });
  }
  console.log(`| search box on every page (search.js, search.css): files / with gzip | ${kb(sum(measure.pageAssets, "bytes"))} / ${kb(sum(measure.pageAssets, "transferred"))} |`);
  console.log(`| first query (“${firstQuery}”), downloaded: files / with gzip | ${kb(sum(measure.first, "bytes"))} / ${kb(sum(measure.first, "transferred"))} |`);
  for (const [kind, { n, bytes }] of [...byKind].sort((a, b) => b[1].bytes - a[1].bytes)) {
    console.log(`| &nbsp;&nbsp;${kind}${n > 1 ? ` (${n} files)` : ""} | ${kb(bytes)} |`);
  }
  console.log(`| first query: last keystroke → results | ${measure.firstMs.toFixed(0)} ms |`);
  console.log(`| next ${laterCount} queries: last keystroke → results, median / max | ${median(measure.later).toFixed(0)} / ${Math.max(...measure.later).toFixed(0)} ms |`);
}

async function main() {
  console.error(`search bench: building ${count} generated notes`);
  const site = path.join(work, "site");
  const built = build(["--input", generatedNotes(count, `search-n${count}`)], site);
  const bundle = path.join(site, "pagefind");
  const entry = JSON.parse(fs.readFileSync(path.join(bundle, "pagefind-entry.json"), "utf8")) as { languages: Record<string, { page_count: number }> };
  // With and without CJK splitting, alternating so that machine noise hits both alike; the split index is last.
  const indexTimes: number[] = [];
  const unsplitTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const splitCjk of [false, true]) {
      console.error(`search bench: indexing${splitCjk ? "" : " without CJK splitting"}, round ${round + 1}/${rounds}`);
      const report = await indexSite(site, resolveSearchOptions({ splitCjk, cacheDir: false, onIndexed: () => {} }));
      if (report.errors.length) throw new Error(report.errors.join("\n"));
      if (report.reused) throw new Error("the index was reused, not built: the rounds must alternate the options");
      (splitCjk ? indexTimes : unsplitTimes).push(report.milliseconds);
    }
  }
  const sizes = bundleSizes(bundle);
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  console.error("search bench: measuring in Chromium");
  const generated = await measureBrowser(site, generatedQueries);

  let real: BrowserMeasure | undefined;
  if (fs.existsSync(realBlog)) {
    console.error("search bench: the tom89757 blog");
    const realSite = path.join(work, "tom89757");
    build(["--hexo", realBlog], realSite);
    real = await measureBrowser(realSite, realQueries);
  }

  const languages = Object.entries(entry.languages).map(([l, v]) => `${v.page_count} ${l}`).join(", ");
  console.log(`\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, load ${os.loadavg()[0].toFixed(1)}, Node ${process.version}. Served from 127.0.0.1; typing ${keyDelayMs} ms per key.\n`);
  console.log(`| search: ${count} generated notes (${languages}) | value |`);
  console.log("|---|---:|");
  console.log(`| \`npm run build\`, including the index | ${built.seconds.toFixed(2)} s |`);
  console.log(`| index time (Pagefind Node API, median of ${rounds}) | ${(median(indexTimes) / 1000).toFixed(2)} s |`);
  console.log(`| &nbsp;&nbsp;the same without CJK splitting (\`splitCjk: false\`) | ${(median(unsplitTimes) / 1000).toFixed(2)} s |`);
  console.log(`| index size on disk | ${(total / 2 ** 20).toFixed(1)} MB |`);
  for (const [kind, bytes] of Object.entries(sizes)) console.log(`| &nbsp;&nbsp;${kind} | ${(bytes / 2 ** 20).toFixed(2)} MB |`);
  printBrowserRows(generated, generatedQueries[0], generatedQueries.length - 1);
  if (real) {
    console.log(`\n| search: the tom89757 blog (137 notes) | value |`);
    console.log("|---|---:|");
    printBrowserRows(real, realQueries[0], realQueries.length - 1);
  }
  if (built.indexLine) console.error(`build said: ${built.indexLine}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
