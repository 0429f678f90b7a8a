// `npx tsx bench/sandbox-bench.ts`: what the sandbox (snippets-spec.md §5) costs a cold `npm run verify`. Runs it on
// generated notes with an empty cache, sandboxed and with --no-sandbox, alternating in one run so that both see
// the same machine; prints each run with the load average, and the medians' ratio (the goal: at most 1.10).
//
//   npx tsx bench/sandbox-bench.ts                   # 4,000 notes, 2 rounds
//   npx tsx bench/sandbox-bench.ts --size 1000 --rounds 3
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { flag, generatedNotes, median, root, work } from "./common.ts";

const size = Number(flag("size", "4000"));
const rounds = Number(flag("rounds", "2"));
const notes = generatedNotes(size);

function coldVerify(sandboxed: boolean): { seconds: number; load: number; summary: string } {
  const cache = fs.mkdtempSync(path.join(work, "sandbox-bench-cache-"));
  const load = os.loadavg()[0];
  const t0 = performance.now();
  const args = ["--import", "tsx", "scripts/verify.ts", "--input", notes, "--cache-dir", cache, "--quiet", ...(sandboxed ? [] : ["--no-sandbox"])];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 256 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  fs.rmSync(cache, { recursive: true, force: true });
  if (r.status !== 0 && r.status !== 1) throw new Error(`verify exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const summary = (r.stdout.match(/\(cache: [^)]*\)/) ?? [""])[0];
  return { seconds, load, summary };
}

const runs: { sandboxed: boolean; seconds: number; load: number; summary: string }[] = [];
for (let k = 0; k < rounds; k++) {
  // alternate which goes first, so that neither always meets the warmer file cache
  for (const sandboxed of k % 2 === 0 ? [true, false] : [false, true]) {
    const r = coldVerify(sandboxed);
    runs.push({ sandboxed, ...r });
    process.stderr.write(`round ${k + 1}: ${sandboxed ? "sandboxed" : "--no-sandbox"} ${r.seconds.toFixed(2)} s (load ${r.load.toFixed(2)}) ${r.summary}\n`);
  }
}
const med = (s: boolean) => median(runs.filter((r) => r.sandboxed === s).map((r) => r.seconds));
const out = [
  `| ${size} generated notes, cold \`npm run verify\`, ${os.cpus().length} cores | run | load (1 min) | seconds |`,
  "|---|---:|---:|---:|",
  ...runs.map((r, i) => `| ${r.sandboxed ? "sandboxed (bubblewrap, a PID namespace and a uid per session)" : "`--no-sandbox`"} | ${i + 1} | ${r.load.toFixed(2)} | ${r.seconds.toFixed(2)} |`),
  `| **median, sandboxed / --no-sandbox** |  |  | **${(med(true) / med(false)).toFixed(3)}×** (${med(true).toFixed(2)} / ${med(false).toFixed(2)}) |`,
];
console.log(out.join("\n"));
