// Issue 12: nothing caps the report or log per note. A note printing 16 MiB over 16 blocks (each just under
// the 1 MiB a block may print, every one against a wrong claim) must leave a bounded share of the report,
// and verify must still end in its usual time: the output is long lines, as a careless `print(data)` makes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Note, readReport, runCli, writeNotes, type CliRun } from "../helpers/hostile.ts";

describe("a note's share of the report (issue 12)", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-hostile-output-"));
  const json = path.join(root, "verify.json");
  const started = Date.now();
  let run: CliRun;

  beforeAll(async () => {
    const note = new Note("output");
    for (let k = 0; k < 16; k++) note.block("python", "print('x' * ((1 << 20) - 64))", "x");
    writeNotes(path.join(root, "notes"), { "output.md": note });
    run = await runCli("verify", ["--input", path.join(root, "notes"), "--json", json, "--no-cache", "--quiet"], {
      env: process.env as Record<string, string>,
      timeoutMs: 45_000,
    });
  }, 60_000);

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("verify ends, each block has a status, and the note's rows stay under 9 MiB (its 4 MiB of output, as actual and diff)", () => {
    expect(run.status, `verify did not end within ${Math.round((run.endedAt - started) / 1000)} s (status ${run.status})`).toBe(1);
    const rows = readReport(json).snippets.filter((s) => s.source === "output.md");
    expect(rows.length).toBe(16);
    expect(rows.filter((s) => s.status !== "failed")).toEqual([]);
    expect(rows.some((s) => /output limit/.test(s.message))).toBe(true);
    expect(JSON.stringify(rows).length).toBeLessThan(9 << 20);
  });
});
