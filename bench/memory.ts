// Peak resident memory of a command's processes, read from /proc every 20 ms (build-bench.ts, memory-floor.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import { root } from "./common.ts";

/** Resident memory (KB) of a process, 0 once it is gone. */
function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** A process's children, whichever of its threads started them (Pagefind's indexer is a worker thread's child). */
function childPids(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

function commOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

export interface MemoryPeak {
  /** The build's own (node) process. */
  build: number;
  /** Pagefind's indexing service, a child of the build. */
  pagefind: number;
  /** Every process of the build at once. */
  tree: number;
  seconds: number;
  /** What the command printed on stderr. */
  stderr: string;
}

/** Runs `node <args>` in `cwd`, reading the resident memory of its processes every 20 ms; peaks in MB. */
export async function peakMemory(args: string[], env: Record<string, string>, cwd = root): Promise<MemoryPeak> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const peak = { build: 0, pagefind: 0, tree: 0 };
  const sample = () => {
    const pids: number[] = [];
    const walk = (pid: number) => {
      pids.push(pid);
      childPids(pid).forEach(walk);
    };
    walk(child.pid!);
    let tree = 0;
    for (const pid of pids) {
      const kb = rssKb(pid);
      tree += kb;
      if (pid === child.pid) peak.build = Math.max(peak.build, kb);
      else if (/pagefind/.test(commOf(pid))) peak.pagefind = Math.max(peak.pagefind, kb);
    }
    peak.tree = Math.max(peak.tree, tree);
  };
  const timer = setInterval(sample, 20);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`memory build failed (${code}):\n${stderr.slice(-3000)}`);
  const mb = (kb: number) => kb / 1024;
  return { build: mb(peak.build), pagefind: mb(peak.pagefind), tree: mb(peak.tree), seconds: (performance.now() - start) / 1000, stderr };
}
