// Issue 16's memory goal (a build of 4,000 notes peaks at most 50 MB per 1,000 notes above one of 1,000): how much
// of the growth is Eleventy's, measured in the same run and the same way (peak resident memory of the node process,
// read from /proc every 20 ms) for
//   - Verinotes: `npm run build` with no cache and no verification, as build-bench.ts --memory runs it;
//   - bare Eleventy: build-bench.ts's baseline (the notes' Markdown, one minimal layout);
//   - the floor: bare Eleventy writing Verinotes' own pages, as many and as large (the pages of the Verinotes build
//     just before, read at render time by a layout over a one-item pagination, as Verinotes' virtual templates are),
//     with nothing else: what Eleventy alone holds for a site of Verinotes' size.
// Each build also prints, once Eleventy's write() has returned and the garbage is collected (bench/memory-probe.mjs,
// after everything the peak measures), what the V8 heap still holds: a number that does not move with when the
// collector happened to run.
//
//   npx tsx bench/memory-floor.ts --sizes 1000,4000 --runs 2 [--snapshots] [--verinotes-only]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { bareEleventy, flag, generatedNotes, root } from "./common.ts";
import { peakMemory } from "./memory.ts";

const sizes = flag("sizes", "1000,4000").split(",").map(Number);
const runs = Number(flag("runs", "2"));
const snapshots = process.argv.includes("--snapshots");
/** `--verinotes-only`: only the Verinotes rows (comparing changes to it; the baselines do not move with them). */
const verinotesOnly = process.argv.includes("--verinotes-only");
const eleventyCmd = path.join(root, "node_modules/@11ty/eleventy/cmd.cjs");
const probe = ["--import", path.join(root, "bench/memory-probe.mjs")];

/** The files Eleventy wrote in a Verinotes build (its pages, feed, sitemap, robots), relative to the output. */
function pagesOf(out: string): string[] {
  return fs
    .readdirSync(out, { recursive: true, encoding: "utf8" })
    .filter((f) => !f.startsWith("pagefind") && (/\.html$/.test(f) || ["atom.xml", "sitemap.xml", "robots.txt"].includes(f)))
    .sort();
}

/** The floor project: one virtual template paginated over the pages' routes, its layout printing each page's file. */
function floorProject(dir: string, pages: string): string {
  const floor = path.join(dir, "floor");
  fs.rmSync(floor, { recursive: true, force: true });
  fs.mkdirSync(path.join(floor, "_includes"), { recursive: true });
  fs.writeFileSync(path.join(floor, "_includes/page.njk"), "{{ route | pageFile | safe }}");
  fs.writeFileSync(
    path.join(floor, "eleventy.config.mjs"),
    `import fs from "node:fs";
import path from "node:path";
const pages = ${JSON.stringify(pages)};
export default function (cfg) {
  cfg.addGlobalData("routes", () => fs.readFileSync(path.join(pages, "routes.txt"), "utf8").split("\\n").filter(Boolean));
  cfg.addFilter("pageFile", (route) => fs.readFileSync(path.join(pages, route), "utf8"));
  cfg.addTemplate("floor.njk", "", {
    pagination: { data: "routes", size: 1, alias: "route", addAllPagesToCollections: false },
    layout: "page.njk",
    eleventyExcludeFromCollections: true,
    eleventyComputed: { permalink: (d) => d.route },
  });
  return { dir: { input: ".", output: "_site" }, templateFormats: ["njk"] };
}
`,
  );
  return floor;
}

interface Row {
  what: string;
  size: number;
  run: number;
  peak: number;
  heapAfterGc: number;
  externalAfterGc: number;
  pages: number;
  seconds: number;
  load: number;
}

