// scripts/verify.ts end to end on a generated corpus (real python3 and bash).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownFilesIn, noteFilter, shardOf } from "../../scripts/verify.ts";
import type { Report } from "./types.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const GEN = fileURLToPath(new URL("../../../shared/bench/gen-notes.mjs", import.meta.url));

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/verify.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CI: "true", ...env },
    timeout: 300_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("which notes verify takes", () => {
  it("--filter: a glob over the note's path; one without `/` also matches the file name alone", () => {
    const cases: [string, string, boolean][] = [
      ["**/*.md", "a/b/c.md", true],
      ["**/*.md", "c.md", true],
      ["*.md", "a/c.md", true],
      ["*.md", "a/.draft.md", true],
      ["a/*.md", "b/a/c.md", false],
      ["_posts/*.md", "_posts/x/y.md", false],
      ["note-0000{1,2}.md", "x/note-00002.md", true],
      ["note-0000{1,2}.md", "note-00003.md", false],
      ["note-?.md", "note-7.md", true],
    ];
    for (const [glob, rel, expected] of cases) expect(noteFilter(glob)(rel), `${glob} ${rel}`).toBe(expected);
  });

  it("a folder given as FILE: its Markdown files, sorted, without dot folders, node_modules or symbolic links", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-files-"));
    for (const rel of ["b.md", "a/z.MD", "a/y.markdown", "a/x.txt", ".git/n.md", "a/.hidden.md", "node_modules/p/readme.md"]) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), "# x\n");
    }
    fs.symlinkSync("/etc", path.join(dir, "etc"));
    expect(markdownFilesIn(dir).map((f) => path.relative(dir, f))).toEqual(["a/y.markdown", "a/z.MD", "b.md"]);
  });
});

describe("verify CLI", () => {
  let dir: string;
  let wrong: { note: string; section: number }[];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-cli-test-"));
    spawnSync(process.execPath, [GEN, path.join(dir, "bad/notes"), "24", "--wrong=3"], { encoding: "utf8" });
    spawnSync(process.execPath, [GEN, path.join(dir, "good/notes"), "12", "--wrong=0"], { encoding: "utf8" });
    wrong = JSON.parse(fs.readFileSync(path.join(dir, "bad/corpus-manifest.json"), "utf8")).wrong;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("fails exactly the planted wrong outputs, says torch is missing, exits 1", () => {
    const json = path.join(dir, "bad.json");
    const junit = path.join(dir, "bad.xml");
    const r = cli(["--input", path.join(dir, "bad/notes"), "--no-cache", "--json", json, "--junit", junit]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("verify: 3 snippets failed");
    expect(r.err).toMatch(/verify: 24\/24 notes \(100%\)/); // plain progress lines when CI=true
    const report = JSON.parse(fs.readFileSync(json, "utf8")) as Report;
    const failed = report.snippets.filter((s) => s.status === "failed");
    const sectionOf = (source: string, line: number) => {
      const lines = fs.readFileSync(path.join(dir, "bad/notes", source), "utf8").split("\n").slice(0, line);
      return Number(/^## (\d+)\./.exec(lines.filter((l) => /^## \d+\./.test(l)).pop()!)![1]);
    };
    expect(failed.map((s) => ({ note: s.source, section: sectionOf(s.source, s.line) })).sort((a, b) => (a.note + a.section < b.note + b.section ? -1 : 1))).toEqual(
      [...wrong].sort((a, b) => (a.note + a.section < b.note + b.section ? -1 : 1)),
    );
    const torch = report.snippets.filter((s) => s.status === "missing-deps");
    expect(torch.length).toBeGreaterThan(0);
    expect(torch.every((s) => s.missing?.join() === "torch")).toBe(true);
    expect(report.summary.warning + report.summary.invalid + report.summary.unresolved).toBe(0);
    expect(fs.readFileSync(junit, "utf8")).toContain('failures="3"');
  }, 300_000);

  it("exits 0 on a corpus without wrong outputs", () => {
    const r = cli(["--input", path.join(dir, "good/notes"), "--cache-dir", path.join(dir, "cache")]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("verify: ok");
  }, 300_000);

  it("shards 1/3, 2/3, 3/3 cover every snippet once, and their merged report equals the unsharded one", () => {
    const cache = ["--cache-dir", path.join(dir, "cache")];
    const notes = path.join(dir, "bad/notes");
    const whole = path.join(dir, "whole.json");
    cli(["--input", notes, "--json", whole, ...cache]);
    const parts = [1, 2, 3].map((i) => {
      const json = path.join(dir, `shard${i}.json`);
      cli(["--input", notes, "--shard", `${i}/3`, "--json", json, ...cache]);
      return JSON.parse(fs.readFileSync(json, "utf8")) as Report;
    });
    const id = (s: { source: string; index: number }) => `${s.source}#${s.index}`;
    const ids = parts.flatMap((p) => p.snippets.map(id));
    expect(new Set(ids).size).toBe(ids.length); // no snippet in two shards
    expect(parts.every((p) => p.notes > 0)).toBe(true);
    const merged = path.join(dir, "merged.json");
    const m = cli(["--merge", ...[1, 2, 3].map((i) => path.join(dir, `shard${i}.json`)), "--json", merged]);
    expect(m.code).toBe(1); // the planted failures fail the merged gate too
    const unsharded = JSON.parse(fs.readFileSync(whole, "utf8")) as Report;
    const mergedReport = JSON.parse(fs.readFileSync(merged, "utf8")) as Report;
    // Equal but for what describes a run rather than its results: timings, cache counts, which results were cached.
    const results = (r: Report) => ({
      notes: r.notes,
      summary: r.summary,
      diagnostics: r.diagnostics,
      snippets: r.snippets.map(({ duration_ms: _d, cached: _c, ...rest }) => rest),
    });
    expect(results(mergedReport)).toEqual(results(unsharded));
    expect(mergedReport.snippets.map(id)).toEqual(unsharded.snippets.map(id));
    // Each note went to the shard its own path hashes to (shardOf looks at nothing else, so adding notes moves no other).
    parts.forEach((p, i) => expect(p.snippets.every((s) => shardOf(s.source, 3) === i)).toBe(true));
  }, 300_000);

  it("filters notes by glob", () => {
    const json = path.join(dir, "filtered.json");
    cli(["--input", path.join(dir, "good/notes"), "--filter", "note-0000{1,2}.md", "--json", json, "--cache-dir", path.join(dir, "cache")]);
    const r = JSON.parse(fs.readFileSync(json, "utf8")) as Report;
    expect([...new Set(r.snippets.map((s) => s.source))].sort()).toEqual(["note-00001.md", "note-00002.md"]);
  }, 300_000);

  it("writes a baseline of known failures, and then holds to no new failures", () => {
    const baseline = path.join(dir, "snippets-baseline.json");
    const args = ["--input", path.join(dir, "bad/notes"), "--cache-dir", path.join(dir, "cache"), "--baseline", baseline];
    expect(cli([...args, "--update-baseline"]).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(baseline, "utf8")).entries.length).toBe(3);
    const r = cli(args);
    expect(r.code).toBe(0);
    expect(r.out).toContain("3 known failures in the baseline");
  }, 300_000);

  it("rejects bad usage with exit 2", () => {
    expect(cli(["--shard", "3/2", "--input", dir]).code).toBe(2);
    expect(cli([]).code).toBe(2);
  });
});
