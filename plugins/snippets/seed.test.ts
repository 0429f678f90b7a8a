// The seed note gets exactly the statuses of snippets-spec.md §9 (real python3 and bash).
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { outcome } from "./report.ts";
import type { Report, Status } from "./types.ts";
import { verifyNotes } from "./verify.ts";

const SEED = fileURLToPath(new URL("../../../shared/fixtures/seed-note.md", import.meta.url));

const EXPECTED: [number, Status, RegExp?][] = [
  [1, "missing-deps", /pandas, torchvision/],
  [2, "extracted"],
  [3, "file", /prog\.py, inferred from block 4/],
  [4, "passed"],
  [5, "passed"],
  [6, "passed"],
  [7, "warning", /NameError: name 'argparse' is not defined/],
  [8, "warning", /NameError: name 'argparse' is not defined/],
  [9, "failed", /NameError: name 'parser' is not defined/],
  [10, "passed"],
  [11, "passed"],
  [12, "invalid", /text/],
  [13, "warning", /NameError: name 'TAG' is not defined/],
  [14, "passed"],
  [15, "invalid"],
  [16, "passed"],
  [17, "passed"],
  [18, "passed"],
  [19, "invalid"],
  [20, "warning", /NameError: name 'TRACER' is not defined/],
  [21, "warning", /NameError: name 'torch' is not defined/],
];

describe("the seed note (§9)", () => {
  let report: Report;
  const before = fs.readFileSync(SEED);
  beforeAll(async () => {
    report = await verifyNotes([{ file: SEED, text: before.toString("utf8") }], { inputDir: path.dirname(SEED), cacheDir: null });
  });

  it("gets every block's status", () => {
    expect(report.snippets.map((s) => [s.index, s.status])).toEqual(EXPECTED.map(([i, st]) => [i, st]));
    for (const [i, , msg] of EXPECTED) if (msg) expect(report.snippets[i - 1].message).toMatch(msg);
  });

  it("sums to 9 passed, 1 file, 1 failed, 5 warnings, 3 invalid, 1 missing-deps, 1 extracted", () => {
    expect(report.summary).toMatchObject({ passed: 9, file: 1, failed: 1, warning: 5, invalid: 3, "missing-deps": 1, extracted: 1, unresolved: 0, checked: 0, skipped: 0 });
  });

  it("fails verify because of block 9, with a diff", () => {
    const o = outcome(report);
    expect(o.exitCode).toBe(1);
    expect(o.failures.map((s) => s.index)).toEqual([9]);
    expect(o.failures[0].diff).toContain("-Namespace(accumulate=<built-in function sum>, integers=[7, -1, 42])");
    expect(o.failures[0].diff).toContain("+NameError: name 'parser' is not defined");
  });

  it("reports sources relative to the input, lines of the file and file inference", () => {
    expect(report.snippets[0]).toMatchObject({ source: "seed-note.md", line: 34, lang: "python", kind: "source", name: "01.py" });
    expect(report.snippets[3].files).toEqual([{ name: "prog.py", from: 3, inferred: true, usedBy: [4] }]);
    expect(report.snippets[2].file).toMatchObject({ name: "prog.py", usedBy: [4, 5, 6] });
  });

  it("leaves the note byte-identical", () => {
    expect(fs.readFileSync(SEED).equals(before)).toBe(true);
  });
});
