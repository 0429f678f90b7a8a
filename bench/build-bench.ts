// `npm run bench`: wall times of building generated notes with Verinotes, bare Eleventy + Pagefind, and Hexo 8,
// alternating the tools in one run so that machine noise hits them alike, and the peak memory of a build. Prints
// Markdown tables with the machine's load (1-minute load average) at each measurement.
//
//   npm run bench                                   # 1,000 and 4,000 notes, 2 rounds, every tool
//   npx tsx bench/build-bench.ts --sizes 1000 --rounds 5 --skip hexo,verify,serve
//   npx tsx bench/build-bench.ts --sizes 1000 --rounds 0 --memory 1000,4000   # only the memory table
//
// --skip takes: cold (the cold build is then run once, untimed, to fill the caches), warm, tsx, hexo, verify, serve.
// Verinotes runs as `npm run build` does (scripts/run-cli.mjs: the compiled dist/ when it is newer than the sources,
// else tsx; the table's heading says which), and once a round through tsx with `.cache` kept, to show what that costs.
// Memory: a build with no cache and no verification, its peak resident memory read from /proc every 20 ms, for the
// build's own process and for Pagefind's indexing process (a child of it), and how it grows per 1,000 notes.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { bareEleventy, flag, generatedNotes, median, root, work } from "./common.ts";
import { peakMemory, type MemoryPeak } from "./memory.ts";

const sizes = flag("sizes", "1000,4000").split(",").map(Number);
const rounds = Number(flag("rounds", "2"));
const skip = new Set(flag("skip", "").split(",").filter(Boolean));
const memorySizes = flag("memory", "").split(",").filter(Boolean).map(Number);

const load = () => os.loadavg()[0];

/** What `npm run <script>` runs (package.json): the launcher, given the command. */
const cli = (command: string, ...args: string[]) => [path.join(root, "scripts/run-cli.mjs"), command, ...args];
/** What the launcher runs now: the compiled CLI, or the sources through tsx and why. */
function launcherRuns(): string {
  const r = spawnSync(process.execPath, cli("build", "--help"), { cwd: root, encoding: "utf8" });
  const why = r.stderr.match(/verinotes: (.*): running the sources through tsx/);
  return why ? `the sources through tsx (${why[1]})` : "the compiled CLI (dist/)";
}

/**
 * Runs a command and prints the CPU time (user + system, s) of it and every process it waited for: node cannot read
 * its children's resource usage, Python's getrusage(RUSAGE_CHILDREN) can.
 */
const CHILDREN_CPU = String.raw`
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write("\nVN_CPU %f\n" % (u.ru_utime + u.ru_stime))
sys.exit(code)
`;

/** Wall time (ms) of one command and its CPU time, which the machine's other users move less. */
interface Timing {
  ms: number;
  cpu: number;
}

