// `npx tsx bench/verify-bench.ts`: how long `npm run verify` takes on generated notes, cold (empty cache) and warm,
// next to the least time any verifier that follows snippets-spec.md §3 could take on this machine: the processes
// the spec asks for (an interpreter per note session, a shell per session with a transcript, and the programs the
// transcripts run), each priced at what creating that process costs here. Node blocks, shell scripts, `bash -n`
// checks and compilers are left out, so for notes that have them the true floor is higher; the generated notes
// have none. Each round measures the floor just before and just after the cold and warm runs it is set against
// (the cost of a process swings with the machine's load), and shows the load. Verify runs as users run it: the
// compiled CLI when `dist/` is built (`--tsx` to run the sources). Each round also runs the same sessions through
// bench/prototype/notebook.py, the process model alone with and without the sandbox's namespaces (no judging,
// limits or cache): the least a worker can take here at that moment. Prints Markdown tables.
//
//   npx tsx bench/verify-bench.ts                      # 4,000 notes, 1 round
//   npx tsx bench/verify-bench.ts --size 1000 --rounds 2 --jobs 2,8
//   npx tsx bench/verify-bench.ts --floor-only         # the floor, without running verify
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hexoSplitter, loadNoteParser } from "../scripts/note-parser.ts";
import { extractSnippets } from "../plugins/snippets/extract.ts";
import { planNote, type PlanOptions } from "../plugins/snippets/plan.ts";
import { resolveOptions } from "../plugins/snippets/options.ts";
import { probePython, sandboxPlanOf } from "../plugins/snippets/runners/python-pool.ts";
import { bwrapArgs } from "../plugins/snippets/runners/sandbox.ts";
import { flag, generatedNotes, median, root } from "./common.ts";

const size = Number(flag("size", "4000"));
const rounds = Number(flag("rounds", "1"));
const jobsList = process.argv.includes("--floor-only") ? [] : flag("jobs", String(resolveOptions().jobs)).split(",").map(Number);

/** The processes verifying these notes must create, from the same plan `npm run verify` sends to the workers. */
async function processesOf(notesDir: string) {
  const parse = await loadNoteParser();
  const d = resolveOptions();
  const opts: PlanOptions = { timeout: d.timeout, noteTimeout: d.noteTimeout, memoryMb: d.memoryMb, outputCap: d.outputCap, nodeStripsTypes: false, compilers: {} };
  let notes = 0;
  let sessions = 0;
  let shells = 0;
  let programs = 0;
  const seen = new Set<string>();
  const prototypeJobs: PrototypeJob[] = [];
  for (const name of fs.readdirSync(notesDir).filter((f) => f.endsWith(".md"))) {
    notes++;
    const text = fs.readFileSync(path.join(notesDir, name), "utf8");
    const { body, bodyLine } = hexoSplitter(text);
    const plan = planNote(extractSnippets(parse(body), { file: name, bodyLine }), opts);
    for (const s of plan.sessions) {
      // a session with the same code as one seen before is answered from the cache, as verify does
      const key = JSON.stringify(s.job);
      if (seen.has(key)) continue;
      seen.add(key);
      sessions++;
      const run = s.job.steps.filter((st) => st.op === "sh" && !st.check);
      if (run.length) shells++;
      for (const st of run) if (st.op === "sh") for (const c of st.commands) programs += c.programs.length;
      prototypeJobs.push(prototypeJobOf(s.job.steps));
    }
  }
  return { notes, sessions, shells, programs, prototypeJobs };
}

/** What bench/prototype/notebook.py runs of a session: its python blocks and REPL lines, its transcripts' commands. */
interface PrototypeJob { py: [string, "exec" | "single"][]; sh: string[] }
function prototypeJobOf(steps: { op: string; check?: boolean; code?: string; examples?: { source: string }[]; commands?: { cmd: string }[] }[]): PrototypeJob {
  const job: PrototypeJob = { py: [], sh: [] };
  for (const st of steps) {
    if (st.check) continue;
    if (st.op === "py" && st.code) job.py.push([st.code, "exec"]);
    if (st.op === "repl") for (const e of st.examples ?? []) job.py.push([e.source, "single"]);
    if (st.op === "sh") for (const c of st.commands ?? []) job.sh.push(c.cmd);
  }
  return job;
}

/**
 * The same sessions through bench/prototype/notebook.py: the process model alone (a PID 1 of its own namespaces
 * per note, a forked interpreter, one bash) in the same bwrap sandbox, \`jobs\` workers fed as they free up, no
 * judging or limits. Seconds from starting the workers to the last answer.
 */
