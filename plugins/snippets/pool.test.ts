// The warm python workers: a session cannot reach its worker; a worker that dies is replaced, and its job is retried once.
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createPythonPool, probePython, type PythonInfo } from "./runners/python-pool.ts";
import type { SessionJob } from "./runners/protocol.ts";

const limits = { noteTimeout: 60, memoryMb: 1024, outputCap: 1 << 20, cpuSeconds: 70 };
const job = (code: string): SessionJob => ({ limits, files: [], steps: [{ op: "py", i: 1, code, timeout: 10 }] });

describe("python pool", async () => {
  const info = (await probePython("python3")) as PythonInfo;
  const pool = createPythonPool({
    executable: info.executable,
    sysPath: info.sysPath,
    size: 1,
    maxProcesses: 64,
    sandbox: "bwrap",
    hidden: [process.cwd()],
    home: process.env.HOME ?? "/root",
    tmpBytes: 64 << 20,
    memoryBytes: 1 << 30,
  });
  afterAll(() => pool.close());

  it("runs a session and streams its block back", async () => {
    const [r] = await pool.run(job("print(6 * 7)"));
    expect(r).toMatchObject({ i: 1, exit: 0, output: "42\n" });
    expect(pool.processes()).toMatch(/cgroup|RLIMIT|none/);
  });

  it("keeps the session away from its worker: it cannot see it, signal it or read its memory", async () => {
    const [r] = await pool.run(
      job(
        [
          "import os, signal",
          "print(os.getpid(), os.getppid())",
          "for pid in [p for p in range(1, 64) if p != os.getpid()]:",
          "    try:",
          "        os.kill(pid, signal.SIGKILL)",
          "    except OSError:",
          "        pass",
          "print('still here')",
        ].join("\n"),
      ),
    );
    // PID 2 of its own namespace under a reaping init: the worker and the zygote have no pid it can name
    expect(r).toMatchObject({ exit: 0, output: "2 1\nstill here\n" });
    const [after] = await pool.run(job("print('same worker')"));
    expect(after).toMatchObject({ exit: 0, output: "same worker\n" });
  }, 60_000);

  it("replaces a worker that dies, retries the job once, then reports it", async () => {
    // killed from outside while a session runs: the sandbox (bwrap, a child of this process) and the worker in it
    const killWorkers = () => {
      const out = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" });
      for (const line of out.split("\n")) {
        const m = /^\s*(\d+)\s+bwrap\b/.exec(line);
        if (m) process.kill(Number(m[1]), "SIGKILL");
      }
    };
    const running = pool.run(job("import time; time.sleep(5)"));
    await new Promise((r) => setTimeout(r, 1500));
    killWorkers();
    await new Promise((r) => setTimeout(r, 1500));
    killWorkers(); // the retry's worker too
    const [r] = await running;
    expect(r.killed).toMatch(/python worker died/);
    const [after] = await pool.run(job("print('fresh worker')"));
    expect(after).toMatchObject({ exit: 0, output: "fresh worker\n" });
  }, 60_000);
});
