// A build into a folder that holds the previous build renders only the pages whose values changed, leaves the
// output as a full build would, and removes what belonged to a deleted note (real CLI, real Eleventy).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listFiles, runScript, tempDir } from "./helpers/cli.ts";

const dir = tempDir("incremental");
const notes = path.join(dir, "notes");
const out = path.join(dir, "site");
const fresh = path.join(dir, "fresh");
const env = { VERINOTES_CACHE_DIR: path.join(dir, "cache") };

const note = (title: string, date: string, body: string) => `---\ntitle: ${title}\ndate: ${date}\ntags: [demo]\n---\n\n${body}\n`;
const build = (to: string) => {
  const r = runScript("build", ["--input", notes, "--output", to], env);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};
const written = (stdout: string) => Number(/(\d+) files written/.exec(stdout)?.[1]);
/** The output's files and contents, without the build record (it lists what the build wrote, not what it shows). */
const snapshot = (root: string) =>
  Object.fromEntries(listFiles(root).filter((f) => f !== "verinotes-build.json").map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]));

beforeAll(() => {
  fs.mkdirSync(notes, { recursive: true });
  fs.writeFileSync(path.join(notes, "alpha.md"), note("Alpha", "2024-01-01 10:00:00", "First.\n\n```python\nprint(1)\n```\n\n```text\n1\n```"));
  fs.writeFileSync(path.join(notes, "beta.md"), note("Beta", "2024-02-01 10:00:00", "Second."));
  fs.writeFileSync(path.join(notes, "gamma.md"), note("Gamma", "2024-03-01 10:00:00", "Third, after [Beta](/2024/02/01/beta/)."));
});

describe("a second build into the same folder", () => {
  it("writes only what changed and leaves the same site as a fresh build", () => {
    const first = build(out);
    const all = written(first);
    expect(all).toBeGreaterThan(10);
    expect(written(build(out))).toBeLessThan(all / 2); // nothing changed: no page is rendered again, only a few fixed files

    fs.appendFileSync(path.join(notes, "beta.md"), "\nEdited.\n");
    const edited = build(out);
    expect(written(edited)).toBeLessThan(all);
    expect(fs.readFileSync(path.join(out, "2024/02/01/beta/index.html"), "utf8")).toContain("Edited.");
    build(fresh);
    expect(snapshot(out)).toEqual(snapshot(fresh));
  }, 180_000);

  it("removes the pages and snippet files of a deleted note, and nothing it did not write", () => {
    fs.writeFileSync(path.join(out, "keep-me.txt"), "not written by Verinotes");
    expect(fs.existsSync(path.join(out, "2024/01/01/alpha/snippets/index.json"))).toBe(true);
    fs.rmSync(path.join(notes, "alpha.md"));
    build(out);
    expect(fs.existsSync(path.join(out, "2024/01/01/alpha"))).toBe(false);
    expect(fs.existsSync(path.join(out, "2024/01/01"))).toBe(false); // the folders it leaves empty go too
    expect(fs.readFileSync(path.join(out, "keep-me.txt"), "utf8")).toBe("not written by Verinotes");
    expect(fs.readFileSync(path.join(out, "index.html"), "utf8")).not.toContain("Alpha");
  }, 180_000);
});
