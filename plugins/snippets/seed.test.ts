// The seed note gets exactly the statuses of snippets-spec.md §9, second version (real python3 and bash).
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
  [7, "passed", /assuming `import argparse`/],
  [8, "warning", /the following arguments are required: N/],
  [9, "passed"],
  [10, "passed"],
  [11, "passed"],
  [12, "invalid", /text/],
  [13, "excerpt", /TAG/],
  [14, "passed"],
  [15, "invalid"],
  [16, "passed"],
  [17, "passed"],
  [18, "passed"],
  [19, "invalid"],
  [20, "excerpt", /TRACER/],
  [21, "missing-deps", /needs torch \(assuming `import torch`\)/],
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

  it("sums to 11 passed, 1 file, 1 warning, 2 excerpts, 3 invalid, 2 missing-deps, 1 extracted", () => {
    expect(report.summary).toMatchObject({
      passed: 11,
      file: 1,
      failed: 0,
      warning: 1,
      excerpt: 2,
      invalid: 3,
      "missing-deps": 2,
      extracted: 1,
      environment: 0,
      unresolved: 0,
      checked: 0,
      skipped: 0,
    });
  });

  it("passes verify: block 9 is read as its reader reads it (argparse supplied in block 8, keyword order of the repr)", () => {
    const o = outcome(report);
    expect(o.exitCode).toBe(0);
    expect(o.failures).toEqual([]);
    expect(report.snippets[8].message).toBe("1 example passed");
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
