// A pool of warm python workers (worker.py), one per core, each in its own bubblewrap sandbox (sandbox.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SessionJob, StepRaw } from "./protocol.ts";
import { WORKER_HOME, bwrapArgs, type SandboxMode, type SandboxPlan } from "./sandbox.ts";

export const WORKER_PATH = fileURLToPath(new URL("./worker.py", import.meta.url));

export interface PythonInfo {
  /** Absolute interpreter path (pyenv shims resolved). */
  executable: string;
  version: string;
  /** A fingerprint of what the interpreter can import and what PATH offers (for cache keys). */
  fingerprint: string;
  /** The interpreter's usual sys.path (the worker runs with -S and sets it from this). */
  sysPath: string[];
}

const PROBE = [
  "import sys, os, json, hashlib",
  "h = hashlib.sha256()",
  "for d in sys.path + os.environ.get('PATH', '').split(os.pathsep):",
  "    try: h.update((d + ':' + ','.join(sorted(os.listdir(d)))).encode('utf-8', 'replace'))",
  "    except OSError: pass",
  "print(json.dumps([sys.executable, sys.version.split()[0], h.hexdigest()[:16], sys.path[1:]]))",
].join("\n");

function parseProbe(python: string, stdout: string): PythonInfo | { error: string } {
  try {
    const [executable, version, fingerprint, sysPath] = JSON.parse(stdout.trim()) as [string, string, string, string[]];
    return { executable, version, fingerprint, sysPath };
  } catch {
    return { error: `unexpected answer from ${python}: ${stdout.slice(0, 200)}` };
  }
}

/** Asks the interpreter who it is: one short process (in the background, so that reading notes overlaps it). */
export function probePython(python: string): Promise<PythonInfo | { error: string }> {
  return new Promise((resolve) => {
    let out = "";
    let err = "";
    const p = spawn(python, ["-c", PROBE], { env: { ...process.env, PATH: sandboxPath() }, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
    p.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
    p.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
    p.on("error", (e) => {
      clearTimeout(timer);
      resolve({ error: `cannot run ${python}: ${e.message}` });
    });
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? parseProbe(python, out) : { error: `cannot run ${python}: ${err.trim() || `exit ${code}`}` });
    });
  });
}

/**
 * PATH inside the sandbox: the caller's, without what npm and npx put in front (node_modules/.bin), so
 * that `npm run verify` and `tsx scripts/verify.ts` verify the same way and share the cache.
 */
export function sandboxPath(path = process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"): string {
  return path
    .split(":")
    .filter((d) => d && !/[\\/]node_modules[\\/]\.bin$/.test(d) && !/node-gyp-bin$/.test(d) && !/[\\/]_npx[\\/]/.test(d))
    .join(":");
}

export interface PoolOptions {
  executable: string;
  sysPath: string[];
  size: number;
  maxProcesses: number;
  /** "none" only when the user asked for `--no-sandbox`. */
  sandbox: SandboxMode;
  /** Folders the sandbox hides (the checkout, notes, caches, output), HOME, and the disk a session may fill. */
  hidden: string[];
  home: string;
  tmpBytes: number;
  /** A session's memory (its processes and its SysV shared memory). */
  memoryBytes: number;
  /** Folders of the verifier's own the sandbox shows read-only, at another path (precompiled headers). */
  readOnly?: { host: string; inside: string }[];
}

export interface PythonPool {
  run(job: SessionJob): Promise<StepRaw[]>;
  close(): Promise<void>;
  /** How process counts are limited (known once a worker started). */
  processes(): string;
  /** Why a worker refused to run notes (its sandbox could not be set up), once one said so. */
  sandboxError(): string | null;
}

/**
 * The sandbox a worker of this pool runs in: the same plan for the workers and for the probe that decides whether
 * any note code may run (sandbox.ts probeSandbox), so that the probe tries what the workers will get.
 */
export function sandboxPlanOf(opts: Omit<PoolOptions, "size" | "sandbox">, env: Record<string, string> = {}): SandboxPlan {
  const root = process.getuid?.() === 0;
  return {
    python: opts.executable,
    pythonDirs: pythonDirs(opts.executable, opts.sysPath),
    workerDir: path.dirname(WORKER_PATH),
    path: sandboxPath(),
    hidden: opts.hidden,
    home: opts.home,
    tmpBytes: opts.tmpBytes,
    readOnly: opts.readOnly,
    root,
    env: {
      ...env,
      VERINOTES_ISOLATION: root ? "root" : "user",
      VERINOTES_WORKER_HOME: WORKER_HOME,
      VERINOTES_DISK_BYTES: String(opts.tmpBytes),
      VERINOTES_MEMORY_BYTES: String(opts.memoryBytes),
    },
  };
}

/** The interpreter's own folders: what it runs from (its prefix) and imports from. */
export function pythonDirs(executable: string, sysPath: string[]): string[] {
  return [path.dirname(path.dirname(executable)), ...sysPath];
}

