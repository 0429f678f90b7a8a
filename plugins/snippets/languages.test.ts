// Runners other than python: shell scripts and command lists, node, JSON, YAML, C; REPL details.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkJson, checkYaml } from "./runners/static.ts";
import { block } from "./testing.ts";
import type { Report, SnippetResult } from "./types.ts";
import { nodeStripsTypes, verifyNotes } from "./verify.ts";

const F = "```";
const NOTE = [
  block("bash", "echo hi; echo err >&2"),
  "输出：",
  "",
  block("", "hi", "err"),
  block("bash", "pip install torch", "conda activate base"),
  block("bash", "if then fi ("),
  block("js", "console.log([1, 2].map((x) => x * 2).join(' '))"),
  block("", "2 4"),
  block("javascript", "throw new Error('nope')"),
  block("json", '{"a": [1, 2]}'),
  block("json", "{ // settings", '  "a": 1,', "}"),
  block("yaml", "a: [1, 2"),
  block("c", "#include <stdio.h>", 'int main(void) { printf("hi\\n"); return 0; }'),
  block("c", "#include <opencv2/opencv.h>"),
  block(
    "python",
    ">>> print(1)",
    "1",
    ">>> 1/0",
    "Traceback (most recent call last):",
    "  ...",
    "ZeroDivisionError: division by zero",
    ">>> print 'py2'",
    "py2",
  ),
  block("console", "$ printf 'a\\n  b   c\\n'", "a", "b c", "$ false", "[1]", "$ nvidia-smi", "GPU 0"),
  block("console strict", "$ printf '  x\\n'", "x"),
  block("python nocheck", "print('anything')"),
  block("", "something else"),
  block("python exit=3", "import sys", "sys.exit(3)"),
  block(
    "ts",
    "interface Point { x: number; y: number }",
    "const ps: Point[] = [{ x: 1, y: 2 }, { x: 3, y: 4 }];",
    "const sum = (p: Point): number => p.x + p.y;",
    "console.log(ps.map(sum).join(' '));",
  ),
  block("", "3 7"),
  block("ts", "let n: = 1;"),
  block("ts", "import path = require('node:path');", "console.log(path.posix.join('a', 'b'));"),
  block("", "a/b"),
].join("\n");

describe("runners", () => {
  let report: Report;
  const at = (i: number): SnippetResult => report.snippets.find((s) => s.index === i)!;
  beforeAll(async () => {
    report = await verifyNotes([{ file: "/tmp/languages.md", text: NOTE }], { inputDir: "/tmp", cacheDir: null });
  }, 120_000);

  it("runs a shell block with an output block, merging stderr", () => {
    expect(at(1)).toMatchObject({ status: "passed", kind: "source", lang: "bash" });
  });
  it("checks command lists with bash -n and does not run them", () => {
    expect(at(3)).toMatchObject({ status: "checked", message: expect.stringMatching(/bash -n ok/) });
    expect(at(4)).toMatchObject({ status: "invalid", message: expect.stringMatching(/bash -n/) });
  });
  it("runs javascript with node", () => {
    expect(at(5)).toMatchObject({ status: "passed" });
    expect(at(7)).toMatchObject({ status: "warning", message: expect.stringMatching(/Error: nope/) });
  });
  it("parses JSON (also with comments) and YAML", () => {
    expect(at(8).status).toBe("checked");
    expect(at(9)).toMatchObject({ status: "checked", message: expect.stringMatching(/JSONC/) });
    expect(at(10)).toMatchObject({ status: "invalid", message: expect.stringMatching(/YAML/) });
    expect(checkJson("{").status).toBe("invalid");
    expect(checkJson('"a": 1,\n"b": 2').message).toMatch(/fragment/);
    expect(checkYaml("a: 1\n---\nb: 2\n").status).toBe("checked");
  });
  it("compiles C with -fsyntax-only, a missing header is missing-deps", () => {
    expect(at(11)).toMatchObject({ status: "checked" });
    expect(at(12)).toMatchObject({ status: "missing-deps", missing: ["opencv2/opencv.h"] });
  });
  it("calls a REPL with python 2 syntax invalid, after tracebacks matched doctest-style", () => {
    expect(at(13)).toMatchObject({ status: "invalid", message: expect.stringMatching(/line \d+: SyntaxError/) });
  });
  it("folds whitespace in transcripts, asserts [N], and needs programs on PATH", () => {
    expect(at(14)).toMatchObject({ status: "missing-deps", missing: ["nvidia-smi"] });
  });
  it("compares exactly under strict", () => {
    expect(at(15)).toMatchObject({ status: "failed" });
    expect(at(15).diff).toContain("+  x");
  });
  it("runs TypeScript with its types removed (by node ≥ 22.6, else by the typescript package)", () => {
    expect(at(19)).toMatchObject({ status: "passed", lang: "typescript" });
    expect(at(22)).toMatchObject({ status: "passed" }); // `import x = require()` runs as CommonJS
    if (nodeStripsTypes()) expect(at(21).status).toMatch(/warning|invalid/);
    else expect(at(21)).toMatchObject({ status: "invalid", message: expect.stringMatching(/not valid TypeScript: Type expected\. \(line 1\)/) });
  });
  it("does not compare under nocheck, and checks exit=", () => {
    expect(at(16)).toMatchObject({ status: "passed", message: expect.stringMatching(/nocheck/) });
    expect(at(18)).toMatchObject({ status: "passed", message: "exit status 3 as claimed" });
  });
});

describe("programs on PATH", () => {
  it("looks a relative PATH folder up from the note's sandbox, not from where verify was started", async () => {
    // `vntool` is in a folder that PATH names relatively (to this process's working folder); from the sandbox,
    // where the transcript runs, that folder does not exist, so the program is missing there.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "vn-relbin-"));
    fs.writeFileSync(path.join(bin, "vntool"), "#!/bin/sh\necho tool\n", { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${saved}:${path.relative(process.cwd(), bin)}`;
    try {
      const text = [`${F}console`, "$ vntool", "tool", F, ""].join("\n");
      const r = await verifyNotes([{ file: "/tmp/rel.md", text }], { inputDir: "/tmp", cacheDir: null });
      expect(r.snippets[0]).toMatchObject({ status: "missing-deps", missing: ["vntool"] });
    } finally {
      process.env.PATH = saved;
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("transcript claims", () => {
  it("passes folded whitespace and a shown exit status, and fails a wrong one", async () => {
    const text = [
      `${F}console`,
      "$ printf 'a\\n  b   c\\n'",
      "a",
      "b c",
      "$ false",
      "[1]",
      "$ true",
      "[2]",
      F,
      "",
    ].join("\n");
    const r = await verifyNotes([{ file: "/tmp/t.md", text }], { inputDir: "/tmp", cacheDir: null });
    expect(r.snippets[0]).toMatchObject({ status: "failed", message: expect.stringMatching(/exit status 0, expected 2/) });
    expect(r.snippets[0].diff).not.toContain("b c");
  }, 60_000);
});
