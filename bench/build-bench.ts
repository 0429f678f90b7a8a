// `npm run bench`: wall times of building generated notes with Verinotes, bare Eleventy + Pagefind, and Hexo 8,
// alternating the tools in one run so that machine noise hits them alike. Prints a Markdown table.
//
//   npm run bench                     # 1,000 and 4,000 notes, 2 rounds
//   npm run bench -- --sizes 1000 --rounds 3
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { flag, generatedNotes, median, root, work } from "./common.ts";

const sizes = flag("sizes", "1000,4000").split(",").map(Number);
const rounds = Number(flag("rounds", "2"));

/** Wall time of one command; `ok` lists the exit statuses that are not a failure (verify exits 1 on planted wrong outputs). */
function timed(label: string, cmd: string, args: string[], env: Record<string, string> = {}, cwd = root, ok = [0]): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status === null || !ok.includes(r.status)) throw new Error(`${label} failed (${r.status}):\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  return ms;
}

function prepare(n: number) {
  const notes = generatedNotes(n);
  const dir = path.dirname(notes);
  // Bare Eleventy: the same Markdown, one minimal layout, no template engine over Markdown.
  const bare = path.join(dir, "bare");
  if (!fs.existsSync(bare)) {
    fs.mkdirSync(path.join(bare, "_includes"), { recursive: true });
    fs.cpSync(notes, path.join(bare, "posts"), { recursive: true });
    fs.writeFileSync(path.join(bare, "_includes/base.njk"), "<!doctype html><html lang=\"zh\"><title>{{ title }}</title><main data-pagefind-body>{{ content | safe }}</main></html>\n");
    fs.writeFileSync(path.join(bare, "posts/posts.json"), JSON.stringify({ layout: "base.njk" }));
    fs.writeFileSync(
      path.join(bare, "eleventy.config.mjs"),
      "export default function () { return { markdownTemplateEngine: false, dir: { input: '.', output: '_site' } }; }\n",
    );
  }
  // Hexo: the notes as a blog's _posts, with Hexo's default config and its default theme (landscape, what
  // `hexo init` installs); and once without a theme, where Hexo writes empty pages (no templating at all).
  const blog = path.join(dir, "hexo-blog");
  const blogNoTheme = path.join(dir, "hexo-blog-no-theme");
  for (const [folder, theme] of [[blog, "landscape"], [blogNoTheme, "none"]]) {
    if (fs.existsSync(folder)) continue;
    fs.mkdirSync(path.join(folder, "source"), { recursive: true });
    fs.cpSync(notes, path.join(folder, "source/_posts"), { recursive: true });
    fs.writeFileSync(path.join(folder, "_config.yml"), `title: bench\nurl: http://example.com\nlanguage: zh-CN\ntheme: ${theme}\n`);
  }
  return { dir, notes, bare, blog, blogNoTheme };
}

interface Row {
  size: number;
  tool: string;
  times: number[];
}