interface Pending {
  id: number;
  job: SessionJob;
  steps: StepRaw[];
  attempts: number;
  resolve: (s: StepRaw[]) => void;
}

interface Worker {
  proc: ChildProcess;
  inflight: Map<number, Pending>;
  dead: boolean;
  stderr: string;
}

const MAX_INFLIGHT = 2;

export function createPythonPool(opts: PoolOptions): PythonPool {
  const workers: Worker[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;
  let processes = "unknown (no worker started)";
  let refused: string | null = null;

  const env: NodeJS.ProcessEnv = {
    PATH: sandboxPath(),
    LANG: "C.UTF-8",
    TZ: "UTC",
    COLUMNS: "80",
    PYTHONHASHSEED: "0",
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONIOENCODING: "utf-8",
    VERINOTES_MAX_PROCS: String(opts.maxProcesses),
    VERINOTES_SYSPATH: JSON.stringify(opts.sysPath),
  };

  function finish(w: Worker, p: Pending) {
    w.inflight.delete(p.id);
    p.resolve(p.steps);
    pump();
  }

  function spawnWorker(): Worker {
    // In root mode each worker's sessions run as a uid of their own: RLIMIT_NPROC counts a uid's processes
    // machine-wide, so two verifiers (or two workers) must not share one.
    const workerEnv = { ...env, VERINOTES_SESSION_SLOT: String(randomInt(1 << 28)) } as Record<string, string>;
    let proc: ChildProcess;
    if (opts.sandbox === "bwrap") {
      proc = spawn("bwrap", bwrapArgs(sandboxPlanOf(opts, workerEnv), ["-S", "-B", WORKER_PATH]), { stdio: ["pipe", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    } else {
      proc = spawn(opts.executable, ["-S", "-B", WORKER_PATH], { stdio: ["pipe", "pipe", "pipe"], env: { ...workerEnv, VERINOTES_ISOLATION: "none" } });
    }
    const w: Worker = { proc, inflight: new Map(), dead: false, stderr: "" };
    let buf = "";
    proc.stdout!.setEncoding("utf8");
    proc.stdout!.on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (msg.ev === "ready") {
          processes = String(msg.processes ?? processes);
          if (msg.sandboxError) refused = String(msg.sandboxError);
          continue;
        }
        const p = w.inflight.get(Number(msg.id));
        if (!p) continue;
        if (msg.ev === "step") p.steps.push(msg as unknown as StepRaw);
        else if (msg.ev === "done") {
          if (msg.error) {
            for (const st of p.job.steps) {
              if (!p.steps.some((s) => s.i === st.i)) p.steps.push({ i: st.i, killed: `worker error: ${String(msg.error).trim().split("\n").pop()}` });
            }
          }
          finish(w, p);
        }
      }
    });
    proc.stderr!.setEncoding("utf8");
    proc.stderr!.on("data", (c: string) => {
      w.stderr = (w.stderr + c).slice(-4000);
    });
    proc.stdin!.on("error", () => {});
    proc.on("exit", () => {
      w.dead = true;
      const idx = workers.indexOf(w);
      if (idx >= 0) workers.splice(idx, 1);
      // jobs in flight: once more on a fresh worker, then give up with a message per block
      for (const p of w.inflight.values()) {
        if (p.attempts < 2 && !closed) {
          p.steps = [];
          queue.unshift(p);
        } else {
          const why = `the python worker died${w.stderr ? `: ${w.stderr.trim().split("\n").pop()}` : ""}`;
          for (const st of p.job.steps) if (!p.steps.some((s) => s.i === st.i)) p.steps.push({ i: st.i, killed: why });
          p.resolve(p.steps);
        }
      }
      w.inflight.clear();
      if (!closed) pump();
    });
    workers.push(w);
    return w;
  }

  function pump() {
    while (queue.length && !closed) {
      let w = workers.filter((x) => !x.dead).sort((a, b) => a.inflight.size - b.inflight.size)[0];
      if ((!w || w.inflight.size > 0) && workers.length < opts.size) w = spawnWorker();
      if (!w || w.inflight.size >= MAX_INFLIGHT) return;
      const p = queue.shift()!;
      p.attempts++;
      w.inflight.set(p.id, p);
      w.proc.stdin!.write(JSON.stringify({ id: p.id, ...p.job }) + "\n");
    }
  }

  return {
    processes: () => processes,
    sandboxError: () => refused,
    run(job) {
      return new Promise<StepRaw[]>((resolve) => {
        if (closed) {
          resolve(job.steps.map((s) => ({ i: s.i, killed: "the pool is closed" })));
          return;
        }
        queue.push({ id: nextId++, job, steps: [], attempts: 0, resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((res) => {
              if (w.dead) return res();
              w.proc.once("exit", () => res());
              w.proc.stdin!.end();
              setTimeout(() => {
                if (!w.dead) w.proc.kill("SIGKILL");
              }, 5000).unref();
            }),
        ),
      );
    },
  };
}