/** Times one command; `ok` lists the exit statuses that are not a failure (verify exits 1 on planted wrong outputs). */
function timed(label: string, cmd: string, args: string[], env: Record<string, string> = {}, cwd = root, ok = [0]): Timing {
  const start = performance.now();
  const r = spawnSync("python3", ["-c", CHILDREN_CPU, cmd, ...args], { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status === null || !ok.includes(r.status)) throw new Error(`${label} failed (${r.status}):\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  return { ms, cpu: Number((r.stderr.match(/VN_CPU ([\d.]+)/) ?? [])[1]) };
}

function prepare(n: number) {
  const notes = generatedNotes(n);
  const dir = path.dirname(notes);
  const bare = bareEleventy(notes);
  // Hexo: the notes as a blog's _posts, with Hexo's default config and its default theme (landscape, what
  // `hexo init` installs); and once without a theme, where Hexo writes empty pages (no templating at all).
  const blog = path.join(dir, "hexo-blog");
  const blogNoTheme = path.join(dir, "hexo-blog-no-theme");
  for (const [folder, theme] of [[blog, "landscape"], [blogNoTheme, "none"]]) {
    if (fs.existsSync(folder) || skip.has("hexo")) continue;
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
  /** CPU seconds of each run (NaN where not measured). */
  cpu: number[];
  loads: number[];
}

/** Under `npm start` (warm caches), ms from saving an edit to one note until its page is written, and until the search index is. */
async function rebuildAfterEdit(notes: string, out: string, env: Record<string, string>): Promise<{ page: number; search: number }> {
  // Copy the notes so the edit never touches the generated corpus, serve, edit one note, time until its page changes.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "vn-serve-"));
  fs.cpSync(notes, copy, { recursive: true });
  const child = spawn(process.execPath, cli("serve", "--input", copy, "--output", out, "--port", "8391"), {
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
  if (!hexoReady && !skip.has("hexo") && rounds > 0) {
    console.error("bench: installing Hexo 8.1.2 into bench/hexo (once)");
    spawnSync("npm", ["ci", "--prefix", "bench/hexo", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  }
  const runs = launcherRuns();
  console.error(`bench: Verinotes runs ${runs}`);
  const rows: Row[] = [];
  const record = (size: number, tool: string, { ms, cpu }: Timing, loadBefore: number) => {
    let r = rows.find((x) => x.size === size && x.tool === tool);
    if (!r) rows.push((r = { size, tool, times: [], cpu: [], loads: [] }));
    r.times.push(ms);
    r.cpu.push(cpu);
    r.loads.push(Math.max(loadBefore, load()));
  };
  /** Times one command and records it under `tool`, with the load before and after (the higher). */
  const measure = (size: number, tool: string, run: () => Timing) => {
    const before = load();
    const t = run();
    record(size, tool, t, before);
    return t.ms;
  };
  const pagefind = path.join(root, "node_modules/.bin/pagefind");
  for (const size of rounds > 0 ? sizes : []) {
    const { dir, notes, bare, blog, blogNoTheme } = prepare(size);
    const cache = path.join(dir, "cache");
    const out = path.join(dir, "out-vn");
    const vnEnv = { VERINOTES_CACHE_DIR: cache };
    const vnArgs = cli("build", "--input", notes, "--output", out);
    const vn = (label: string, env: Record<string, string> = {}) => () => timed(label, process.execPath, vnArgs, { ...vnEnv, ...env });
    for (let round = 0; round < rounds; round++) {
      console.error(`bench: ${size} notes, round ${round + 1}/${rounds} (load ${load().toFixed(2)})`);
      // Cold: no render, snippet or search cache, no earlier output. Warm: the same command again.
      if (!skip.has("cold") || round === 0) {
        fs.rmSync(cache, { recursive: true, force: true });
        fs.rmSync(out, { recursive: true, force: true });
        if (skip.has("cold")) vn("cold (filling the caches)")();
        else measure(size, "Verinotes build, cold (renders, verifies, indexes everything)", vn("cold"));
      }
      if (!skip.has("warm")) measure(size, "Verinotes build, warm (nothing changed)", vn("warm"));
      // What CI has: the caches kept between runs, a fresh checkout with no output folder.
      fs.rmSync(out, { recursive: true, force: true });
      const ci = measure(size, "Verinotes build, `.cache` kept, fresh output folder", vn("cache kept"));
      if (!skip.has("tsx")) {
        // the same through tsx: the code digests in the cache keys are the sources' either way (code-digest.ts)
        fs.rmSync(out, { recursive: true, force: true });
        measure(size, "Verinotes build through tsx, `.cache` kept, fresh output folder", vn("cache kept, tsx", { VERINOTES_SOURCES: "1" }));
      }
      fs.rmSync(path.join(cache, "render"), { recursive: true, force: true });
      fs.rmSync(path.join(cache, "search"), { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
      const snippetsOnly = measure(size, "Verinotes build, snippets cached only (renders and indexes everything)", vn("snippets cached"));
      fs.rmSync(path.join(bare, "_site"), { recursive: true, force: true });
      const before = load();
      const eleventy = timed("eleventy", process.execPath, [path.join(root, "node_modules/@11ty/eleventy/cmd.cjs"), "--config=eleventy.config.mjs", "--quiet"], {}, bare);
      const pf = timed("pagefind", pagefind, ["--site", "_site"], {}, bare);
      record(size, "bare Eleventy", eleventy, before);
      record(size, "bare Eleventy + Pagefind CLI", { ms: eleventy.ms + pf.ms, cpu: eleventy.cpu + pf.cpu }, before);
      console.error(`  cache kept ${(ci / 1000).toFixed(2)} s, snippets cached ${(snippetsOnly / 1000).toFixed(2)} s, bare + Pagefind ${((eleventy.ms + pf.ms) / 1000).toFixed(2)} s`);
      if (!skip.has("hexo")) {
        measure(size, "Hexo 8.1.2 generate (default theme)", () => timed("hexo", process.execPath, [path.join(root, "bench/hexo/generate.mjs"), blog, path.join(dir, "out-hexo")]));
        measure(size, "Hexo 8.1.2 generate (no theme: empty pages)", () =>
          timed("hexo", process.execPath, [path.join(root, "bench/hexo/generate.mjs"), blogNoTheme, path.join(dir, "out-hexo-bare")]),
        );
      }
      if (!skip.has("verify")) {
        // `npm run verify` alone, without building: cold (empty cache), then warm.
        const verifyCache = path.join(dir, "verify-cache");
        const verifyArgs = cli("verify", "--input", notes, "--cache-dir", verifyCache);
        fs.rmSync(verifyCache, { recursive: true, force: true });
        measure(size, "npm run verify, cold", () => timed("verify cold", process.execPath, verifyArgs, {}, root, [0, 1]));
        measure(size, "npm run verify, warm", () => timed("verify warm", process.execPath, verifyArgs, {}, root, [0, 1]));
      }
    }
    if (size <= 1000 && !skip.has("serve")) {
      const before = load();
      const edit = await rebuildAfterEdit(notes, path.join(dir, "out-serve"), vnEnv);
      record(size, "npm start: edit one note, its page rebuilt", { ms: edit.page, cpu: NaN }, before);
      record(size, "npm start: edit one note, search index updated", { ms: edit.search, cpu: NaN }, before);
    }
  }
  const memory: { size: number; peak: MemoryPeak; load: number }[] = [];
  for (const size of memorySizes) {
    const { notes, dir } = prepare(size);
    const out = path.join(dir, "out-memory");
    fs.rmSync(out, { recursive: true, force: true });
    console.error(`bench: memory of a build of ${size} notes (load ${load().toFixed(2)})`);
    const before = load();
    const peak = await peakMemory(cli("build", "--input", notes, "--output", out), { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
    memory.push({ size, peak, load: Math.max(before, load()) });
  }
  printTables(rows, memory, runs);
}

function printTables(rows: Row[], memory: { size: number; peak: MemoryPeak; load: number }[], runs: string) {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(`\nMachine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; median of ${rounds} rounds`);
  console.log(`Verinotes ran as \`npm run build\` does: ${runs}\n`);
  if (rows.length) {
    console.log("| notes | what | wall time (s) | vs bare Eleventy + Pagefind | vs Hexo | CPU (s) | CPU vs bare Eleventy + Pagefind | load (1 min) |");
    console.log("|---:|---|---:|---:|---:|---:|---:|---:|");
    for (const r of rows) {
      const base = rows.find((x) => x.size === r.size && x.tool === "bare Eleventy + Pagefind CLI");
      const hexo = rows.find((x) => x.size === r.size && x.tool === "Hexo 8.1.2 generate (default theme)");
      const m = median(r.times);
      // Ratios compare builds only: verify and npm start have no counterpart in the other tools.
      const ratio = (other?: Row) => (other && /^(Verinotes build|bare|Hexo)/.test(r.tool) ? `${(m / median(other.times)).toFixed(2)}×` : "");
      const loads = `${Math.min(...r.loads).toFixed(1)}–${Math.max(...r.loads).toFixed(1)}`;
      // CPU time: user + system of the command and its children, which other users of the machine move less
      const cpu = median(r.cpu);
      const cpuRatio = base && /^(Verinotes build|bare|Hexo)/.test(r.tool) && Number.isFinite(cpu) ? `${(cpu / median(base.cpu)).toFixed(2)}×` : "";
      const cpuText = Number.isFinite(cpu) ? cpu.toFixed(2) : "";
      console.log(`| ${r.size} | ${r.tool} | ${(m / 1000).toFixed(2)} | ${ratio(base)} | ${ratio(hexo)} | ${cpuText} | ${cpuRatio} | ${loads} |`);
    }
    // Each round's Verinotes build against the baseline of the same round: how much the ratio moves with the load.
    const base = (size: number) => rows.find((x) => x.size === size && x.tool === "bare Eleventy + Pagefind CLI");
    const perRound = rows.filter((r) => /^Verinotes build/.test(r.tool) && base(r.size) && r.times.length === base(r.size)!.times.length);
    if (perRound.length) {
      console.log("\n| notes | what | each round vs bare Eleventy + Pagefind of the same round |");
      console.log("|---:|---|---|");
      for (const r of perRound) console.log(`| ${r.size} | ${r.tool} | ${r.times.map((t, i) => `${(t / base(r.size)!.times[i]).toFixed(2)}×`).join(", ")} |`);
    }
  }
  if (memory.length) {
    console.log("\nPeak resident memory of a build with no cache and no verification:\n");
    console.log("| notes | the build (node), MB | Pagefind's indexer, MB | all processes at once, MB | wall time (s) | load (1 min) |");
    console.log("|---:|---:|---:|---:|---:|---:|");
    for (const { size, peak, load: l } of memory) {
      console.log(`| ${size} | ${peak.build.toFixed(0)} | ${peak.pagefind.toFixed(0)} | ${peak.tree.toFixed(0)} | ${peak.seconds.toFixed(1)} | ${l.toFixed(1)} |`);
    }
    if (memory.length > 1) {
      const [a, b] = [memory[0], memory[memory.length - 1]];
      const per = (f: (p: MemoryPeak) => number) => (((f(b.peak) - f(a.peak)) / (b.size - a.size)) * 1000).toFixed(0);
      console.log(`| per 1,000 notes more | ${per((p) => p.build)} | ${per((p) => p.pagefind)} | ${per((p) => p.tree)} | | |`);
    }
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