async function timedPrototype(py: { executable: string; sysPath: string[] }, jobs: PrototypeJob[], workers: number, bare = false): Promise<number> {
  const worker = path.join(root, "bench/prototype/notebook.py");
  const options = { executable: py.executable, sysPath: py.sysPath, maxProcesses: 128, hidden: [root], home: os.homedir(), tmpBytes: 256 << 20, memoryBytes: resolveOptions().memoryMb << 20 };
  const plan = { ...sandboxPlanOf(options), workerDir: path.dirname(worker) };
  const start = performance.now();
  let next = 0;
  let printed = 0;
  await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
    const p = spawn("bwrap", bwrapArgs(plan, ["-S", "-B", worker, ...(bare ? ["--bare"] : [])]), { stdio: ["pipe", "pipe", "inherit"] });
    const feed = () => (next < jobs.length ? p.stdin.write(JSON.stringify(jobs[next++]) + "\n") : p.stdin.end());
    let buf = "";
    p.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      for (let k = buf.indexOf("\n"); k >= 0; k = buf.indexOf("\n")) {
        printed += Number(buf.slice(0, k));
        buf = buf.slice(k + 1);
        feed();
      }
    });
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the prototype worker exited with ${code}`))));
    feed();
  })));
  const s = (performance.now() - start) / 1000;
  // each session prints what its blocks and commands print: nothing at all would mean the sessions did not run
  if (!(printed > jobs.length)) throw new Error(`the prototype's sessions printed ${printed} bytes in all`);
  return s;
}

// Each cost is measured alone and with two copies at once, three times; the cheapest per-process figure is kept,
// so the floor credits the machine with whatever parallelism it has and with its best minute. The programs are
// priced at /usr/bin/true, the cheapest program there is, run from bash as a transcript runs its commands.
const UNIT_COSTS = String.raw`
import json, os, sys, time
N = int(sys.argv[1])
what = sys.argv[2]
worker = sys.argv[3]
import importlib.util
sys.path.insert(0, os.path.dirname(worker))  # the worker imports its package from beside it
spec = importlib.util.spec_from_file_location("worker", worker)
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)  # a process the size of a worker
bash = "/bin/bash"
t0 = time.perf_counter()
if what == "fault":
    import mmap
    m = mmap.mmap(-1, N * 4096)
    for i in range(0, N * 4096, 4096):
        m[i] = 1
elif what == "fork":
    for _ in range(N):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
elif what == "bash":
    for _ in range(N):
        pid = os.posix_spawn(bash, [bash, "--noprofile", "--norc", "-c", ":"], {})
        os.waitpid(pid, 0)
else:
    pid = os.posix_spawn(bash, [bash, "--noprofile", "--norc", "-c", "for ((i=0;i<%d;i++)); do /usr/bin/true; done" % N], {})
    os.waitpid(pid, 0)
os.write(1, (json.dumps((time.perf_counter() - t0) * 1000 / N) + "\n").encode())  # one write: two copies share the pipe
`;

function unitCost(python: string, what: "fault" | "fork" | "bash" | "program"): number {
  const worker = path.join(root, "plugins/snippets/runners/worker.py");
  const n = what === "fault" ? 20_000 : 300;
  const once = (copies: number): number => {
    const r = spawnSync("bash", ["-c", Array.from({ length: copies }, () => `"$0" -S -c "$1" ${n} ${what} "$2" &`).join(" ") + " wait", python, UNIT_COSTS, worker], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    // each copy prints its ms per process; copies that ran side by side made `copies` processes in the slowest one's time
    const each = r.stdout.trim().split(/\s+/).map(Number);
    if (each.length !== copies || each.some((x) => !(x > 0))) throw new Error(`unexpected answer from the ${what} timer: ${JSON.stringify(r.stdout)} ${r.stderr}`);
    return Math.max(...each) / copies;
  };
  // the VM's cost of a process varies from one minute to the next: the least of three tries of each; a page
  // fault is priced as one process sees it (its latency), the figure the README quotes
  return Math.min(...[1, 2, 3].flatMap(() => (what === "fault" ? [once(1)] : [once(1), once(2)])));
}

// Runs a command and reports on stderr the page faults of its whole process tree (what the kernel counts for
// the children it has waited for: node, the workers, the sessions, their shells and programs).
const COUNT_FAULTS = String.raw`
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
sys.stderr.write("\nVN_MINFLT %d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt)
sys.exit(code)
`;

/** How verify is started: the compiled CLI when the package is built (what users run), else through tsx. */
const compiled = path.join(root, "dist/scripts/cli.js");
/** The newest source the compiled CLI is built from: a dist/ older than it would time yesterday's code. */
function newestSource(): number {
  let newest = 0;
  for (const dir of ["plugins", "scripts"])
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true }))
      if (e.isFile() && /\.(ts|py)$/.test(e.name)) newest = Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  return newest;
}
if (!process.argv.includes("--tsx") && fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs < newestSource()) {
  throw new Error("dist/ is older than the sources: run `npm run prepare` first, or pass --tsx to time the sources");
}
const runner = !process.argv.includes("--tsx") && fs.existsSync(compiled)
  ? { label: "the compiled CLI (dist/)", argv: [process.execPath, compiled, "verify"] }
  : { label: "tsx", argv: [process.execPath, "--import", "tsx", "scripts/verify.ts"] };

