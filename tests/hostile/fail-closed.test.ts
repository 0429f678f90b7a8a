// Issue 12, acceptance: with no sandbox to be had (bwrap refused by a shim first on PATH, or not on PATH at
// all), `npm run verify` runs no note code, exits 2 and says what to enable; `--no-sandbox` runs the notes
// unisolated only when asked, and says so in the summary and in the report (snippets-spec.md §5).
// verify runs from a checkout-like folder, not from the project.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../plugins/snippets/types.ts";
import { Note, nonce, pathWithout, readReport, runCli, tcpCanaries, writeNotes, type CliRun } from "../helpers/hostile.ts";

describe("fail closed: no sandbox, no note code (issue 12)", () => {
  const id = nonce();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-hostile-closed-"));
  const cwd = path.join(root, "checkout");
  const notesDir = path.join(root, "notes");
  const plainDir = path.join(root, "plain-notes");
  const shims = path.join(root, "shims");
  const touched = (k: string) => path.join(root, `touched-${k}`);
  let tcp: Awaited<ReturnType<typeof tcpCanaries>>;
  const runs: Record<string, { run: CliRun; report: Report }> = {};

  beforeAll(async () => {
    fs.mkdirSync(path.join(cwd, ".git"), { recursive: true });
    fs.writeFileSync(path.join(cwd, ".git", "config"), `# canary ${id}\n`);
    tcp = await tcpCanaries();
    // A note that would leave a mark if any of its code ran, unisolated or not.
    const note = new Note("would-touch");
    note.python(
      String.raw`
import socket
open(CFG['py'], 'w').write('ran')
for host, port in CFG['tcp']:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError:
        pass
print('ran')
`,
      { py: touched("python"), tcp: tcp.endpoints },
      "ran",
    );
    note.block("console", `$ touch ${touched("shell")} && echo ran\nran`);
    note.block("js", `import fs from "node:fs";\nfs.writeFileSync(${JSON.stringify(touched("node"))}, "ran");`);
    writeNotes(notesDir, { "would-touch.md": note });
    const plain = new Note("plain");
    plain.block("python", "print(6 * 7)", "42");
    writeNotes(plainDir, { "plain.md": plain });

    // bwrap (and the old code's unshare) present but refusing, as on a runner that restricts user namespaces
    fs.mkdirSync(shims);
    for (const tool of ["bwrap", "unshare"]) {
      fs.writeFileSync(path.join(shims, tool), `#!/bin/sh\necho "${tool}: setting up uid map: Permission denied" >&2\nexit 1\n`, { mode: 0o755 });
    }
    const base = { ...(process.env as Record<string, string>), VERINOTES_CACHE_DIR: path.join(root, "cache"), GITHUB_TOKEN: `canary-${id}` };
    const verify = async (name: string, dir: string, env: Record<string, string>, extra: string[] = []) => {
      const json = path.join(root, `${name}.json`);
      const run = await runCli("verify", ["--input", dir, "--json", json, "--no-cache", "--quiet", ...extra], { cwd, env });
      runs[name] = { run, report: fs.existsSync(json) ? readReport(json) : ({} as Report) };
    };
    await Promise.all([
      verify("shim", notesDir, { ...base, PATH: `${shims}:${process.env.PATH}` }),
      verify("missing", notesDir, { ...base, PATH: pathWithout("bwrap", process.env.PATH ?? "/usr/bin:/bin", path.join(root, "path")) }),
      verify("unsandboxed", plainDir, base, ["--no-sandbox"]),
    ]);
  }, 120_000);

  afterAll(async () => {
    await tcp.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const noCodeRan = () => {
    expect(["python", "shell", "node"].filter((k) => fs.existsSync(touched(k)))).toEqual([]);
    expect(tcp.hits).toEqual([]);
  };

  it("bwrap refusing (a shim first on PATH): exit 2, what to enable, and no note code ran", () => {
    const { run, report } = runs.shim;
    noCodeRan();
    expect(run.stderr).toMatch(/no note code was run/);
    expect(run.stderr).toMatch(/bubblewrap/);
    expect(run.stderr).toMatch(/--no-sandbox/);
    expect(report.environment?.sandbox).toMatch(/^unavailable/);
    expect(report.snippets.filter((s) => s.status === "passed" || s.status === "failed")).toEqual([]);
    expect(run.status).toBe(2);
  });

  it("no bwrap on PATH at all: exit 2, what to install, and no note code ran", () => {
    const { run } = runs.missing;
    noCodeRan();
    expect(run.stderr).toMatch(/no note code was run/);
    expect(run.stderr).toMatch(/install bubblewrap/);
    expect(run.status).toBe(2);
  });

  it("--no-sandbox runs the notes, and the summary and the report say NOT SANDBOXED", () => {
    const { run, report } = runs.unsandboxed;
    expect(run.status).toBe(0);
    expect(report.snippets.map((s) => s.status)).toEqual(["passed"]);
    expect(run.stdout).toMatch(/NOT SANDBOXED/);
    expect(report.environment?.sandbox).toMatch(/^NOT SANDBOXED/);
  });
});
