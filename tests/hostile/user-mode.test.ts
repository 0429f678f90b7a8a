// The sandbox as a plain user runs it (GitHub's runners are not root): each session in a user namespace of its
// own, with no capability. Run here as uid 65534 (setpriv) with Debian's /usr/bin/python3: the seed note still
// gets §9, and a session sees neither the checkout nor HOME nor the worker's processes.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../plugins/snippets/types.ts";
import { projectRoot, sharedDir } from "../helpers/cli.ts";

const F = "```";

describe("the sandbox for a verifier that is not root", () => {
  // a folder the unprivileged user can read and write, outside the shared temporary folder
  const dir = fs.mkdtempSync("/var/tmp/verinotes-user-mode-");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs as uid 65534 in a user namespace per session, with the same verdicts", () => {
    expect(process.getuid?.(), "this test needs root, to become another user (CI runs as root)").toBe(0);
    const notes = path.join(dir, "notes");
    const home = path.join(dir, "home");
    fs.mkdirSync(notes);
    fs.mkdirSync(home);
    fs.copyFileSync(path.join(sharedDir, "fixtures/seed-note.md"), path.join(notes, "seed-note.md"));
    fs.writeFileSync(
      path.join(notes, "probe.md"),
      [`${F}python`, "import os", "print(os.getuid(), sorted(p for p in os.listdir('/proc') if p.isdigit()))", `for p in [${JSON.stringify(path.join(projectRoot, "package.json"))}, ${JSON.stringify(home)}]:`, "    print(os.path.exists(p))", F, "", F, "65534 ['1', '2']", "False", "False", F, ""].join("\n"),
    );
    fs.chmodSync(dir, 0o777);
    for (const d of [notes, home]) fs.chmodSync(d, 0o777);
    const json = path.join(dir, "report.json");
    const r = spawnSync(
      "setpriv",
      ["--reuid=65534", "--regid=65534", "--clear-groups", "env", `HOME=${home}`, "PATH=/usr/local/bin:/usr/bin:/bin", process.execPath, "--import", "tsx", "scripts/verify.ts", "--input", notes, "--python", "/usr/bin/python3", "--no-cache", "--json", json, "--quiet"],
      { cwd: projectRoot, encoding: "utf8", timeout: 120_000 },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, "utf8")) as Report;
    expect(report.environment?.sandbox).toMatch(/^bubblewrap/);
    expect(report.environment?.processes).toMatch(/user namespace/);
    const seed = report.snippets.filter((s) => s.source === "seed-note.md");
    const count = (st: string) => seed.filter((s) => s.status === st).length;
    expect([count("passed"), count("file"), count("warning"), count("excerpt"), count("invalid"), count("missing-deps"), count("extracted")]).toEqual([11, 1, 1, 2, 3, 2, 1]);
    const probe = report.snippets.find((s) => s.source === "probe.md")!;
    expect(probe.status, `${probe.message}\n${probe.diff ?? ""}`).toBe("passed");
  }, 180_000);
});