/** Under `npm start` (warm caches), ms from saving an edit to one note until its page is written, and until the search index is. */
async function rebuildAfterEdit(notes: string, out: string, env: Record<string, string>): Promise<{ page: number; search: number }> {
  // Copy the notes so the edit never touches the generated corpus, serve, edit one note, time until its page changes.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "vn-serve-"));
  fs.cpSync(notes, copy, { recursive: true });
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/build.ts", "--serve", "--input", copy, "--output", out, "--port", "8391"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const waitFor = (re: RegExp, from: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve: timed out waiting for ${re}\n${log}`)), 120_000);
      const check = () => {
        if (re.test(log.slice(from))) {
          clearTimeout(timer);
          resolve();
        } else setTimeout(check, 10);
      };
      check();
    });
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  try {
    await waitFor(/(Read|Built) \d+ notes/, 0);
    await waitFor(/Server at|Wrote \d+ files/i, 0).catch(() => undefined);
    await waitFor(/Search: /, 0);
    await waitFor(/Watching/, 0); // an edit before the watcher is up would go unnoticed
    await new Promise((r) => setTimeout(r, 1500));
    const file = path.join(copy, "note-00010.md");
    const mark = log.length;
    const start = performance.now();
    fs.appendFileSync(file, "\n\nEdited paragraph for the benchmark.\n");
    await waitFor(/Wrote \d+ files|(Read|Built) \d+ notes/, mark);
    await waitFor(/Wrote \d+ files/i, mark).catch(() => undefined);
    const page = performance.now() - start;
    await waitFor(/Search: /, mark);
    return { page, search: performance.now() - start };
  } finally {
    child.kill("SIGTERM");
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

async function main() {
  fs.mkdirSync(work, { recursive: true });
  const hexoReady = fs.existsSync(path.join(root, "bench/hexo/node_modules/hexo"));
  if (!hexoReady) {
    console.error("bench: installing Hexo 8.1.2 into bench/hexo (once)");
    spawnSync("npm", ["ci", "--prefix", "bench/hexo", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  }
  const rows: Row[] = [];
  const row = (size: number, tool: string) => {
    let r = rows.find((x) => x.size === size && x.tool === tool);
    if (!r) rows.push((r = { size, tool, times: [] }));
    return r;
  };
  const pagefind = path.join(root, "node_modules/.bin/pagefind");
  for (const size of sizes) {
    const { dir, notes, bare, blog, blogNoTheme } = prepare(size);
    const cache = path.join(dir, "cache");
    for (let round = 0; round < rounds; round++) {
      console.error(`bench: ${size} notes, round ${round + 1}/${rounds}`);
      // Cold: no render, snippet or search cache, no earlier output. Warm: the same command again.
      const vnEnv = { VERINOTES_CACHE_DIR: cache };
      const vnArgs = ["--import", "tsx", "scripts/build.ts", "--input", notes, "--output", path.join(dir, "out-vn")];
      fs.rmSync(cache, { recursive: true, force: true });
      fs.rmSync(path.join(dir, "out-vn"), { recursive: true, force: true });
      row(size, "Verinotes build, cold (renders, verifies, indexes everything)").times.push(timed("cold", process.execPath, vnArgs, vnEnv));
      row(size, "Verinotes build, warm (nothing changed)").times.push(timed("warm", process.execPath, vnArgs, vnEnv));
      fs.rmSync(path.join(cache, "render"), { recursive: true, force: true });
      fs.rmSync(path.join(cache, "search"), { recursive: true, force: true });
      fs.rmSync(path.join(dir, "out-vn"), { recursive: true, force: true });
      row(size, "Verinotes build, snippets cached only").times.push(timed("snippets cached", process.execPath, vnArgs, vnEnv));
      const eleventy = timed("eleventy", process.execPath, [path.join(root, "node_modules/@11ty/eleventy/cmd.cjs"), "--config=eleventy.config.mjs", "--quiet"], {}, bare);
      const pf = timed("pagefind", pagefind, ["--site", "_site"], {}, bare);
      row(size, "bare Eleventy").times.push(eleventy);
      row(size, "bare Eleventy + Pagefind CLI").times.push(eleventy + pf);
      row(size, "Hexo 8.1.2 generate (default theme)").times.push(timed("hexo", process.execPath, [path.join(root, "bench/hexo/generate.mjs"), blog, path.join(dir, "out-hexo")]));
      row(size, "Hexo 8.1.2 generate (no theme: empty pages)").times.push(timed("hexo", process.execPath, [path.join(root, "bench/hexo/generate.mjs"), blogNoTheme, path.join(dir, "out-hexo-bare")]));
      // `npm run verify` alone, without building: cold (empty cache), then warm.
      const verifyCache = path.join(dir, "verify-cache");
      const verifyArgs = ["--import", "tsx", "scripts/verify.ts", "--input", notes, "--cache-dir", verifyCache];
      fs.rmSync(verifyCache, { recursive: true, force: true });
      row(size, "npm run verify, cold").times.push(timed("verify cold", process.execPath, verifyArgs, {}, root, [0, 1]));
      row(size, "npm run verify, warm").times.push(timed("verify warm", process.execPath, verifyArgs, {}, root, [0, 1]));
    }
    if (size <= 1000) {
      const edit = await rebuildAfterEdit(notes, path.join(dir, "out-serve"), { VERINOTES_CACHE_DIR: cache });
      row(size, "npm start: edit one note, its page rebuilt").times.push(edit.page);
      row(size, "npm start: edit one note, search index updated").times.push(edit.search);
    }
  }
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(`\nMachine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; median of ${rounds} rounds\n`);
  console.log("| notes | what | wall time (s) | vs bare Eleventy + Pagefind | vs Hexo |");
  console.log("|---:|---|---:|---:|---:|");
  for (const r of rows) {
    const base = rows.find((x) => x.size === r.size && x.tool === "bare Eleventy + Pagefind CLI");
    const hexo = rows.find((x) => x.size === r.size && x.tool === "Hexo 8.1.2 generate (default theme)");
    const m = median(r.times);
    // Ratios compare builds only: verify and npm start have no counterpart in the other tools.
    const ratio = (other?: Row) => (other && /^(Verinotes build|bare|Hexo)/.test(r.tool) ? `${(m / median(other.times)).toFixed(2)}×` : "");
    console.log(`| ${r.size} | ${r.tool} | ${(m / 1000).toFixed(2)} | ${ratio(base)} | ${ratio(hexo)} |`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
