// The warm python workers: a worker that dies is replaced, and its job is retried once.
import { afterAll, describe, expect, it } from "vitest";
import { createPythonPool, probePython, type PythonInfo } from "./runners/python-pool.ts";
import type { SessionJob } from "./runners/protocol.ts";

const limits = { noteTimeout: 60, memoryMb: 1024, outputCap: 1 << 20, cpuSeconds: 70 };
const job = (code: string): SessionJob => ({ limits, files: [], steps: [{ op: "py", i: 1, code, timeout: 10 }] });

describe("python pool", async () => {
  const info = (await probePython("python3")) as PythonInfo;
  const pool = createPythonPool({ executable: info.executable, sysPath: info.sysPath, size: 1, isolateNetwork: true, maxProcesses: 64 });
  afterAll(() => pool.close());

  it("runs a session and streams its block back", async () => {
    const [r] = await pool.run(job("print(6 * 7)"));
    expect(r).toMatchObject({ i: 1, exit: 0, output: "42\n" });
    expect(pool.processes()).toMatch(/cgroup|RLIMIT|none/);
  });

  it("replaces a worker that dies, retries the job once, then reports it", async () => {
    // the session child kills its worker (its grandparent: worker -> zygote -> child)
    const killer = job(
      ["import os", "zygote = os.getppid()", "worker = int(open('/proc/%d/stat' % zygote).read().rsplit(')', 1)[1].split()[1])", "os.kill(worker, 9)", "import time; time.sleep(5)"].join("\n"),
    );
    const [r] = await pool.run(killer);
    expect(r.killed).toMatch(/python worker died/);
    const [after] = await pool.run(job("print('fresh worker')"));
    expect(after).toMatchObject({ exit: 0, output: "fresh worker\n" });
  }, 60_000);
});