function timedVerify(python: string, notes: string, cache: string, jobs: number): { s: number; faults: number; summary: string } {
  const start = performance.now();
  const verify = [...runner.argv, "--input", notes, "--cache-dir", cache, "--jobs", String(jobs), "--quiet"];
  const r = spawnSync(python, ["-c", COUNT_FAULTS, ...verify], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const s = (performance.now() - start) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`verify failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const faults = Number((r.stderr.match(/VN_MINFLT (\d+)/) ?? [])[1]);
  return { s, faults, summary: (r.stdout.match(/\(cache:[^)]*\)/) ?? [""])[0] };
}

const notes = generatedNotes(size);
const py = await probePython("python3");
if ("error" in py) throw new Error(py.error);
const counts = await processesOf(notes);
const floorOf = () => {
  const costs = { fork: unitCost(py.executable, "fork"), bash: unitCost(py.executable, "bash"), program: unitCost(py.executable, "program") };
  return { costs, s: (counts.sessions * costs.fork + counts.shells * costs.bash + counts.programs * costs.program) / 1000 };
};
const load = () => os.loadavg()[0];

// Rounds interleave the floor and the runs it is compared with: the machine's cost of a process swings from one
// minute to the next (issue 16), so each verify is set against the floor measured just before and just after it.
interface Round { jobs: number; loadBefore: number; floorBefore: number; cold: number; warm: number; prototype: number; bare: number; floorAfter: number; summary: string; faults: number }
const rows: Round[] = [];
let lastCosts = floorOf().costs;
const faultCost = process.argv.includes("--floor-only") ? unitCost(py.executable, "fault") : 0;
for (let r = 0; r < rounds; r++) {
  for (const jobs of jobsList) {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "vn-verify-bench-"));
    try {
      const loadBefore = load();
      const before = floorOf();
      const c = timedVerify(py.executable, notes, cache, jobs);
      const w = timedVerify(py.executable, notes, cache, jobs);
      const prototype = await timedPrototype(py, counts.prototypeJobs, jobs);
      const bare = await timedPrototype(py, counts.prototypeJobs, jobs, true);
      const after = floorOf();
      lastCosts = after.costs;
      rows.push({ jobs, loadBefore, floorBefore: before.s, cold: c.s, warm: w.s, prototype, bare, floorAfter: after.s, summary: c.summary, faults: c.faults });
      process.stderr.write(`round ${r + 1}/${rounds}, --jobs ${jobs}: floor ${before.s.toFixed(2)}/${after.s.toFixed(2)} s, cold ${c.s.toFixed(2)} s, warm ${w.s.toFixed(2)} s, prototype ${prototype.toFixed(2)} s (no namespaces ${bare.toFixed(2)} s), load ${loadBefore.toFixed(1)}\n`);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }
}

const lines = [
  `| ${counts.notes} generated notes, ${os.availableParallelism()} cores, python ${py.version}, verify run with ${runner.label} | count | each (ms, last floor) | seconds |`,
  "|---|---:|---:|---:|",
  `| note sessions: an interpreter forked from a warm one (§3) | ${counts.sessions} | ${lastCosts.fork.toFixed(2)} | ${((counts.sessions * lastCosts.fork) / 1000).toFixed(2)} |`,
  `| shells, one per session with a transcript that runs (§3) | ${counts.shells} | ${lastCosts.bash.toFixed(2)} | ${((counts.shells * lastCosts.bash) / 1000).toFixed(2)} |`,
  `| programs the transcripts run, priced as /usr/bin/true | ${counts.programs} | ${lastCosts.program.toFixed(2)} | ${((counts.programs * lastCosts.program) / 1000).toFixed(2)} |`,
  ...(faultCost ? [`| for scale: a page fault (a fresh page written, one process) |  | ${faultCost.toFixed(4)} |  |`] : []),
  "",
  "| round | --jobs | load (1 min) | floor before (s) | cold (s) | warm (s) | prototype (s) | prototype, no namespaces (s) | floor after (s) | cold / floor | prototype / floor | page faults per session |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...rows.map((x, i) => {
    const floor = Math.max(x.floorBefore, x.floorAfter); // the kinder floor of the two for the ratio
    return `| ${Math.floor(i / Math.max(1, jobsList.length)) + 1} | ${x.jobs} | ${x.loadBefore.toFixed(2)} | ${x.floorBefore.toFixed(2)} | ${x.cold.toFixed(2)} | ${x.warm.toFixed(2)} | ${x.prototype.toFixed(2)} | ${x.bare.toFixed(2)} | ${x.floorAfter.toFixed(2)} | ${(x.cold / floor).toFixed(2)}× | ${(x.prototype / floor).toFixed(2)}× | ${Math.round(x.faults / counts.sessions)} |`;
  }),
  rows.length ? `\n${rows[0].summary}` : "",
];
process.stdout.write(lines.join("\n") + "\n");