async function main() {
  const rows: Row[] = [];
  const mb = (bytes: number) => bytes / 2 ** 20;
  for (let run = 1; run <= runs; run++) {
    for (const size of sizes) {
      const notes = generatedNotes(size);
      const dir = path.dirname(notes);
      const out = path.join(dir, "out-memory");
      const measure = async (what: string, args: string[], env: Record<string, string>, cwd: string, pages: number) => {
        const loadBefore = os.loadavg()[0];
        const snapshot: Record<string, string> = snapshots ? { VN_HEAP_SNAPSHOT: path.join(dir, `${what.split(" ")[0].toLowerCase()}-${size}-run${run}.heapsnapshot`) } : {};
        console.error(`memory-floor: run ${run}, ${size} notes, ${what} (load ${loadBefore.toFixed(2)})`);
        const peak = await peakMemory([...probe, ...args], { ...env, ...snapshot }, cwd);
        const [, heap, external] = /VN_HEAP_AFTER_GC (\d+) (\d+)/.exec(peak.stderr) ?? [];
        rows.push({ what, size, run, peak: peak.build, heapAfterGc: mb(Number(heap)), externalAfterGc: mb(Number(external)), pages, seconds: peak.seconds, load: Math.max(loadBefore, os.loadavg()[0]) });
      };
      fs.rmSync(out, { recursive: true, force: true });
      await measure("Verinotes", [path.join(root, "scripts/run-cli.mjs"), "build", "--input", notes, "--output", out], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" }, root, NaN);
      // The floor's pages: this build's, copied so that the next Verinotes build can empty its folder.
      const pages = pagesOf(out);
      rows.at(-1)!.pages = pages.length;
      const pagesDir = path.join(dir, "floor-pages");
      fs.rmSync(pagesDir, { recursive: true, force: true });
      for (const p of pages) fs.cpSync(path.join(out, p), path.join(pagesDir, p));
      fs.writeFileSync(path.join(pagesDir, "routes.txt"), pages.join("\n"));
      if (verinotesOnly) continue;
      const bare = bareEleventy(notes);
      fs.rmSync(path.join(bare, "_site"), { recursive: true, force: true });
      await measure("bare Eleventy", [eleventyCmd, "--config=eleventy.config.mjs", "--quiet"], {}, bare, size);
      const floor = floorProject(dir, pagesDir);
      await measure("floor (Eleventy writing Verinotes' pages)", [eleventyCmd, "--config=eleventy.config.mjs", "--quiet"], {}, floor, pages.length);
    }
  }
  console.log(`\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}; peak RSS of the node process (MB), and heap used after a forced GC once Eleventy's write() returned (MB)\n`);
  console.log("| run | notes | what | pages written by Eleventy | peak RSS, MB | heap after GC, MB | external after GC, MB | wall (s) | load (1 min) |");
  console.log("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(`| ${r.run} | ${r.size} | ${r.what} | ${r.pages} | ${r.peak.toFixed(0)} | ${r.heapAfterGc.toFixed(0)} | ${r.externalAfterGc.toFixed(0)} | ${r.seconds.toFixed(1)} | ${r.load.toFixed(1)} |`);
  }
  if (sizes.length > 1) {
    const [lo, hi] = [sizes[0], sizes.at(-1)!];
    console.log(`\nGrowth per 1,000 notes more (${lo} → ${hi} notes), each run:\n`);
    console.log("| run | what | peak RSS, MB per 1,000 | heap after GC, MB per 1,000 |");
    console.log("|---:|---|---:|---:|");
    for (let run = 1; run <= runs; run++) {
      for (const what of [...new Set(rows.map((r) => r.what))]) {
        const a = rows.find((r) => r.run === run && r.size === lo && r.what === what)!;
        const b = rows.find((r) => r.run === run && r.size === hi && r.what === what)!;
        const per = (f: (r: Row) => number) => (((f(b) - f(a)) / (hi - lo)) * 1000).toFixed(0);
        console.log(`| ${run} | ${what} | ${per((r) => r.peak)} | ${per((r) => r.heapAfterGc)} |`);
      }
    }
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
